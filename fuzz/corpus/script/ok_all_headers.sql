-- rename column
-- and a second message line
--
-- A longer description, in prose. Lines shaped like keys are not
-- allowed here, but 12:30 and http://x are fine.
--
-- Revision ID: r_all
-- Revises: p1
-- Create Date: 2026-01-02 03:04:05
-- Branch Labels: lbl
-- Depends On: dep1,dep2
--
-- trailing paragraph of prose

-- migrate:upgrade
ALTER TABLE t RENAME COLUMN a TO b;

-- migrate:downgrade
ALTER TABLE t RENAME COLUMN b TO a;
