INSERT INTO ticket (id, state, tags) VALUES (1, 'open', 'bug,ui'), (2, 'closed', NULL), (3, 'open', '');
