CREATE TYPE status AS ENUM ('open', 'closed', 'new');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status status NOT NULL DEFAULT 'open',
    previous status[]
);
CREATE VIEW open_tickets AS SELECT id FROM ticket WHERE status = 'open';
