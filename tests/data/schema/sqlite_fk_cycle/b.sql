CREATE TABLE keep (
    id INTEGER PRIMARY KEY
);
CREATE TABLE chicken (
    id INTEGER PRIMARY KEY,
    laid_id INTEGER REFERENCES ovum (id)
);
CREATE TABLE ovum (
    id INTEGER PRIMARY KEY,
    chicken_id INTEGER REFERENCES chicken (id)
);
