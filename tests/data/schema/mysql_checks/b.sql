CREATE TABLE price (
    id INT PRIMARY KEY,
    amount INT NOT NULL CHECK (amount >= 1),
    lo INT,
    hi INT,
    CONSTRAINT ck_range CHECK (lo < hi OR (lo IS NULL AND hi IS NULL))
);
