CREATE TABLE box (
    id integer PRIMARY KEY,
    w numeric NOT NULL,
    h numeric NOT NULL,
    area numeric GENERATED ALWAYS AS (w * h * 1) STORED,
    old_total numeric,
    perimeter numeric GENERATED ALWAYS AS (2 * (w + h)) STORED
);
