-- merge heads
--
-- Revision ID: 9e8d7c6b5a40
-- Revises: a1b2c3d4e5f6, 0f1e2d3c4b5a
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade

-- migrate:downgrade
