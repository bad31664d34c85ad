  -- indented header
	--
  -- Revision ID: ind
	-- Revises:

  --   migrate:upgrade
SELECT 1;
	--	migrate:downgrade
SELECT 2;
