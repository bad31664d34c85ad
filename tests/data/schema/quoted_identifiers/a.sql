CREATE TABLE "Order" (
    id INTEGER PRIMARY KEY,
    "select" VARCHAR(20),
    "user" TEXT
);
CREATE TABLE "Line Item" (
    id INTEGER PRIMARY KEY,
    "Order" INTEGER REFERENCES "Order" (id),
    qty INTEGER
);
