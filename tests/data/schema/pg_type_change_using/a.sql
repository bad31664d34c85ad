CREATE TYPE level AS ENUM ('low', 'high');
CREATE TABLE reading (
    id integer PRIMARY KEY,
    value text DEFAULT '0',
    lvl text,
    at timestamp,
    flag integer
);
