INSERT INTO account (name) VALUES ('x'), ('y');
