CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    email VARCHAR(200) NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_account_email ON account (email) WHERE deleted = 0;
