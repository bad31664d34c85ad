INSERT INTO `Order` (id, `select`, `user name`) VALUES (1, 'a', 'x'), (2, 'b', NULL);
INSERT INTO `line item` (id, `order`) VALUES (1, 1), (2, 2);
