CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    status VARCHAR(10) DEFAULT 'new',
    qty INTEGER,
    note TEXT DEFAULT 'none'
);
