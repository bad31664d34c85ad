-- empty item
--
-- Revision ID: e1
-- Revises: a,,b
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
