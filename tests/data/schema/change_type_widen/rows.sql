INSERT INTO author (id, name) VALUES (1, 'Ursula K. Le Guin'), (2, 'Stanisław Lem');
