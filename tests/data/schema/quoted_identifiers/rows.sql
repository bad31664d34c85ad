INSERT INTO "Order" (id, "select", "user") VALUES (1, 'a', 'bob');
INSERT INTO "Line Item" (id, "Order", qty) VALUES (1, 1, 2);
