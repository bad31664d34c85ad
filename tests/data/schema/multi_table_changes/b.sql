CREATE TABLE author (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    born INTEGER
);
CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    author_id INTEGER REFERENCES author (id),
    isbn VARCHAR(13)
);
CREATE TABLE loan (
    id INTEGER PRIMARY KEY,
    book_id INTEGER NOT NULL REFERENCES book (id),
    due DATE
);
CREATE INDEX ix_book_isbn ON book (isbn);
CREATE INDEX ix_loan_book ON loan (book_id);
