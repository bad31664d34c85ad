CREATE TABLE product (
    id INTEGER PRIMARY KEY,
    price NUMERIC(10, 2) NOT NULL,
    stock INTEGER,
    CONSTRAINT ck_product_price CHECK (price > 0),
    CONSTRAINT ck_product_stock CHECK (stock >= 0)
);
