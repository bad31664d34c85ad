CREATE TABLE book (
    id integer PRIMARY KEY,
    title text,
    isbn text
);
COMMENT ON TABLE book IS 'Books we own';
COMMENT ON COLUMN book.id IS 'Key';
COMMENT ON COLUMN book.isbn IS 'It''s the ISBN';
CREATE TABLE shelf (
    id integer PRIMARY KEY
);
COMMENT ON TABLE shelf IS 'Shelves';
