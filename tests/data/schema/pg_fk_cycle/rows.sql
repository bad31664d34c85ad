INSERT INTO keep (id) VALUES (1);
INSERT INTO egg (id, hen_id) VALUES (1, NULL);
INSERT INTO hen (id, egg_id) VALUES (1, 1);
UPDATE egg SET hen_id = 1;
