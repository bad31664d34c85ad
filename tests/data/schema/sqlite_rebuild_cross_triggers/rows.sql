INSERT INTO account (id, balance) VALUES (1, 0), (2, 0);
INSERT INTO entry (id, account_id, amount) VALUES (1, 1, 10), (2, 1, 5), (3, 2, 7);
