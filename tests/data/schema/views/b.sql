CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    pages INTEGER
);
CREATE VIEW long_books AS SELECT id, title, pages FROM book WHERE pages > 400;
CREATE VIEW long_titles AS SELECT title FROM long_books;
CREATE VIEW short_books AS SELECT id, title FROM book WHERE pages < 100;
