CREATE TABLE box (
    id INT PRIMARY KEY,
    w INT NOT NULL,
    h INT NOT NULL,
    area INT AS (w * h * 1) VIRTUAL,
    perimeter INT AS (2 * (w + h)) STORED
);
CREATE INDEX ix_box_perimeter ON box (perimeter);
