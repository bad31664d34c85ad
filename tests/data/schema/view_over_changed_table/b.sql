CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(300) NOT NULL
);
CREATE VIEW book_titles AS SELECT id, title FROM book;
