INSERT INTO word (id, body) VALUES (1, 12345), (2, NULL);
