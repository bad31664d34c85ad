CREATE TABLE `Order` (
    id INT PRIMARY KEY,
    `select` VARCHAR(40) NOT NULL DEFAULT 'it''s',
    `group` INT COMMENT 'the `group`'
);
CREATE TABLE `line item` (
    id INT PRIMARY KEY,
    `order` INT,
    `from` DATE,
    CONSTRAINT `fk line order` FOREIGN KEY (`order`) REFERENCES `Order` (id) ON DELETE CASCADE
);
CREATE INDEX `ix from` ON `line item` (`from`, `order`);
CREATE VIEW `order view` AS SELECT o.`select`, l.`from` FROM `Order` o JOIN `line item` l ON l.`order` = o.id;
