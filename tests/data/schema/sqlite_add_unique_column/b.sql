CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT UNIQUE
);
CREATE TABLE pet (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER REFERENCES person (id)
);
