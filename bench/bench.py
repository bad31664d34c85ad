#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""bench.py: retort against Alembic 1.8.1 and the raw database clients.

Run by bench/run.sh (`make bench`), inside throwaway PostgreSQL and MariaDB
servers (tests/pg/server.sh, tests/mysql/server.sh), with Debian's
python3-alembic, python3-psycopg2 and python3-pymysql.
Every comparison is made within one run of this script, on the same
generated revisions, and reported as ratios in docs/benchmarks.md.

What is measured:
  graph    heads, history and `upgrade head --sql` on 10,000 revisions
           (a line, and a graph with many branches and merges), against a
           plain C loop that opens and reads every revision file once, and
           against Alembic; peak memory of retort
  sqlite   `upgrade head` of 1,000 and 10,000 revisions (one CREATE TABLE
           each) on a SQLite file, against the sqlite3 shell running the
           same SQL with the same transaction granularity (retort's own
           --sql output: one BEGIN/COMMIT per revision) and against Alembic
  postgres `upgrade head` of 1,000 revisions against `psql -f` of the same
           SQL and granularity, and against Alembic with psycopg2
  lint     `lint --no-database` of 10,000 revisions (a table, a column, an
           index and a backfill each) against the plain C read of the same
           files; the goal is under 2x
  mysql    `upgrade head` of 1,000 revisions (--mysql-revisions) on MariaDB
           against the mariadb client running retort's --sql output, and
           against Alembic with PyMySQL
  schema   `check` and `revision --autogenerate` on 2,000 tables (--tables)
           on SQLite, PostgreSQL and MariaDB (RETORT_TEST_MYSQL_URL, from
           tests/mysql/server.sh; Alembic with PyMySQL), with and without
           dev_url
  statements  one revision of 20,000 statements on SQLite against the
           sqlite3 shell
  test     `retort test` of 200 revisions on SQLite in memory against
           pytest-alembic's stairway written with Alembic's API
           (bench/stairway.py)
"""
import argparse
import re
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

PY = "/usr/bin/python3"


def run(cmd, cwd, env=None, stdin=None, stdout=subprocess.DEVNULL, ok=(0,)):
    """Run once; return (seconds, peak RSS in KiB). Fails loudly on an
    exit status not in ok."""
    with tempfile.TemporaryFile() as errf:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=stdin,
                             stdout=stdout, stderr=errf)
        _, status, rusage = os.wait4(p.pid, 0)
        elapsed = time.perf_counter() - start
        errf.seek(0)
        err = errf.read().decode(errors="replace")
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in ok:
        sys.exit("bench: %s failed (%d): %s" % (" ".join(cmd), p.returncode,
                                               err[-2000:]))
    return elapsed, rusage.ru_maxrss


def best(cmd, cwd, runs, env=None, ok=(0,)):
    """Median time and max RSS over `runs` runs."""
    times, rss = [], 0
    for _ in range(runs):
        t, m = run(cmd, cwd, env, ok=ok)
        times.append(t)
        rss = max(rss, m)
    return statistics.median(times), rss


# ---------------------------------------------------------------- graphs

def rev_id(i):
    return "%012x" % (i * 2654435761 % (1 << 48))


def linear(n):
    revs, prev = [], None
    for i in range(1, n + 1):
        revs.append((rev_id(i), [prev] if prev else []))
        prev = rev_id(i)
    return revs


def branchy(n, seed=7):
    """A main line that regularly splits into 2-4 parallel chains of 2-8
    revisions that merge back: many branch points and merges."""
    rnd = random.Random(seed)
    revs, i, tip = [], 0, None

    def new(parents):
        nonlocal i
        i += 1
        revs.append((rev_id(i), parents))
        return rev_id(i)

    while i < n:
        for _ in range(rnd.randint(3, 10)):
            if i >= n:
                break
            tip = new([tip] if tip else [])
        if i >= n - 40:
            continue
        tips = []
        for _ in range(rnd.randint(2, 4)):
            t = tip
            for _ in range(rnd.randint(2, 8)):
                t = new([t])
            tips.append(t)
        tip = new(tips)
    return revs[:n]


def write_retort(root, revs, url):
    os.makedirs(os.path.join(root, "m", "versions"))
    with open(os.path.join(root, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = %%(here)s/m\nurl = %s\n" % url)
    for n, (rid, parents) in enumerate(revs, 1):
        with open(os.path.join(root, "m", "versions",
                               "%s_rev_%d.sql" % (rid, n)), "w") as f:
            f.write("-- rev %d\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                    "-- Create Date: 2026-11-22 10:00:00\n\n"
                    "-- migrate:upgrade\nCREATE TABLE t%d (id INTEGER "
                    "PRIMARY KEY);\n\n-- migrate:downgrade\nDROP TABLE "
                    "t%d;\n" % (n, rid, ", ".join(parents), n, n))


ENV_PY = '''from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
def offline():
    context.configure(url=config.get_main_option("sqlalchemy.url"),
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
def online():
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
offline() if context.is_offline_mode() else online()
'''


def write_alembic(root, revs, url):
    os.makedirs(os.path.join(root, "m", "versions"))
    with open(os.path.join(root, "alembic.ini"), "w") as f:
        f.write("[alembic]\nscript_location = %%(here)s/m\n"
                "sqlalchemy.url = %s\n" % url)
    with open(os.path.join(root, "m", "env.py"), "w") as f:
        f.write(ENV_PY)
    for n, (rid, parents) in enumerate(revs, 1):
        down = ("None" if not parents else repr(parents[0])
                if len(parents) == 1 else repr(tuple(parents)))
        with open(os.path.join(root, "m", "versions",
                               "%s_rev_%d.py" % (rid, n)), "w") as f:
            f.write('"""rev %d\n\nRevision ID: %s\n"""\nfrom alembic import '
                    'op\nrevision = %r\ndown_revision = %s\nbranch_labels = '
                    'None\ndepends_on = None\n\n\ndef upgrade():\n    '
                    'op.execute("CREATE TABLE t%d (id INTEGER PRIMARY KEY)")'
                    '\n\n\ndef downgrade():\n    op.execute("DROP TABLE '
                    't%d")\n' % (n, rid, rid, down, n, n))


# ---------------------------------------------------------------- sections

def fmt_s(t):
    return "%.3f s" % t if t >= 1 else "%.1f ms" % (t * 1000)


def graph_bench(a, out):
    rows = []
    for name, revs in (("10,000 in a line", linear(10000)),
                       ("10,000 with branches and merges", branchy(10000))):
        root = os.path.join(a.work, "graph-%d" % len(rows))
        write_retort(os.path.join(root, "r"), revs, "sqlite:///x.db")
        write_alembic(os.path.join(root, "a"), revs, "sqlite:///x.db")
        r_dir = os.path.join(root, "r")
        a_dir = os.path.join(root, "a")
        base, _ = best([a.readall, os.path.join(r_dir, "m", "versions")],
                       r_dir, a.runs)
        for label, args in (("heads", ["heads"]),
                            ("history", ["history"]),
                            ("upgrade head --sql", ["upgrade", "head",
                                                    "--sql"])):
            t, rss = best([a.retort] + args, r_dir, a.runs)
            al, _ = best([PY, "-m", "alembic"] + args, a_dir,
                         1 if not a.quick else 1)
            rows.append((name, label, t, base, al, rss))
            print("graph %-34s %-20s retort %s  read %s  alembic %s" % (
                name, label, fmt_s(t), fmt_s(base), fmt_s(al)))
    out.append("## Revision graph\n")
    out.append("Each retort time is the median of %d runs; the plain C loop "
               "(bench/readall.c) opens and reads every revision file once "
               "and is the floor for any tool that reads the files. Alembic "
               "imports every revision module.\n" % a.runs)
    out.append("| revisions | command | retort | plain C read | retort / "
               "read | Alembic 1.8.1 | Alembic / retort | retort peak RSS |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for name, label, t, base, al, rss in rows:
        out.append("| %s | `%s` | %s | %s | %.2f× | %s | %.0f× | %.1f MiB |" % (
            name, label, fmt_s(t), fmt_s(base), t / base, fmt_s(al), al / t,
            rss / 1024.0))
    out.append("")


def sqlite_bench(a, out):
    rows = []
    sizes = (1000,) if a.quick else (1000, 10000)
    for n in sizes:
        revs = linear(n)
        root = os.path.join(a.work, "sqlite-%d" % n)
        r_dir, a_dir = os.path.join(root, "r"), os.path.join(root, "a")
        write_retort(r_dir, revs, "sqlite:///%(here)s/r.db")
        write_alembic(a_dir, revs, "sqlite:///a.db")
        t_r, _ = run([a.retort, "-q", "upgrade", "head"], r_dir)
        sql_file = os.path.join(root, "upgrade.sql")
        with open(sql_file, "w") as f:
            run([a.retort, "upgrade", "head", "--sql"], r_dir, stdout=f)
        with open(sql_file) as f:
            t_sh, _ = run(["sqlite3", os.path.join(root, "shell.db")], root,
                          stdin=f)
        t_al, _ = run([PY, "-m", "alembic", "upgrade", "head"], a_dir)
        rows.append((n, t_r, t_sh, t_al))
        print("sqlite %d: retort %s shell %s alembic %s" % (
            n, fmt_s(t_r), fmt_s(t_sh), fmt_s(t_al)))
    out.append("## `upgrade head` on SQLite\n")
    out.append("One CREATE TABLE per revision, one transaction per revision "
               "(with its version row; retort also writes its log row), on a "
               "SQLite file. The shell runs retort's `--sql` output of the "
               "same upgrade: the same statements and transactions.\n")
    out.append("| revisions | retort | sqlite3 shell | retort / shell | "
               "Alembic 1.8.1 | Alembic / retort | per revision: retort, "
               "Alembic |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for n, t_r, t_sh, t_al in rows:
        out.append("| %d | %s | %s | %.2f× | %s | %.1f× | %.2f ms, %.2f ms |"
                   % (n, fmt_s(t_r), fmt_s(t_sh), t_r / t_sh, fmt_s(t_al),
                      t_al / t_r, t_r * 1000 / n, t_al * 1000 / n))
    out.append("")


def psql(args, dbname="postgres", stdin=None):
    return subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", dbname]
                          + args, stdin=stdin, check=True,
                          stdout=subprocess.DEVNULL)


def postgres_bench(a, out):
    base_url = os.environ.get("RETORT_TEST_PG_URL")
    if not base_url:
        print("postgres: no server (RETORT_TEST_PG_URL unset), skipped")
        return
    n = 1000
    revs = linear(n)
    root = os.path.join(a.work, "pg")
    prefix = base_url.rsplit("/", 1)[0]
    for db in ("b_retort", "b_psql", "b_alembic"):
        psql(["-c", "DROP DATABASE IF EXISTS %s" % db])
        psql(["-c", "CREATE DATABASE %s OWNER retort" % db])
    r_dir, a_dir = os.path.join(root, "r"), os.path.join(root, "a")
    write_retort(r_dir, revs, prefix + "/b_retort")
    write_alembic(a_dir, revs, prefix.replace("postgresql://",
                                              "postgresql+psycopg2://")
                  + "/b_alembic")
    t_r, _ = run([a.retort, "-q", "upgrade", "head"], r_dir)
    sql_file = os.path.join(root, "upgrade.sql")
    with open(sql_file, "w") as f:
        run([a.retort, "upgrade", "head", "--sql"], r_dir, stdout=f)
    start = time.perf_counter()
    psql(["-f", sql_file], dbname="b_psql")
    t_ps = time.perf_counter() - start
    t_al, _ = run([PY, "-m", "alembic", "upgrade", "head"], a_dir)
    print("postgres %d: retort %s psql %s alembic %s" % (
        n, fmt_s(t_r), fmt_s(t_ps), fmt_s(t_al)))
    out.append("## `upgrade head` on PostgreSQL\n")
    out.append("1,000 revisions, one CREATE TABLE each, one transaction per "
               "revision, against a local PostgreSQL 15 over TCP (the "
               "throwaway test server, fsync off). `psql -f` runs retort's "
               "`--sql` output: the same statements and transactions. "
               "Alembic uses psycopg2.\n")
    out.append("| revisions | retort | psql -f | retort / psql | Alembic "
               "1.8.1 | Alembic / retort |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    out.append("| %d | %s | %s | %.2f× | %s | %.1f× |" % (
        n, fmt_s(t_r), fmt_s(t_ps), t_r / t_ps, fmt_s(t_al), t_al / t_r))
    out.append("")


def mysql_bench(a, out):
    """`upgrade head` of 1,000 revisions on MariaDB: retort, the mariadb
    client running retort's --sql output, Alembic with PyMySQL."""
    base_url = os.environ.get("RETORT_TEST_MYSQL_URL")
    if not base_url:
        print("mysql: no server (RETORT_TEST_MYSQL_URL unset), skipped")
        return
    m = re.match(r"^mysql://([^:@/]*):([^@/]*)@([^/:]+):(\d+)/", base_url)
    if not m:
        print("mysql: cannot parse RETORT_TEST_MYSQL_URL, skipped")
        return
    user, pw, host, port = m.groups()
    client = ["mariadb", "--no-defaults", "-h", host, "-P", port, "-u", user,
              "--password=" + pw]
    n = a.mysql_revisions
    revs = linear(n)
    root = os.path.join(a.work, "my")
    prefix = base_url.rsplit("/", 1)[0]
    for db in ("b_retort", "b_client", "b_alembic"):
        subprocess.run(client + ["-e", "DROP DATABASE IF EXISTS %s; "
                                 "CREATE DATABASE %s" % (db, db)], check=True)
    r_dir, a_dir = os.path.join(root, "r"), os.path.join(root, "a")
    write_retort(r_dir, revs, prefix + "/b_retort")
    write_alembic(a_dir, revs, prefix.replace("mysql://", "mysql+pymysql://")
                  + "/b_alembic")
    t_r, _ = run([a.retort, "-q", "upgrade", "head"], r_dir)
    sql_file = os.path.join(root, "upgrade.sql")
    with open(sql_file, "w") as f:
        run([a.retort, "upgrade", "head", "--sql"], r_dir, stdout=f)
    start = time.perf_counter()
    with open(sql_file) as f:
        subprocess.run(client + ["b_client"], stdin=f, check=True)
    t_cl = time.perf_counter() - start
    t_al, _ = run([PY, "-m", "alembic", "upgrade", "head"], a_dir)
    print("mysql %d: retort %s mariadb %s alembic %s" % (
        n, fmt_s(t_r), fmt_s(t_cl), fmt_s(t_al)))
    out.append("## `upgrade head` on MariaDB\n")
    out.append("%d revisions, one CREATE TABLE each, against a local "
               "MariaDB 10.11 over TCP (tests/mysql/server.sh's throwaway "
               "server). The `mariadb` client runs retort's `--sql` output: "
               "the same statements, without retort's log rows and "
               "statement progress. Alembic uses PyMySQL.\n" % n)
    out.append("| revisions | retort | mariadb client | retort / client | "
               "Alembic 1.8.1 | Alembic / retort |")
    out.append("|---:|---:|---:|---:|---:|---:|")
    out.append("| %d | %s | %s | %.2f× | %s | %.1f× |" % (
        n, fmt_s(t_r), fmt_s(t_cl), t_r / t_cl, fmt_s(t_al), t_al / t_r))
    out.append("")


# ---------------------------------------------------------------- schema

def schema_sql(n, dialect):
    """n tables of 10 columns, 2 indexes and a foreign key each."""
    out = []
    for i in range(n):
        # a shallow tree of references: a chain 2,000 deep would exceed
        # SQLAlchemy's recursion limit when Alembic sorts the tables
        ref = "REFERENCES t%d (id)" % (i // 10) if i else ""
        if dialect == "mysql":
            ref = ""  # MySQL 8 ignores column-level REFERENCES
        cols = ["id INTEGER PRIMARY KEY",
                "ref_id INTEGER %s" % ref,
                "name VARCHAR(100) NOT NULL",
                "email VARCHAR(200)",
                "amount NUMERIC(12, 2) DEFAULT 0",
                "created_at TIMESTAMP",
                "flag BOOLEAN",
                "note TEXT",
                "qty INTEGER NOT NULL DEFAULT 1",
                "code VARCHAR(20)"]
        if dialect == "mysql" and i:
            cols.append("FOREIGN KEY (ref_id) REFERENCES t%d (id)" % (i // 10))
        out.append("CREATE TABLE t%d (\n    %s\n);" % (i, ",\n    ".join(cols)))
        out.append("CREATE INDEX ix_t%d_name ON t%d (name);" % (i, i))
        out.append("CREATE UNIQUE INDEX ux_t%d_code ON t%d (code);" % (i, i))
    return "\n".join(out) + "\n"


ALEMBIC_MODEL = '''from sqlalchemy import (MetaData, Table, Column, Integer, String, Numeric,
                        DateTime, Boolean, Text, ForeignKey, Index, text)
metadata = MetaData()
for i in range(%d):
    ref = (Column("ref_id", Integer, ForeignKey("t%%d.id" %% (i // 10))) if i
           else Column("ref_id", Integer))
    args = [Column("id", Integer, primary_key=True),
            ref,
            Column("name", String(100), nullable=False),
            Column("email", String(200)),
            Column("amount", Numeric(12, 2), server_default=text("0")),
            Column("created_at", DateTime),
            Column("flag", Boolean),
            Column("note", Text),
            Column("qty", Integer, nullable=False, server_default=text("1")),
            Column("code", String(20))]
    t = Table("t%%d" %% i, metadata, *args)
    Index("ix_t%%d_name" %% i, t.c.name)
    Index("ux_t%%d_code" %% i, t.c.code, unique=True)
'''

ALEMBIC_AUTOGEN_ENV = '''from alembic import context
from sqlalchemy import engine_from_config, pool
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from model import metadata
config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
'''


def mysql_client(url, args, stdin=None):
    """The mariadb client on the server of RETORT_TEST_MYSQL_URL."""
    u = urllib.parse.urlsplit(url)
    return subprocess.run(["mariadb", "--no-defaults", "-h", u.hostname,
                           "-P", str(u.port or 3306), "-u", u.username,
                           "-p" + urllib.parse.unquote(u.password or "")]
                          + args, stdin=stdin, check=True,
                          stdout=subprocess.DEVNULL)


def mysql_fresh(db):
    url = os.environ["RETORT_TEST_MYSQL_URL"]
    mysql_client(url, ["-e", "DROP DATABASE IF EXISTS %s; CREATE DATABASE "
                       "%s" % (db, db)])
    return url.rsplit("/", 1)[0] + "/" + db


def statements_bench(a, out):
    """One revision of many statements, run as a user runs it (progress
    on stderr, which reports each statement), against the sqlite3 shell
    running its --sql output: 20,000 in one transaction, and 5,000 in a
    transaction:false section, where retort records its progress (the
    statements done and their checksum) before each statement."""
    rows = []
    for n, marker in ((20000, ""), (5000, " transaction:false")):
        root = os.path.join(a.work, "statements-%d" % n)
        os.makedirs(os.path.join(root, "m", "versions"))
        with open(os.path.join(root, "retort.ini"), "w") as f:
            f.write("[retort]\nscript_location = %(here)s/m\n"
                    "url = sqlite:///%(here)s/s.db\n")
        with open(os.path.join(root, "m", "versions", "big_rev.sql"),
                  "w") as f:
            f.write("-- big\n--\n-- Revision ID: big\n-- Revises:\n\n"
                    "-- migrate:upgrade%s\nCREATE TABLE t (id INTEGER);\n"
                    % marker +
                    "".join("INSERT INTO t VALUES (%d);\n" % i
                            for i in range(n)) +
                    "\n-- migrate:downgrade\nDROP TABLE t;\n")
        sql_file = os.path.join(root, "upgrade.sql")
        with open(sql_file, "w") as f:
            run([a.retort, "upgrade", "head", "--sql"], root, stdout=f)
        t_r, t_s = [], []
        # a commit per statement: seconds a run, so fewer runs
        for _ in range(a.runs if not marker else min(a.runs, 3)):
            for db in ("s.db", "shell.db"):
                if os.path.exists(os.path.join(root, db)):
                    os.unlink(os.path.join(root, db))
            t_r.append(run([a.retort, "upgrade", "head"], root)[0])
            with open(sql_file) as f:
                t_s.append(run(["sqlite3", os.path.join(root, "shell.db")],
                               root, stdin=f)[0])
        tr, ts = statistics.median(t_r), statistics.median(t_s)
        rows.append((n, marker.strip() or "one transaction", tr, ts))
        print("statements %d%s: retort %s shell %s" % (
            n, marker, fmt_s(tr), fmt_s(ts)))
    out.append("## One revision of many statements\n")
    out.append("`retort upgrade head` of one revision holding a CREATE TABLE "
               "and INSERTs, on a SQLite file, with its progress on stderr "
               "(which follows every statement), against the sqlite3 shell "
               "running the `--sql` output; the median of %d runs (3 for "
               "`transaction:false`). In a "
               "`transaction:false` section every statement commits on its "
               "own (in the shell too), and retort records before each one "
               "how many ran and the checksum of their text, so that a "
               "failed run resumes there.\n" % a.runs)
    out.append("| statements | section | retort | sqlite3 shell | "
               "retort / shell |")
    out.append("|---:|---|---:|---:|---:|")
    for n, kind, tr, ts in rows:
        out.append("| %d | %s | %s | %s | %.2f× |" % (
            n, kind, fmt_s(tr), fmt_s(ts), tr / ts))
    out.append("")


def ratio(x):
    """A ratio as the tables print it: 44×, 2.5×, 0.33×."""
    return "%.0f×" % x if x >= 10 else "%.1f×" % x if x >= 1 else \
        "%.2f×" % x


def schema_bench(a, out):
    n = a.tables
    rows = []
    targets = [("SQLite", "sqlite")]
    if os.environ.get("RETORT_TEST_PG_URL"):
        targets.append(("PostgreSQL", "postgresql"))
    if os.environ.get("RETORT_TEST_MYSQL_URL"):
        targets.append(("MariaDB", "mysql"))
    for label, dialect in targets:
        root = os.path.join(a.work, "schema-" + dialect)
        r_dir, a_dir = os.path.join(root, "r"), os.path.join(root, "a")
        os.makedirs(os.path.join(r_dir, "m", "versions"))
        sql = schema_sql(n, dialect)
        with open(os.path.join(r_dir, "schema.sql"), "w") as f:
            f.write(sql)
        if dialect == "sqlite":
            url = "sqlite:///%(here)s/live.db"
            a_url = "sqlite:///" + os.path.join(a_dir, "live.db")
            with open(os.path.join(r_dir, "schema.sql")) as f:
                subprocess.run(["sqlite3", os.path.join(r_dir, "live.db")],
                               stdin=f, check=True)
        elif dialect == "mysql":
            url = mysql_fresh("s_retort")
            a_url = mysql_fresh("s_alembic").replace("mysql://",
                                                     "mysql+pymysql://")
            with open(os.path.join(r_dir, "schema.sql")) as f:
                mysql_client(url, ["s_retort"], stdin=f)
        else:
            prefix = os.environ["RETORT_TEST_PG_URL"].rsplit("/", 1)[0]
            for db in ("s_retort", "s_alembic"):
                psql(["-c", "DROP DATABASE IF EXISTS %s" % db])
                psql(["-c", "CREATE DATABASE %s OWNER retort" % db])
            url = prefix + "/s_retort"
            a_url = prefix.replace("postgresql://",
                                   "postgresql+psycopg2://") + "/s_alembic"
            with open(os.path.join(r_dir, "schema.sql")) as f:
                psql([], dbname="s_retort", stdin=f)
        with open(os.path.join(r_dir, "retort.ini"), "w") as f:
            f.write("[retort]\nscript_location = %%(here)s/m\nurl = %s\n"
                    "schema = %%(here)s/schema.sql\n" % url)
        t_check, rss = run([a.retort, "check"], r_dir)
        t_auto, _ = run([a.retort, "-q", "revision", "--autogenerate",
                         "-m", "nothing", "--rev-id", "x1"], r_dir)
        for f in os.listdir(os.path.join(r_dir, "m", "versions")):
            os.unlink(os.path.join(r_dir, "m", "versions", f))
        dev = []
        if dialect == "mysql":
            with open(os.path.join(r_dir, "retort.ini"), "a") as f:
                f.write("dev_url = %s\n" % mysql_fresh("s_dev"))
        if dialect == "mysql":
            t_cold, _ = run([a.retort, "check"], r_dir)
            t_warm, _ = run([a.retort, "check"], r_dir)
            t_auto_warm, _ = run([a.retort, "-q", "revision",
                                  "--autogenerate", "-m", "nothing",
                                  "--rev-id", "x2"], r_dir)
            dev = [t_cold, t_warm, t_auto_warm]
        if dialect == "postgresql":
            # with dev_url, an unchanged declared schema is not reloaded
            psql(["-c", "DROP DATABASE IF EXISTS s_dev"])
            psql(["-c", "CREATE DATABASE s_dev OWNER retort"])
            with open(os.path.join(r_dir, "retort.ini"), "a") as f:
                f.write("dev_url = %s\n" % (url.rsplit("/", 1)[0] +
                                            "/s_dev"))
            t_cold, _ = run([a.retort, "check"], r_dir)
            t_warm, _ = run([a.retort, "check"], r_dir)
            t_auto_warm, _ = run([a.retort, "-q", "revision",
                                  "--autogenerate", "-m", "nothing",
                                  "--rev-id", "x2"], r_dir)
            dev = [t_cold, t_warm, t_auto_warm]
        # Alembic: the same tables from a generated SQLAlchemy model
        os.makedirs(os.path.join(a_dir, "m", "versions"))
        with open(os.path.join(a_dir, "alembic.ini"), "w") as f:
            f.write("[alembic]\nscript_location = %%(here)s/m\n"
                    "sqlalchemy.url = %s\n" % a_url)
        with open(os.path.join(a_dir, "m", "model.py"), "w") as f:
            f.write(ALEMBIC_MODEL % n)
        with open(os.path.join(a_dir, "m", "env.py"), "w") as f:
            f.write(ALEMBIC_AUTOGEN_ENV)
        with open(os.path.join(a_dir, "m", "script.py.mako"), "w") as f:
            f.write('"""${message}"""\nrevision = ${repr(up_revision)}\n'
                    'down_revision = ${repr(down_revision)}\n'
                    'branch_labels = None\ndepends_on = None\n'
                    'def upgrade():\n    pass\ndef downgrade():\n    pass\n')
        subprocess.run([PY, "-c", "import sys; sys.path.insert(0, 'm'); "
                        "from model import metadata; "
                        "from sqlalchemy import create_engine; "
                        "metadata.create_all(create_engine(%r))" % a_url],
                       cwd=a_dir, check=True)
        t_al, _ = run([PY, "-m", "alembic", "revision", "--autogenerate",
                       "-m", "nothing"], a_dir)
        rows.append((label, t_check, t_auto, t_al, rss))
        print("schema %s: check %s autogenerate %s alembic %s" % (
            label, fmt_s(t_check), fmt_s(t_auto), fmt_s(t_al)))
        if dev:
            rows.append((label + ", dev_url (first run)", dev[0], None,
                         t_al, rss))
            rows.append((label + ", dev_url (schema unchanged)", dev[1],
                         dev[2], t_al, rss))
            print("schema %s dev_url: cold %s warm %s autogen %s" % (
                label, fmt_s(dev[0]), fmt_s(dev[1]), fmt_s(dev[2])))
    out.append("## `check` and `revision --autogenerate` on %s tables\n"
               % format(n, ","))
    out.append("Each table has 10 columns, 2 indexes and a foreign key. The "
               "database already has the declared schema, so both commands "
               "find no difference; that is the full cost: reading the "
               "database's catalogs, loading the declared schema into a "
               "scratch database (SQLite in memory, a temporary PostgreSQL "
               "or MariaDB database), reading it back and comparing. Alembic 1.8.1 "
               "autogenerates against a generated SQLAlchemy model of the "
               "same tables (Alembic 1.8 has no `check`).\n")
    out.append("| database | retort check | retort revision --autogenerate "
               "| Alembic revision --autogenerate | Alembic / retort | "
               "retort peak RSS |")
    out.append("|---|---:|---:|---:|---:|---:|")
    for label, t_check, t_auto, t_al, rss in rows:
        out.append("| %s | %s | %s | %s | %s | %.1f MiB |" % (
            label, fmt_s(t_check), fmt_s(t_auto) if t_auto else "",
            fmt_s(t_al), ratio(t_al / t_auto) if t_auto else "",
            rss / 1024.0))
    out.append("")
    out.append("On PostgreSQL most of the time is the server running the "
               "declared schema's 6,000 statements into the scratch "
               "database. With `dev_url` set, retort keeps the loaded "
               "schema there (marked with the file's SHA-256) and skips "
               "reloading it while the file is unchanged (MySQL: MariaDB "
               "10.5+, whose databases have comments; MySQL 8 reloads "
               "every time). On MariaDB without `dev_url` retort is slower "
               "than Alembic: the server takes most of the time creating "
               "the 2,000 InnoDB tables of the scratch database, where "
               "Alembic compares with its in-memory model; with `dev_url` "
               "the unchanged schema is not reloaded.\n")


def write_lint_project(root, n):
    """n revisions in a line, each creating a table, adding a column to the
    one before, indexing it and backfilling it: what lint reads in a real
    project (with findings: the index and the column are on existing
    tables)."""
    os.makedirs(os.path.join(root, "m", "versions"))
    with open(os.path.join(root, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = %(here)s/m\n"
                "url = postgresql://u@localhost/db\n")
    prev = None
    for i in range(1, n + 1):
        rid = rev_id(i)
        with open(os.path.join(root, "m", "versions",
                               "%s_rev_%d.sql" % (rid, i)), "w") as f:
            f.write("-- rev %d\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                    "-- Create Date: 2026-11-22 10:00:00\n\n"
                    "-- migrate:upgrade\nSET lock_timeout = '2s';\n"
                    "CREATE TABLE t%d (id bigint PRIMARY KEY, name "
                    "varchar(100), email text NOT NULL, created_at "
                    "timestamptz NOT NULL DEFAULT now());\n"
                    "ALTER TABLE t%d ADD COLUMN c%d integer;\n"
                    "CREATE INDEX i%d ON t%d (email);\n"
                    "UPDATE t%d SET c%d = 0 WHERE id < 100;\n\n"
                    "-- migrate:downgrade\nDROP INDEX i%d;\n"
                    "ALTER TABLE t%d DROP COLUMN c%d;\nDROP TABLE t%d;\n"
                    % (i, rid, prev or "", i, max(i - 1, 1), i, i,
                       max(i - 1, 1), max(i - 1, 1), i, i, max(i - 1, 1),
                       i, i))
        prev = rid


def lint_bench(a, out):
    n = 10000
    runs = max(a.runs, 15)  # a run is tens of ms: more runs, less noise
    root = os.path.join(a.work, "lint")
    write_lint_project(root, n)
    one = ["taskset", "-c", "0"] if shutil.which("taskset") else None
    base, _ = best([a.readall, os.path.join(root, "m", "versions")], root,
                   runs)
    hist, _ = best([a.retort, "history"], root, runs)
    t, rss = best([a.retort, "lint", "--no-database"], root, runs,
                  ok=(0, 3))
    t1 = None
    if one:
        t1, _ = best(one + [a.retort, "lint", "--no-database"], root, runs,
                     ok=(0, 3))
    print("lint %d: retort lint %s  history %s  read %s  (%.2fx read)%s" % (
        n, fmt_s(t), fmt_s(hist), fmt_s(base), t / base,
        "  one core %s (%.2fx)" % (fmt_s(t1), t1 / base) if t1 else ""))
    out.append("## `lint`\n")
    out.append("`retort lint --no-database` of %d revisions (PostgreSQL "
               "rules; each revision creates a table, adds a column to the "
               "one before, indexes it and backfills it, so every revision "
               "has findings: %d lines of output), the median of %d runs, "
               "against the plain C read of the same files (one thread) "
               "and `retort history` (reading and ordering them without "
               "linting). retort reads and parses a project of 256 files "
               "or more on one thread per core (at most four): two here. "
               "The last column is `lint` held to one core (`taskset -c "
               "0`; the load then runs on one thread, as it counts the "
               "cores it may run on). Goal: under 2× the read.\n"
               % (n, 2 * (n - 1), runs))
    out.append("| revisions | `lint` | `history` | plain C read | lint / "
               "read | peak RSS | `lint` on one core (/ read) |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    out.append("| %d | %s | %s | %s | %.2f× | %.1f MiB | %s |" % (
        n, fmt_s(t), fmt_s(hist), fmt_s(base), t / base, rss / 1024.0,
        "%s (%.2f×)" % (fmt_s(t1), t1 / base) if t1 else "n/a"))
    out.append("")


def test_bench(a, out):
    """`retort test` on 200 revisions against pytest-alembic's stairway
    written with Alembic's API (bench/stairway.py), on SQLite in memory."""
    import stairway
    n = 200
    root = os.path.join(a.work, "stairway")
    r = os.path.join(root, "retort")
    stairway.write_retort(r, n)
    t, rss = best([a.retort, "-q", "test"], r, a.runs)
    al = os.path.join(root, "alembic")
    stairway.write_alembic(al, n)
    t_alembic, count = stairway.alembic_stairway(al)
    assert count == n
    print("test %d: retort %s  Alembic stairway %s" % (
        n, fmt_s(t), fmt_s(t_alembic)))
    out.append("## `test`\n")
    out.append("`retort test` on %d revisions (each creates a table and an "
               "index, every fifth adds a column to the table before; every "
               "downgrade undoes its upgrade) on SQLite in memory: upgrade, "
               "downgrade, compare the schema, upgrade, compare, for each "
               "revision; the median of %d runs. Against pytest-alembic's "
               "stairway (`test_up_down_consistency`; pytest-alembic is not "
               "in Debian, so bench/stairway.py writes the same loop with "
               "Alembic's API, on one in-memory connection, one run): "
               "upgrade, downgrade, upgrade, comparing no schema. Goal: "
               "under 10 s.\n" % (n, a.runs))
    out.append("| revisions | `retort test` | Alembic stairway | Alembic / "
               "retort | peak RSS |")
    out.append("|---:|---:|---:|---:|---:|")
    out.append("| %d | %s | %s | %.1f× | %.1f MiB |" % (
        n, fmt_s(t), fmt_s(t_alembic), t_alembic / t, rss / 1024.0))
    out.append("")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--retort", required=True)
    p.add_argument("--readall", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--quick", action="store_true",
                   help="smaller runs (no 10,000-revision SQLite upgrade)")
    p.add_argument("--only", choices=["graph", "sqlite", "postgres",
                                      "mysql", "schema", "lint", "test",
                                      "statements"])
    p.add_argument("--mysql-revisions", type=int, default=1000,
                   help="revisions of the MariaDB upgrade (default 1000)")
    p.add_argument("--tables", type=int, default=2000,
                   help="tables of the schema benchmark (2,000)")
    a = p.parse_args()
    out = ["# Benchmarks\n",
           "Written by `make bench` (bench/run.sh, bench/bench.py) on %s; "
           "%s, %d cores. All figures come from one run of the script, "
           "so the ratios compare tools measured side by side.\n" % (
               time.strftime("%Y-%m-%d"), os.uname().sysname, os.cpu_count())]
    sections = {"graph": graph_bench, "sqlite": sqlite_bench,
                "postgres": postgres_bench, "mysql": mysql_bench,
                "schema": schema_bench, "lint": lint_bench,
                "test": test_bench, "statements": statements_bench}
    for name, fn in sections.items():
        if a.only and a.only != name:
            continue
        fn(a, out)
    text = "\n".join(out) + "\n"
    print(text)
    if not a.only:
        with open(a.out, "w") as f:
            f.write(text)
        print("wrote %s" % a.out)


if __name__ == "__main__":
    main()
