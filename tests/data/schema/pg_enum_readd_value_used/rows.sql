INSERT INTO ticket (id, status) VALUES (1, 'new'), (2, 'open'), (3, 'closed');
