CREATE TABLE book (
    id INTEGER PRIMARY KEY,
    title VARCHAR(100) NOT NULL,
    updated TEXT
);
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    what TEXT
);
CREATE TRIGGER tr_book_old AFTER DELETE ON book BEGIN
    INSERT INTO audit (what) VALUES ('delete ' || old.title);
END;
CREATE TRIGGER tr_book_touch AFTER UPDATE OF title ON book BEGIN
    UPDATE book SET updated = 'now' WHERE id = new.id;
END;
