INSERT INTO author (id, name, country) VALUES (1, 'Le Guin', 'US'), (2, 'Lem', NULL);
