INSERT INTO book (id, title, pages) VALUES (1, 'Dhalgren', 801), (2, 'Ubik', 202);
