CREATE TABLE word (
    id integer PRIMARY KEY,
    w text,
    v varchar(20) COLLATE "C"
);
