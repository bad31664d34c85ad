CREATE TABLE ticket (
    id INT PRIMARY KEY,
    state ENUM('open', 'closed') NOT NULL DEFAULT 'open',
    tags SET('bug', 'ui') NULL
);
