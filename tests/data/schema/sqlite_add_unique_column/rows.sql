INSERT INTO person (id, name) VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO pet (id, owner_id) VALUES (1, 1), (2, 2);
