CREATE TABLE item (
    id INT PRIMARY KEY,
    price BIGINT NOT NULL,
    qty INT NOT NULL,
    total BIGINT AS (price * qty + 1) VIRTUAL,
    label VARCHAR(20)
);
CREATE INDEX ix_item_total ON item (total);
