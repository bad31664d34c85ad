INSERT INTO node (id) VALUES (1), (2);
INSERT INTO edge (id, src) VALUES (1, 1), (2, 2);
