CREATE TABLE account (
    id integer PRIMARY KEY,
    email text NOT NULL,
    token text,
    data jsonb,
    CONSTRAINT uq_account_token UNIQUE NULLS NOT DISTINCT (token)
);
CREATE INDEX ix_account_token_hash ON account USING hash (token);
CREATE INDEX ix_account_data ON account USING gin (data jsonb_path_ops);
CREATE UNIQUE INDEX ux_account_email ON account (lower(email)) INCLUDE (id) WHERE token IS NOT NULL;
CREATE INDEX ix_account_brin ON account USING brin (id);
