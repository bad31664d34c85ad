INSERT INTO author (id, name, bio) VALUES (1, 'Ursula K. Le Guin', 'Earthsea'), (2, 'Stanisław Lem', NULL);
