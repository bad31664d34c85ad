INSERT INTO sale (id, amount) VALUES (1, 50), (2, 500);
