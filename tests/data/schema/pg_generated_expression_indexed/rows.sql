INSERT INTO box (id, w) VALUES (1, 1), (2, 20);
