CREATE TABLE sale (
    id integer PRIMARY KEY,
    amount numeric NOT NULL
);
CREATE VIEW big_sales AS SELECT id FROM sale WHERE amount > 100;
