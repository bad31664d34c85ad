INSERT INTO book (id, isbn, title) VALUES (1, '9780060512750', 'Ubik'), (2, '9780156027601', 'Solaris');
