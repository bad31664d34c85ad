INSERT INTO publisher (id, name) VALUES (1, 'Gollancz'), (2, 'Ace');
INSERT INTO book (id, title, publisher_id, price) VALUES (1, 'Dhalgren', 1, 9.99), (2, 'Ubik', 2, 5.5), (3, 'Neuromancer', 2, 7);
INSERT INTO review (id, book_id, stars) VALUES (1, 1, 5), (2, 1, 4), (3, 3, 5);
