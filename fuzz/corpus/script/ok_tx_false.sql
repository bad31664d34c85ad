-- concurrent index
--
-- Revision ID: c0ncurrent
-- Revises: a1b2c3d4e5f6
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade transaction:false
CREATE INDEX CONCURRENTLY ix_a ON t (a);

-- migrate:downgrade transaction:false
DROP INDEX CONCURRENTLY ix_a;
