INSERT INTO author (id, name) VALUES (1, 'Le Guin'), (2, 'Lem');
