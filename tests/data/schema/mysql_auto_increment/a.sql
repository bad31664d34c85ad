CREATE TABLE item (
    id INT NOT NULL,
    name VARCHAR(40) NOT NULL,
    PRIMARY KEY (id)
);
