INSERT INTO shelf (room, num, label) VALUES ('A', 1, 'top'), ('A', 2, 'bottom');
