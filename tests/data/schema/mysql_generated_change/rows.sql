INSERT INTO item (id, price, qty) VALUES (1, 2, 3), (2, 5, 7);
