INSERT INTO word (id, w, v) VALUES (1, 'b', 'x'), (2, 'A', 'y');
