INSERT INTO item (id, name) VALUES (1, 'a'), (7, 'b');
