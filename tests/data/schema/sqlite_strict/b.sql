CREATE TABLE measure (
    id INTEGER PRIMARY KEY,
    value REAL,
    unit TEXT NOT NULL DEFAULT 'm'
) STRICT;
