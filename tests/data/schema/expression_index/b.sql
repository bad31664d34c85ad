CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL
);
CREATE UNIQUE INDEX ux_account_email_lower ON account (lower(email));
CREATE INDEX ix_account_email_desc ON account (email DESC, id);
