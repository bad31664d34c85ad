INSERT INTO event (id, counter, small) VALUES (1, 10, 1), (2, 20, NULL);
