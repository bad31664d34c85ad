INSERT INTO ticket (id, status, previous) VALUES (1, 'open', '{new}'), (2, 'closed', NULL);
