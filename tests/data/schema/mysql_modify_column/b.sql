CREATE TABLE person (
    id INT PRIMARY KEY,
    name VARCHAR(100) NOT NULL DEFAULT '' COMMENT 'full name',
    age INT NULL,
    nick VARCHAR(20),
    note TEXT
);
CREATE VIEW adult AS SELECT id, name, nick FROM person WHERE age >= 21;
