INSERT INTO account (id, email, deleted) VALUES (1, 'a@example.org', 0), (2, 'a@example.org', 1);
