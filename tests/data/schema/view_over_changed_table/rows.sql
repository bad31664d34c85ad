INSERT INTO book (id, title, shelf) VALUES (1, 'Dhalgren', 'A'), (2, 'Ubik', NULL);
