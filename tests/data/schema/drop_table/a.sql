CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    author_id INTEGER REFERENCES author (id)
);
CREATE INDEX ix_book_author ON book (author_id);
