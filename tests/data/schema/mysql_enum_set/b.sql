CREATE TABLE ticket (
    id INT PRIMARY KEY,
    state ENUM('open', 'pending', 'closed') NOT NULL DEFAULT 'pending',
    tags SET('bug', 'ui', 'db') NULL
);
