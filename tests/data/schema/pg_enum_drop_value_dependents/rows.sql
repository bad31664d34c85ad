INSERT INTO ticket (id, status, prev) VALUES (1, 'new', NULL), (2, 'open', 'new'), (3, 'closed', 'open');
INSERT INTO log (id, ticket_id, status) VALUES (1, 2, 'open'), (2, 3, 'closed');
