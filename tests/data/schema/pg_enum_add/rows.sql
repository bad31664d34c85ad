INSERT INTO ticket (id) VALUES (1), (2);
