-- add email to users
--
-- Revision ID: a1b2c3d4e5f6
-- Revises: 3f2a9c1b7e4d
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
ALTER TABLE users ADD COLUMN email TEXT;
CREATE UNIQUE INDEX ix_users_email ON users (email);

-- migrate:downgrade
DROP INDEX ix_users_email;
ALTER TABLE users DROP COLUMN email;
