INSERT INTO person (id, name, age, note) VALUES (1, 'Ann', 30, 'x'), (2, 'Bob', 12, NULL);
