CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    bio TEXT
);
