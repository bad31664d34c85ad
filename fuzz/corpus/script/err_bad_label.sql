-- bad label
--
-- Revision ID: e5
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456
-- Branch Labels: feature/x

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
