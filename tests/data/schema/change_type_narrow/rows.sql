INSERT INTO author (id, name, bio) VALUES (1, 'Le Guin', 'Earthsea'), (2, 'Lem', NULL);
