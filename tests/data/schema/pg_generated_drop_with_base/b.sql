CREATE TABLE box (
    id integer PRIMARY KEY
);
