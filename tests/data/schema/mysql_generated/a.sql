CREATE TABLE box (
    id INT PRIMARY KEY,
    w INT NOT NULL,
    h INT NOT NULL,
    area INT AS (w * h) VIRTUAL
);
