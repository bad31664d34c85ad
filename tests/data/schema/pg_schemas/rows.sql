INSERT INTO book (id) VALUES (1), (2);
INSERT INTO legacy.item (id, name) VALUES (1, 'x');
