INSERT INTO author (id, name) VALUES (1, 'Le Guin'), (2, 'Lem');
INSERT INTO book (id, title, author_id) VALUES (1, 'Solaris', 2), (2, 'The Dispossessed', 1);
