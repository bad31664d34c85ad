-- data fix
--
-- Revision ID: fix1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
UPDATE t SET a = 1 WHERE a IS NULL;

-- migrate:downgrade
-- irreversible

/* nothing */
;
