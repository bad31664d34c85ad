INSERT INTO book (id, title, notes) VALUES (1, 'Solaris', 'ocean'), (2, 'Ubik', NULL);
