-- x
--
-- Revision ID: nonl
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
SELECT 1;

-- migrate:downgrade
SELECT 2;