CREATE TABLE sale (
    id integer PRIMARY KEY,
    amount integer NOT NULL
);
CREATE INDEX sale_amount_idx ON sale (amount);
COMMENT ON INDEX sale_amount_idx IS 'by the amount';
CREATE VIEW big_sales AS SELECT id, amount FROM sale WHERE amount > 100;
COMMENT ON VIEW big_sales IS 'more than 100';
COMMENT ON COLUMN big_sales.id IS 'the sale';
CREATE MATERIALIZED VIEW sale_total AS SELECT id, amount FROM sale;
CREATE UNIQUE INDEX sale_total_id ON sale_total (id);
CREATE INDEX sale_total_amount ON sale_total (amount);
COMMENT ON INDEX sale_total_amount IS 'amounts';
COMMENT ON MATERIALIZED VIEW sale_total IS 'all of them';
COMMENT ON COLUMN sale_total.amount IS 'sum';
