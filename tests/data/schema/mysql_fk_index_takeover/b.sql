CREATE TABLE parent (
    id INT PRIMARY KEY
);
CREATE TABLE child (
    id INT PRIMARY KEY,
    parent_id INT,
    rank_no INT,
    CONSTRAINT fk_child_parent FOREIGN KEY (parent_id) REFERENCES parent (id)
);
-- InnoDB drops fk_child_parent's own index once this one serves it
CREATE INDEX ix_child_parent_rank ON child (parent_id, rank_no);
