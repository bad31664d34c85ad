INSERT INTO reading (id, value, lvl, at) VALUES (1, '10', 'low', NULL), (2, '20', 'high', NULL);
