INSERT INTO person (id, name) VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO pet (id, name, owner_id, vet_id) VALUES (1, 'Rex', 1, 2);
