CREATE TABLE a (
    id serial PRIMARY KEY,
    name text
);
CREATE TABLE b (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text
);
CREATE TABLE c (
    id bigserial PRIMARY KEY
);
