-- fix: widen column
--
-- Revision ID: w1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
ALTER TABLE t ALTER COLUMN c TYPE text;

-- migrate:downgrade
