#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""stairway.py: `retort test` against pytest-alembic's stairway on the same
revisions, on SQLite in memory.

N revisions (default 200), each creating a table with an index and, every
fifth, adding a column to an earlier table; every downgrade undoes its
upgrade. Timed:

  retort test        up, down, compare the schema, up, compare, for each
                     revision (plus the single-head check);
  Alembic stairway   pytest-alembic's test_up_down_consistency written
                     with Alembic's API (pytest-alembic is not in
                     Debian): for each revision in upgrade order
                     command.upgrade(rev), command.downgrade(down
                     revision), command.upgrade(rev), on one in-memory
                     connection handed to env.py. It compares no schema,
                     so it does less work than retort test.

Usage: bench/stairway.py PATH/TO/retort [N]
"""
import os
import subprocess
import sys
import tempfile
import time


def sections(n):
    up = ("CREATE TABLE t%d (id INTEGER PRIMARY KEY, v TEXT);\n"
          "CREATE INDEX t%d_v ON t%d (v);" % (n, n, n))
    down = "DROP INDEX t%d_v;\nDROP TABLE t%d;" % (n, n)
    if n % 5 == 0 and n > 1:
        up += "\nALTER TABLE t%d ADD COLUMN c%d INTEGER;" % (n - 1, n)
        down = "ALTER TABLE t%d DROP COLUMN c%d;\n" % (n - 1, n) + down
    return up, down


def rid(n):
    return "%012x" % (0xabc000000000 + n)


def write_retort(root, count):
    os.makedirs(os.path.join(root, "m", "versions"))
    with open(os.path.join(root, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = %(here)s/m\n"
                "url = sqlite:///%(here)s/unused.db\n")
    for n in range(1, count + 1):
        up, down = sections(n)
        with open(os.path.join(root, "m", "versions",
                               "%s_rev_%d.sql" % (rid(n), n)), "w") as f:
            f.write("-- rev %d\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                    "-- Create Date: 2026-12-03 10:00:00\n\n"
                    "-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n"
                    % (n, rid(n), rid(n - 1) if n > 1 else "", up, down))


ENV_PY = '''from alembic import context
connection = context.config.attributes["connection"]
context.configure(connection=connection, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
'''


def write_alembic(root, count):
    os.makedirs(os.path.join(root, "m", "versions"))
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %(here)s/m\n"
                "sqlalchemy.url = sqlite://\n")
    with open(os.path.join(root, "m", "env.py"), "w") as f:
        f.write(ENV_PY)
    for n in range(1, count + 1):
        up, down = sections(n)
        with open(os.path.join(root, "m", "versions",
                               "%s_rev_%d.py" % (rid(n), n)), "w") as f:
            f.write('"""rev %d\n\nRevision ID: %s\n"""\nfrom alembic import '
                    'op\nrevision = %r\ndown_revision = %r\nbranch_labels = '
                    'None\ndepends_on = None\n\n\ndef upgrade():\n%s\n\n\n'
                    'def downgrade():\n%s\n'
                    % (n, rid(n), rid(n), rid(n - 1) if n > 1 else None,
                       "\n".join("    op.execute(%r)" % s.rstrip(";")
                                 for s in up.split("\n")),
                       "\n".join("    op.execute(%r)" % s.rstrip(";")
                                 for s in down.split("\n"))))


def alembic_stairway(root):
    """pytest-alembic's stairway: up, down one, up, for each revision."""
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    cfg = Config(os.path.join(root, "alembic.ini"))
    script = ScriptDirectory.from_config(cfg)
    revs = list(reversed(list(script.walk_revisions("base", "heads"))))
    engine = create_engine("sqlite://")
    t0 = time.monotonic()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        for rev in revs:
            command.upgrade(cfg, rev.revision)
            command.downgrade(cfg, rev.down_revision or "base")
            command.upgrade(cfg, rev.revision)
        if hasattr(conn, "commit"):
            conn.commit()
    return time.monotonic() - t0, len(revs)


def main():
    retort = os.path.abspath(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as work:
        r = os.path.join(work, "retort")
        write_retort(r, count)
        t0 = time.monotonic()
        p = subprocess.run([retort, "-q", "test"], cwd=r,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
        t_retort = time.monotonic() - t0
        if p.returncode != 0:
            sys.exit("retort test failed (%d): %s%s"
                     % (p.returncode, p.stdout[-2000:], p.stderr[-2000:]))
        a = os.path.join(work, "alembic")
        write_alembic(a, count)
        t_alembic, n = alembic_stairway(a)
        assert n == count
    print("revisions: %d (SQLite in memory)" % count)
    print("retort test:        %6.2f s (up, down, compare, up, compare)"
          % t_retort)
    print("Alembic stairway:   %6.2f s (up, down, up; no schema compared)"
          % t_alembic)


if __name__ == "__main__":
    main()
