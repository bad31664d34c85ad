CREATE TABLE keep (
    id integer PRIMARY KEY
);
CREATE TABLE chicken (
    id integer PRIMARY KEY,
    laid_id integer
);
CREATE TABLE ovum (
    id integer PRIMARY KEY,
    chicken_id integer REFERENCES chicken (id) DEFERRABLE INITIALLY DEFERRED
);
ALTER TABLE chicken ADD CONSTRAINT chicken_laid_id_fkey FOREIGN KEY (laid_id) REFERENCES ovum (id);
