INSERT INTO a (name) VALUES ('x'), ('y');
INSERT INTO b (name) VALUES ('p');
