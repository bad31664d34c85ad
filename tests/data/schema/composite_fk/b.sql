CREATE TABLE shelf (
    room VARCHAR(10) NOT NULL,
    num INTEGER NOT NULL,
    label TEXT,
    PRIMARY KEY (room, num)
);
CREATE TABLE slot (
    id INTEGER PRIMARY KEY,
    room VARCHAR(10) NOT NULL,
    num INTEGER NOT NULL,
    CONSTRAINT fk_slot_shelf FOREIGN KEY (room, num) REFERENCES shelf (room, num) ON DELETE CASCADE
);
