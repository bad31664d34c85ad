CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE TABLE ticket (
    id integer PRIMARY KEY,
    mood mood NOT NULL DEFAULT 'ok',
    history mood[]
);
