INSERT INTO book (id, title) VALUES (1, 'Solaris'), (2, 'Ubik');
