-- start the billing branch
--
-- Revision ID: b1
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456
-- Branch Labels: billing, feature.x-y_z

-- migrate:upgrade
CREATE TABLE invoices (id INTEGER);

-- migrate:downgrade
DROP TABLE invoices;
