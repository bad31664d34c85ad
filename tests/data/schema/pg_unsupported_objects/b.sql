CREATE TABLE t (
    id integer PRIMARY KEY,
    n integer
);
CREATE FUNCTION f(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x + 1';
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
