CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    author_id INTEGER REFERENCES author (id),
    legacy TEXT
);
CREATE TABLE obsolete (
    id INTEGER PRIMARY KEY
);
CREATE INDEX ix_book_title ON book (title);
