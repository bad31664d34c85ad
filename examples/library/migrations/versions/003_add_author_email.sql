-- add author email
--
-- Revision ID: 003
-- Revises: 002
-- Create Date: 2026-11-22 10:10:00
--
-- A new column, backfilled from the existing rows in the same
-- transaction: the column and its data arrive together or not at all.

-- migrate:upgrade
ALTER TABLE author ADD COLUMN email TEXT;

UPDATE author
   SET email = lower(replace(name, ' ', '.')) || '@example.org'
 WHERE email IS NULL;

-- migrate:downgrade
ALTER TABLE author DROP COLUMN email;
