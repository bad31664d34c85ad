-- book year not null
--
-- Revision ID: 004
-- Revises: 003
-- Create Date: 2026-11-22 10:15:00
--
-- SQLite cannot add NOT NULL to an existing column with ALTER TABLE, so
-- the table is rebuilt: new table, copy, drop, rename, index again. Rows
-- without a year get 0 first. The whole rebuild is one transaction.

-- migrate:upgrade
UPDATE book SET published_year = 0 WHERE published_year IS NULL;

CREATE TABLE book_new (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES author (id),
    published_year INTEGER NOT NULL
);
INSERT INTO book_new (id, title, author_id, published_year)
    SELECT id, title, author_id, published_year FROM book;
DROP TABLE book;
ALTER TABLE book_new RENAME TO book;
CREATE INDEX ix_book_author_id ON book (author_id);

-- migrate:downgrade
CREATE TABLE book_old (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES author (id),
    published_year INTEGER
);
INSERT INTO book_old (id, title, author_id, published_year)
    SELECT id, title, author_id, NULLIF(published_year, 0) FROM book;
DROP TABLE book;
ALTER TABLE book_old RENAME TO book;
CREATE INDEX ix_book_author_id ON book (author_id);
