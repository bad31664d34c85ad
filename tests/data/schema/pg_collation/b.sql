CREATE TABLE word (
    id integer PRIMARY KEY,
    w text COLLATE "C",
    v varchar(20)
);
