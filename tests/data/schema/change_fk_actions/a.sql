CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    author_id INTEGER,
    CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id) ON DELETE SET NULL
);
