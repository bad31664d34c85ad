CREATE TABLE ticket (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL
);
