CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL
);
CREATE TABLE loan (
    id INTEGER PRIMARY KEY,
    book_id INTEGER REFERENCES book (id)
);
CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    msg TEXT
);
CREATE VIEW loaned AS SELECT b.title FROM book b JOIN loan l ON l.book_id = b.id;
CREATE VIEW loaned_count AS SELECT count(*) AS n FROM loaned;
CREATE TRIGGER tr_loan AFTER INSERT ON loan BEGIN
    INSERT INTO log (msg) SELECT title FROM book WHERE id = new.book_id;
END;
