CREATE TABLE "Order" (
    id INTEGER PRIMARY KEY,
    "select" VARCHAR(40),
    "user" TEXT,
    "Weird Name" TEXT DEFAULT 'it''s'
);
CREATE TABLE "Line Item" (
    id INTEGER PRIMARY KEY,
    "Order" INTEGER REFERENCES "Order" (id),
    qty INTEGER,
    "group" INTEGER
);
CREATE INDEX "Ix Line" ON "Line Item" ("Order", "group");
