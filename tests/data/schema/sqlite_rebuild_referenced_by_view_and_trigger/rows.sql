INSERT INTO book (id, title) VALUES (1, 'Ubik');
INSERT INTO loan (id, book_id) VALUES (1, 1);
