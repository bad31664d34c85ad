INSERT INTO event (id, name, created, n, code) VALUES (1, 'a', '2024-01-02 03:04:05', 5, 'abc'), (2, 'b', '2024-02-03 04:05:06', NULL, NULL);
