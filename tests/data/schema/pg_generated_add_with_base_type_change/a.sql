CREATE TABLE word (
    id integer PRIMARY KEY,
    body integer
);
