-- create author and book
--
-- Revision ID: 001
-- Revises:
-- Create Date: 2026-11-22 10:00:00

-- migrate:upgrade
CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    author_id INTEGER NOT NULL REFERENCES author (id),
    published_year INTEGER
);

CREATE INDEX ix_book_author_id ON book (author_id);

-- migrate:downgrade
DROP TABLE book;
DROP TABLE author;
