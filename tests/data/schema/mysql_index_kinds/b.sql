CREATE TABLE doc (
    id INT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    body TEXT,
    code VARCHAR(100)
);
CREATE INDEX ix_doc_code ON doc (code(10) DESC, id);
CREATE UNIQUE INDEX ux_doc_title ON doc (title(50));
CREATE INDEX ix_doc_body ON doc (body(20)) COMMENT 'prefix';
CREATE FULLTEXT INDEX ft_doc ON doc (title, body);
