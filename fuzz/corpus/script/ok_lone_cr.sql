-- lone cr
--
-- Revision ID: cr1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456
-- migrate:upgrade
SELECT 'a';
SELECT 2;
-- migrate:downgrade
