INSERT INTO tag (id, label) VALUES (1, 'SF'), (2, 'fantasy');
