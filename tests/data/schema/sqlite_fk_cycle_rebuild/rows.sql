INSERT INTO hen (id, code, egg_code) VALUES (1, 'h1', 'e1');
INSERT INTO egg (id, code, hen_code) VALUES (1, 'e1', 'h1');
