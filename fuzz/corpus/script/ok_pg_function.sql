-- pg function
--
-- Revision ID: pgf1
-- Revises: base
-- Create Date: 2026-11-22 15:40:00.123456

-- migrate:upgrade transaction:false
CREATE OR REPLACE FUNCTION f() RETURNS trigger AS $body$
BEGIN
  NEW.x := 'a;b';
  RETURN NEW;
END;
$body$ LANGUAGE plpgsql;
SELECT E'it\'s; fine', $$x;y$$, "quoted;ident";
/* outer /* nested; */ still comment; */
SELECT (1;2);

-- migrate:downgrade
DROP FUNCTION f();
