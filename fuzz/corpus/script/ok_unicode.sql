-- café résumé 数据库 ✓
--
-- Revision ID: uni1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
INSERT INTO t VALUES ('naïve ✓ 数据');

-- migrate:downgrade
DELETE FROM t WHERE a = 'ü';
