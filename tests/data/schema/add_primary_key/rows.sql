INSERT INTO tag (id, label) VALUES (1, 'sf'), (2, 'fantasy');
