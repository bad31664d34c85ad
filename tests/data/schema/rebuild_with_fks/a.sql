CREATE TABLE publisher (
    id INTEGER PRIMARY KEY,
    name VARCHAR(100) NOT NULL
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    publisher_id INTEGER REFERENCES publisher (id),
    price NUMERIC(8, 2)
);
CREATE INDEX ix_book_publisher ON book (publisher_id);
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
    stars INTEGER
);
