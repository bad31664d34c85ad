INSERT INTO "Ops".job (id, next, level) VALUES (1, 'start', 'low'), (2, 'stop', 'high');
