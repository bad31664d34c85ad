CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL
);
CREATE INDEX ix_book_title ON book (title);
