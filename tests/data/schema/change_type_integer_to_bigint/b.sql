CREATE TABLE event (
    id INTEGER PRIMARY KEY,
    counter BIGINT NOT NULL,
    small INTEGER
);
