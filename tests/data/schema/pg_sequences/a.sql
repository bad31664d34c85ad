CREATE SEQUENCE invoice_no START WITH 1000 INCREMENT BY 1;
CREATE SEQUENCE old_counter;
CREATE TABLE invoice (
    id integer PRIMARY KEY,
    no bigint NOT NULL DEFAULT nextval('invoice_no')
);
