CREATE TABLE membership (
    user_id INTEGER NOT NULL,
    group_id INTEGER NOT NULL,
    role VARCHAR(10),
    CONSTRAINT pk_membership PRIMARY KEY (user_id, group_id)
);
