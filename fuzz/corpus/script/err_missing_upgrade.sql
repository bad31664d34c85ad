-- no up
--
-- Revision ID: e13
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:downgrade
SELECT 1;
