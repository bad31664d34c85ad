CREATE TYPE status AS ENUM ('new', 'open', 'pending', 'closed');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status status NOT NULL DEFAULT 'new',
    previous status[]
);
CREATE VIEW open_tickets AS SELECT id FROM ticket WHERE status = 'open';
