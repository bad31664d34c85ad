CREATE TABLE item (
    id integer PRIMARY KEY,
    qty integer NOT NULL,
    twice integer GENERATED ALWAYS AS (qty * 2) STORED
);
CREATE INDEX item_twice_idx ON item (twice);
COMMENT ON COLUMN item.twice IS 'qty doubled';
