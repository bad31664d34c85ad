CREATE TYPE status AS ENUM ('open', 'closed');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status status NOT NULL DEFAULT 'open'
);
