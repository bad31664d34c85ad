CREATE TABLE ticket (
    id integer PRIMARY KEY
);
