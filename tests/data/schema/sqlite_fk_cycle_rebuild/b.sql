CREATE TABLE hen (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    egg_code TEXT REFERENCES egg (code)
);
CREATE TABLE egg (
    id INTEGER PRIMARY KEY,
    code TEXT UNIQUE,
    hen_code TEXT REFERENCES hen (code)
);
