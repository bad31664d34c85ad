INSERT INTO book (id, title, shelf) VALUES (1, 'Solaris', 'A1'), (2, 'Ubik', 'B2');
