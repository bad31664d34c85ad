INSERT INTO doc (id, title, body, code) VALUES (1, 'one', 'first body', 'A1'), (2, 'two', NULL, NULL);
