CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    shelf VARCHAR(10)
);
CREATE VIEW book_titles AS SELECT id, title FROM book;
