INSERT INTO category (id, name, parent_id) VALUES (1, 'root', NULL), (2, 'child', 1), (3, 'grandchild', 2);
