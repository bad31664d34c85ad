CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    pages INTEGER
);
CREATE VIEW long_books AS SELECT id, title FROM book WHERE pages > 500;
CREATE VIEW long_titles AS SELECT title FROM long_books;
CREATE VIEW old_view AS SELECT id FROM book;
