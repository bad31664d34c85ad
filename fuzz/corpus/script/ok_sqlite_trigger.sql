-- trigger
--
-- Revision ID: trg1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
CREATE TRIGGER trg AFTER INSERT ON t
BEGIN
  UPDATE t SET n = n + 1;
  SELECT CASE WHEN 1 THEN 2 END;
END;
CREATE TEMP TRIGGER t2 BEFORE DELETE ON t BEGIN SELECT 1; END;

-- migrate:downgrade
DROP TRIGGER trg;
DROP TRIGGER t2;
