INSERT INTO author (id, name) VALUES (1, 'Le Guin');
INSERT INTO book (id, title, author_id, legacy) VALUES (1, 'Earthsea', 1, 'x');
INSERT INTO obsolete (id) VALUES (1);
