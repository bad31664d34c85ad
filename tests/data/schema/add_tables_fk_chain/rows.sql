INSERT INTO country (code, name) VALUES ('NO', 'Norway');
