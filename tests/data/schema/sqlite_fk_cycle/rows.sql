INSERT INTO keep (id) VALUES (1);
INSERT INTO egg (id, hen_id) VALUES (1, 1);
INSERT INTO hen (id, egg_id) VALUES (1, 1);
