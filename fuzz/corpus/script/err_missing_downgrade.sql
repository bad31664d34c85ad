-- no down
--
-- Revision ID: e14
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
SELECT 1;
