CREATE SCHEMA legacy;
CREATE TABLE legacy.item (
    id integer PRIMARY KEY,
    name text
);
CREATE TABLE book (
    id integer PRIMARY KEY
);
