-- seed the catalogue
--
-- Revision ID: 002
-- Revises: 001
-- Create Date: 2026-11-22 10:05:00
--
-- Data migrations are plain SQL too; the downgrade removes exactly the
-- rows the upgrade added.

-- migrate:upgrade
INSERT INTO author (id, name) VALUES
    (1, 'Ursula Le Guin'),
    (2, 'Italo Calvino'),
    (3, 'Toni Morrison');

INSERT INTO book (id, title, author_id, published_year) VALUES
    (1, 'The Dispossessed', 1, 1974),
    (2, 'A Wizard of Earthsea', 1, 1968),
    (3, 'Invisible Cities', 2, 1972),
    (4, 'If on a winter''s night a traveler', 2, NULL),
    (5, 'Beloved', 3, 1987);

-- migrate:downgrade
DELETE FROM book WHERE id BETWEEN 1 AND 5;
DELETE FROM author WHERE id BETWEEN 1 AND 3;
