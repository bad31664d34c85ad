CREATE TABLE `Order` (
    id INT PRIMARY KEY,
    `select` VARCHAR(20),
    `user name` VARCHAR(30)
);
CREATE TABLE `line item` (
    id INT PRIMARY KEY,
    `order` INT,
    CONSTRAINT `fk line order` FOREIGN KEY (`order`) REFERENCES `Order` (id)
);
