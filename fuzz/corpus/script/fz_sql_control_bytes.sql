-- --
-- Revision ID: my1
-- Revises: bas6

-- migrate:upgrade
CREATen;
ÿcˆ”0.123450; END;
-- migrate:downgrade
dROP TABLE בבבבבe`;
$