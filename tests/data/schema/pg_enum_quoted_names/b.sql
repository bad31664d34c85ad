CREATE SCHEMA "Ops";
CREATE TYPE "Ops".action AS ENUM ('start', 'stop');
CREATE TYPE "Ops"."Level" AS ENUM ('high', 'low');
CREATE TABLE "Ops".job (
    id integer PRIMARY KEY,
    next "Ops".action DEFAULT 'stop',
    level "Ops"."Level"
);
