INSERT INTO product (id, price, stock) VALUES (1, 9.5, 3), (2, 12, 0);
