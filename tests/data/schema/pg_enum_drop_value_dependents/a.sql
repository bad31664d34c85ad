CREATE TYPE st AS ENUM ('new', 'open', 'held', 'closed');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    status st NOT NULL DEFAULT 'new',
    prev st,
    CONSTRAINT ticket_prev_check CHECK (prev IS DISTINCT FROM 'closed'),
    CONSTRAINT ticket_id_status_key UNIQUE (id, status)
);
CREATE INDEX ticket_open_idx ON ticket (id) WHERE status = 'open';
CREATE TABLE log (
    id integer PRIMARY KEY,
    ticket_id integer NOT NULL,
    status st NOT NULL,
    CONSTRAINT log_ticket_fkey FOREIGN KEY (ticket_id, status) REFERENCES ticket (id, status)
);
