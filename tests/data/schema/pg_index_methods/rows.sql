INSERT INTO account (id, email, token, data) VALUES (1, 'a@x', 't1', '{"a": 1}'), (2, 'b@x', NULL, NULL);
