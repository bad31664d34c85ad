CREATE TABLE keep (
    id integer PRIMARY KEY
);
CREATE TABLE egg (
    id integer PRIMARY KEY,
    hen_id integer
);
CREATE TABLE hen (
    id integer PRIMARY KEY,
    egg_id integer REFERENCES egg (id)
);
ALTER TABLE egg ADD CONSTRAINT egg_hen_id_fkey FOREIGN KEY (hen_id) REFERENCES hen (id);
