CREATE TABLE box (
    id integer PRIMARY KEY,
    w integer NOT NULL,
    size integer GENERATED ALWAYS AS (w * 2) STORED,
    CONSTRAINT box_size_check CHECK (size >= 0)
);
CREATE INDEX box_size_idx ON box (size);
CREATE UNIQUE INDEX box_id_size_key ON box (id, size) WHERE size > 10;
COMMENT ON COLUMN box.size IS 'the size';
