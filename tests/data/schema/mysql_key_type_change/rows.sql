INSERT INTO parent (id, code) VALUES (1, 'abc'), (2, 'def');
INSERT INTO child (id, parent_id) VALUES (1, 1), (2, 2), (3, 1);
