INSERT INTO author (id, code) VALUES (1, 'lg');
INSERT INTO book (id, author_id, author_code) VALUES (1, 1, 'lg');
