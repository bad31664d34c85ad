CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    author_id INTEGER
);
