-- case
--
-- REVISION ID:   CaseId
-- revises:
-- create date:
-- branch labels:
-- depends on:

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
