CREATE TABLE word (
    id integer PRIMARY KEY,
    body text,
    body_len integer GENERATED ALWAYS AS (length(body)) STORED
);
