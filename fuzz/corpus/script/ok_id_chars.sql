-- odd ids
--
-- Revision ID: A.b-C_9
-- Revises: 0.1-x_Y, z
-- Create Date: 2026-11-22 15:40:00.123456
-- Branch Labels: v1.0, release-2

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
