CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    shelf VARCHAR(10)
);
CREATE INDEX ix_book_shelf ON book (shelf);
CREATE INDEX ix_book_title ON book (title);
