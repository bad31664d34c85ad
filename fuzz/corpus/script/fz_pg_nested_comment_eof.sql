-- pg function
--
-- Revision ID: pgf1
-- Revises: base
-- Create Date: 26

-- migrate:upgrade transaction:false
CREATE ORy$$, "quoted;ident";
/*!outer /* n;2);

-- migrate:downgrade
DROP FUNCTION …();
