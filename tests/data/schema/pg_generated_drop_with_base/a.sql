CREATE TABLE box (
    id integer PRIMARY KEY,
    a integer,
    b integer GENERATED ALWAYS AS (a + 1) STORED
);
