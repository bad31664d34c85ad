INSERT INTO product (id, price) VALUES (1, 9.5), (2, 12);
