CREATE TABLE item (
    id integer PRIMARY KEY,
    qty bigint NOT NULL,
    twice bigint GENERATED ALWAYS AS (qty * 2) STORED
);
CREATE INDEX item_twice_idx ON item (twice);
COMMENT ON COLUMN item.twice IS 'qty doubled';
