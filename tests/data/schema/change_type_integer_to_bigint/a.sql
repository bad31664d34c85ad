CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    counter INTEGER NOT NULL,
    small SMALLINT
);
