-- msg
--
-- Revises: a

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL
);

-- migrate:downgrade
DROP TABLE users;
