CREATE TABLE book (
    id integer PRIMARY KEY,
    title text
);
COMMENT ON TABLE book IS 'Books';
COMMENT ON COLUMN book.title IS 'The title';
