CREATE TYPE st AS ENUM ('new', 'open', 'closed');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status st NOT NULL DEFAULT 'new'
);
