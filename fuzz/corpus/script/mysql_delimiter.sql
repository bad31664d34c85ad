-- mysql procedure
--
-- Revision ID: a1b2c3d4e5f6
-- Revises:
-- Create Date: 2026-01-02 03:04:05.000000

-- migrate:upgrade
CREATE TABLE `t` (a int, b text); # note
DELIMITER $$
CREATE PROCEDURE p(IN n INT) BEGIN IF n > 0 THEN SELECT 'a\'b;'; END IF; END$$
DELIMITER ;
/*!40101 SET NAMES utf8mb4 */;
CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET NEW.a = 1; END;

-- migrate:downgrade
DROP PROCEDURE p;
DROP TABLE t;
