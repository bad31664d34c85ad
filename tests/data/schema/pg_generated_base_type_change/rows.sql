INSERT INTO item (id, qty) VALUES (1, 3), (2, 40);
