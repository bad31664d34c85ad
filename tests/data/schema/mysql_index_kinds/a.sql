CREATE TABLE doc (
    id INT PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    body TEXT,
    code VARCHAR(100)
);
CREATE INDEX ix_doc_code ON doc (code);
