CREATE TABLE item (
    id INT PRIMARY KEY,
    price INT NOT NULL,
    qty INT NOT NULL,
    total INT AS (price * qty) STORED,
    label VARCHAR(20) DEFAULT 'none'
) COMMENT 'items';
CREATE INDEX ix_item_total ON item (total);
