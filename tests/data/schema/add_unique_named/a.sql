CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    isbn VARCHAR(13),
    title VARCHAR(200)
);
