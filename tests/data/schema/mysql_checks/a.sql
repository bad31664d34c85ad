CREATE TABLE price (
    id INT PRIMARY KEY,
    amount INT NOT NULL CHECK (amount >= 0),
    lo INT,
    hi INT
);
