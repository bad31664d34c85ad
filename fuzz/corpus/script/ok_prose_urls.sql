-- see https://example.com/issue/1 at 12:30
--
-- Revision ID: url1
-- Revises: base
-- Ticket:http://x/y
-- 10:45 meeting notes
-- (see: the ticket) is prose, not a key

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
