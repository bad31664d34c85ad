INSERT INTO ticket (id, subject) VALUES (1, 'a'), (7, 'b');
