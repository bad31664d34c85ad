CREATE TABLE person (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE pet (
    id INTEGER PRIMARY KEY,
    owner_id INTEGER REFERENCES person (id)
);
