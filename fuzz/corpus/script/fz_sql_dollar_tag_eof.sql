-- pg fu
--
-- Revision ID: pgf1
-- Revises: ba
-- migrate:upgrade
CREea$,""qu
-- migrate:downgrade
lse
mS $111