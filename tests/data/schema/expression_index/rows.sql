INSERT INTO account (id, email) VALUES (1, 'A@example.org'), (2, 'b@example.org');
