-- mysql things
--
-- Revision ID: my1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade
CREATE TABLE `weird;name` (a INT) # hash comment;
;
INSERT INTO t VALUES ('a\'b;c', "d;e");
CREATE PROCEDURE p() BEGIN SELECT 1; END;

-- migrate:downgrade
DROP TABLE `weird;name`;
