CREATE TABLE t (a int);
-- Revision ID: x
