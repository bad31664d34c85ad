CREATE TABLE shelf (
    room VARCHAR(10) NOT NULL,
    num INTEGER NOT NULL,
    label TEXT,
    PRIMARY KEY (room, num)
);
