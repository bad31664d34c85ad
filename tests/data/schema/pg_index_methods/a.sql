CREATE TABLE account (
    id integer PRIMARY KEY,
    email text NOT NULL,
    token text,
    data jsonb
);
