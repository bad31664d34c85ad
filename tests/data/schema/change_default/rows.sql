INSERT INTO item (id, status, qty, note) VALUES (1, 'new', 3, 'x'), (2, 'done', NULL, NULL);
