INSERT INTO box (id, a) VALUES (1, 1), (2, NULL);
