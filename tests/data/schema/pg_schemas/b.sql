CREATE SCHEMA inventory;
CREATE TABLE book (
    id integer PRIMARY KEY
);
CREATE TABLE inventory.stock (
    id integer PRIMARY KEY,
    book_id integer NOT NULL REFERENCES public.book (id),
    qty integer NOT NULL DEFAULT 0
);
CREATE INDEX ix_stock_book ON inventory.stock (book_id);
CREATE VIEW inventory.stock_total AS SELECT book_id, sum(qty) AS qty FROM inventory.stock GROUP BY book_id;
