INSERT INTO reading (id, value, lvl, at) VALUES (1, '10', 'low', '2024-01-02 03:04:05'), (2, '20', 'high', NULL);
