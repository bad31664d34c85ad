INSERT INTO book (id, title) VALUES (1, 'Ubik'), (2, 'Solaris');
INSERT INTO audit (id, what) VALUES (1, 'seed');
