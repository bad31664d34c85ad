-- add users table
--
-- Revision ID: 3f2a9c1b7e4d
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456
-- Branch Labels:
-- Depends On:

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
