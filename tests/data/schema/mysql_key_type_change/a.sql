CREATE TABLE parent (
    id INT PRIMARY KEY,
    code CHAR(3) NOT NULL,
    CONSTRAINT uq_parent_code UNIQUE (code)
);
CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id INT NOT NULL,
    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
);
