INSERT INTO author (id, name) VALUES (1, 'Le Guin');
INSERT INTO book (id, author_id) VALUES (1, 1), (2, NULL);
