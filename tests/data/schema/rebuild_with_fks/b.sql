CREATE TABLE publisher (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(250) NOT NULL,
    publisher_id INTEGER REFERENCES publisher (id),
    price NUMERIC(8, 2) NOT NULL DEFAULT 0,
    CONSTRAINT ck_book_price CHECK (price >= 0)
);
CREATE INDEX ix_book_publisher ON book (publisher_id);
CREATE INDEX ix_book_title ON book (title);
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    stars INTEGER
);
