-- typo
--
-- Revision ID: e7
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456
-- migrate:upgrades
SELECT 1;
-- migrate:downgrade
