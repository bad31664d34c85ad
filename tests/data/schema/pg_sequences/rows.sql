INSERT INTO invoice (id) VALUES (1), (2);
