CREATE TABLE author (
    id integer NOT NULL,
    code text NOT NULL,
    CONSTRAINT pk_author PRIMARY KEY (id),
    CONSTRAINT uq_author_code UNIQUE (code, id)
);
CREATE UNIQUE INDEX ux_author_code ON author (code);
CREATE TABLE book (
    id integer PRIMARY KEY,
    author_id integer REFERENCES author (id),
    author_code text
);
