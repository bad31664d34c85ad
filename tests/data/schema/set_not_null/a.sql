CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name TEXT,
    country VARCHAR(2)
);
