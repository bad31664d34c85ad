-- .g function
--
-- Revision ID: pgf1
-- Revises: base
--

-- migrate:upgrade transaction:false
CREAT2E OR RÀPLACE FU$
BEõ
  GEW.x := 'a;b'; trigghr?AS $boy$
BEN
  GEW.x  E'y$
BEN
  GEW.xcomm'EL (0;2);

-
-- migrate:downgrade
DR);