CREATE EXTENSION pg_trgm;
CREATE EXTENSION citext;
CREATE TABLE doc (
    id integer PRIMARY KEY,
    title text NOT NULL,
    tags text[],
    author citext
);
CREATE INDEX ix_doc_title_trgm ON doc USING gin (title gin_trgm_ops);
CREATE INDEX ix_doc_tags ON doc USING gin (tags);
