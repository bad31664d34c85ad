CREATE TABLE tag (
    id INTEGER NOT NULL,
    label VARCHAR(30)
);
