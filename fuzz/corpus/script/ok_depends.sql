-- needs users and billing
--
-- Revision ID: d1
-- Revises: b1
-- Create Date: 2026-11-22 15:40:00.123456
-- Depends On: 3f2a9c1b7e4d, billing

-- migrate:upgrade
INSERT INTO invoices VALUES (1);

-- migrate:downgrade
DELETE FROM invoices;
