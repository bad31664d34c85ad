CREATE TYPE status AS ENUM ('new', 'open', 'pending', 'closed', 'archived');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status status NOT NULL DEFAULT 'open'
);
