CREATE TYPE st AS ENUM ('new', 'open', 'archived', 'closed');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status st NOT NULL DEFAULT 'archived',
    CONSTRAINT ticket_not_archived CHECK (status <> 'archived' OR id > 100)
);
CREATE INDEX ticket_archived_idx ON ticket (id) WHERE status = 'archived';
