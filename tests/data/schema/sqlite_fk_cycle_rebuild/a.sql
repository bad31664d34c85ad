CREATE TABLE hen (
    id INTEGER PRIMARY KEY,
    code TEXT,
    egg_code TEXT
);
CREATE TABLE egg (
    id INTEGER PRIMARY KEY,
    code TEXT,
    hen_code TEXT
);
