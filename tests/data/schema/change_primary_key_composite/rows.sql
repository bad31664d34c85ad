INSERT INTO membership (user_id, group_id, role) VALUES (1, 10, 'admin'), (2, 10, 'member');
