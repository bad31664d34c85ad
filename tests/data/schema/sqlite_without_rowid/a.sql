CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT
);
