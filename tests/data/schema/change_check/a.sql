CREATE TABLE product (
    id INTEGER PRIMARY KEY,
    price NUMERIC(10, 2) NOT NULL,
    CONSTRAINT ck_product_price CHECK (price > 0),
    CONSTRAINT ck_product_id CHECK (id > 0)
);
