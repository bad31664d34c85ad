INSERT INTO measure (id, value, unit) VALUES (1, 1.5, 'kg'), (2, 3.25, 'm');
