CREATE TABLE product (
    id INTEGER PRIMARY KEY,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER
);
