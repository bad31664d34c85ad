INSERT INTO ticket (subject) VALUES ('a'), ('b'), ('c');
DELETE FROM ticket WHERE id = 3;
