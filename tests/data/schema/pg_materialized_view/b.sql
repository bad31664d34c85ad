CREATE TABLE sale (
    id integer PRIMARY KEY,
    amount numeric NOT NULL
);
CREATE MATERIALIZED VIEW sale_total AS SELECT sum(amount) AS total FROM sale;
CREATE VIEW big_sales AS SELECT id, amount FROM sale WHERE amount > 100;
