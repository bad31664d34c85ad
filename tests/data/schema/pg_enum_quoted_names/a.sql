CREATE SCHEMA "Ops";
CREATE TYPE "Ops".action AS ENUM ('start', 'stop', 'pause');
CREATE TYPE "Ops"."Level" AS ENUM ('low', 'high');
CREATE TABLE "Ops".job (
    id integer PRIMARY KEY,
    next "Ops".action DEFAULT 'start',
    level "Ops"."Level"
);
