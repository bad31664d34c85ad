CREATE TABLE person (
    id INT PRIMARY KEY,
    name VARCHAR(20),
    age SMALLINT NOT NULL DEFAULT 0,
    note TEXT
);
CREATE VIEW adult AS SELECT id, name FROM person WHERE age >= 18;
