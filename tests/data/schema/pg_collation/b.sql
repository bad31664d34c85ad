CREATE TABLE word (
    id integer PRIMARY KEY,
    w text COLLATE "C",
    v varchar(20)
);
CREATE INDEX ix_word_w ON word (w);
CREATE INDEX ix_word_w_default ON word (w COLLATE "default", id);
CREATE INDEX ix_word_v_c ON word (v COLLATE "C");
