CREATE TABLE item (
    id INTEGER PRIMARY KEY,
    status VARCHAR(10) DEFAULT 'open',
    qty INTEGER DEFAULT 1,
    note TEXT
);
