-- per-dialect sections
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:

-- migrate:upgrade dialect:sqlite
CREATE TABLE t (id INTEGER PRIMARY KEY);
PRAGMA foreign_key_check(t);

-- migrate:upgrade transaction:false dialect:postgresql
CREATE INDEX CONCURRENTLY i ON t (id);

-- migrate:downgrade
DROP TABLE t;

-- migrate:downgrade dialect:postgresql noop
