CREATE TABLE parent (
    id INT PRIMARY KEY
);
CREATE TABLE child (
    id INT PRIMARY KEY,
    p INT,
    q INT,
    FOREIGN KEY (p) REFERENCES parent (id),
    CONSTRAINT fk_child_q FOREIGN KEY (q) REFERENCES parent (id) ON DELETE SET NULL
);
