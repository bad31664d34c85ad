-- quoting
--
-- Revision ID: q1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
INSERT INTO t VALUES ('it''s', 'semi;colon', [br;acket], "dq""q");
-- a comment that mentions migrate: and upgrade

-- migrate:downgrade
SELECT 'unterminated string;
