CREATE TABLE measure (
    id INTEGER PRIMARY KEY,
    value REAL,
    unit TEXT
);
