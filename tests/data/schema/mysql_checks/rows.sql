INSERT INTO price (id, amount, lo, hi) VALUES (1, 5, 1, 2), (2, 7, NULL, NULL);
