CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE reading (
    id integer PRIMARY KEY,
    value integer DEFAULT 0,
    lvl level,
    at timestamp with time zone,
    flag boolean
);
