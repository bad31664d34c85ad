CREATE TABLE parent (
    id BIGINT PRIMARY KEY,
    code CHAR(3) NOT NULL
);
CREATE INDEX uq_parent_code ON parent (code);
CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id BIGINT NOT NULL,
    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
);
