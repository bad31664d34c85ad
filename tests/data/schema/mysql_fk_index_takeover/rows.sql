INSERT INTO parent (id) VALUES (1), (2);
INSERT INTO child (id, parent_id, rank_no) VALUES (1, 1, 1), (2, 2, 1), (3, NULL, 2);
