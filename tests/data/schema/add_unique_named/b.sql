CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    isbn VARCHAR(13),
    title VARCHAR(200),
    CONSTRAINT uq_book_isbn UNIQUE (isbn)
);
