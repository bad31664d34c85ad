-- reversed order
--
-- Revision ID: rev0
-- Revises: 
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:downgrade
DROP TABLE x;
-- migrate:upgrade
CREATE TABLE x (a int);
