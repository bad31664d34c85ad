--no space after dashes
--Revision ID: ns
--Revises:
--migrate:upgrade
SELECT 1;
--migrate:downgrade
