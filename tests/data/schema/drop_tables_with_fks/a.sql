CREATE TABLE country (
    code VARCHAR(2) PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE region (
    id INTEGER PRIMARY KEY,
    country_code VARCHAR(2) NOT NULL REFERENCES country (code),
    capital_id INTEGER,
    parent_id INTEGER REFERENCES region (id)
);
CREATE TABLE city (
    id INTEGER PRIMARY KEY,
    region_id INTEGER NOT NULL REFERENCES region (id),
    name TEXT NOT NULL
);
CREATE TABLE address (
    id INTEGER PRIMARY KEY,
    city_id INTEGER REFERENCES city (id)
);
