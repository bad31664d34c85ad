CREATE TABLE sale (
    id integer PRIMARY KEY,
    amount integer NOT NULL
);
CREATE INDEX sale_amount_idx ON sale (amount);
COMMENT ON INDEX sale_amount_idx IS 'by amount';
CREATE VIEW big_sales AS SELECT id, amount FROM sale WHERE amount > 100;
COMMENT ON VIEW big_sales IS 'over 100';
COMMENT ON COLUMN big_sales.amount IS 'the amount';
CREATE MATERIALIZED VIEW sale_total AS SELECT id, amount FROM sale;
CREATE UNIQUE INDEX sale_total_id ON sale_total (id);
COMMENT ON MATERIALIZED VIEW sale_total IS 'totals';
CREATE VIEW top_sales AS SELECT id FROM big_sales WHERE amount > 1000;
COMMENT ON COLUMN top_sales.id IS 'top';
