CREATE TABLE country (
    code VARCHAR(2) PRIMARY KEY,
    name TEXT NOT NULL
);
