CREATE SEQUENCE invoice_no AS integer START WITH 1000 INCREMENT BY 10 CACHE 5;
CREATE SEQUENCE ticket_seq START WITH 1;
CREATE TABLE invoice (
    id integer PRIMARY KEY,
    no bigint NOT NULL DEFAULT nextval('invoice_no')
);
CREATE TABLE ticket (
    id integer PRIMARY KEY DEFAULT nextval('ticket_seq')
);
ALTER SEQUENCE ticket_seq OWNED BY ticket.id;
