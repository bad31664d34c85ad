INSERT INTO doc (id, title, tags) VALUES (1, 'Hello', '{a,b}');
