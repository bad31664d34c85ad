CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    balance INTEGER NOT NULL
);
CREATE TABLE entry (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id),
    amount INTEGER NOT NULL
);
CREATE TRIGGER tr_entry_post AFTER INSERT ON entry BEGIN
    UPDATE account SET balance = balance + new.amount WHERE id = new.account_id;
END;
CREATE TRIGGER tr_account_close BEFORE DELETE ON account BEGIN
    DELETE FROM entry WHERE account_id = old.id;
END;
