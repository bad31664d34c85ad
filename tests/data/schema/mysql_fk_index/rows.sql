INSERT INTO parent (id) VALUES (1), (2);
INSERT INTO child (id, p, q) VALUES (1, 1, 2), (2, NULL, 1);
