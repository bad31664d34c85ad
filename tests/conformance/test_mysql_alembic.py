#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A MySQL/MariaDB database that Alembic 1.8.1 managed (through PyMySQL),
continued by retort with `version_table = alembic_version`, then handed
back to Alembic: both read and write the same version table, each runs
each revision once, and both agree on `current` after every step.

Runs only when RETORT_TEST_MYSQL_URL is set (tests/mysql/server.sh run
exports it; `make test` does); otherwise exits 77, which CTest reports as
skipped. Needs /usr/bin/python3 with Debian's python3-alembic and
python3-pymysql.
"""
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True

URL = os.environ.get("RETORT_TEST_MYSQL_URL")
RETORT = os.environ.get("RETORT")
if not URL or not RETORT:
    print("skipped: RETORT_TEST_MYSQL_URL or RETORT is not set "
          "(run under tests/mysql/server.sh run)")
    sys.exit(77)

sys.path.insert(0, "/usr/lib/python3/dist-packages")
import pymysql  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402

m = re.match(r"^(mysql|mariadb)(\+\w+)?://([^:@/]*)(?::([^@/]*))?@"
             r"([^/:?]+)(?::(\d+))?/([^?]*)", URL)
if not m:
    sys.exit("cannot parse RETORT_TEST_MYSQL_URL")
user, password, host = m.group(3), m.group(4) or "", m.group(5)
port = int(m.group(6) or 3306)
db = "rt_conf_alembic_%d" % os.getpid()


def admin(sql):
    c = pymysql.connect(host=host, port=port, user=user, password=password)
    try:
        with c.cursor() as cur:
            cur.execute(sql)
        c.commit()
    finally:
        c.close()


def query(sql):
    c = pymysql.connect(host=host, port=port, user=user, password=password,
                        database=db)
    try:
        with c.cursor() as cur:
            cur.execute(sql)
            return sorted(tuple(r) for r in cur.fetchall())
    finally:
        c.close()


REVS = [("a1", None), ("b2", "a1"), ("c3", "b2"), ("d4", "c3")]


def write_project(root, url):
    versions = os.path.join(root, "migrations", "versions")
    al_versions = os.path.join(root, "al", "versions")
    os.makedirs(versions)
    os.makedirs(al_versions)
    for rid, parent in REVS:
        up = ("CREATE TABLE t_%s (id INTEGER PRIMARY KEY);\n"
              "INSERT INTO log_runs VALUES ('%s', 'up');" % (rid, rid))
        down = ("DROP TABLE t_%s;\n"
                "INSERT INTO log_runs VALUES ('%s', 'down');" % (rid, rid))
        with open(os.path.join(versions, rid + "_rev.sql"), "w") as f:
            f.write("-- %s\n--\n-- Revision ID: %s\n-- Revises: %s\n"
                    "-- Create Date: 2026-01-02 03:04:05\n\n"
                    "-- migrate:upgrade\n%s\n\n-- migrate:downgrade\n%s\n"
                    % (rid, rid, parent or "", up, down))
        with open(os.path.join(al_versions, rid + "_rev.py"), "w") as f:
            f.write("from alembic import op\n"
                    "revision = %r\ndown_revision = %r\n"
                    "branch_labels = None\ndepends_on = None\n\n"
                    "def upgrade():\n" % (rid, parent))
            for s in up.split(";"):
                if s.strip():
                    f.write("    op.execute(%r)\n" % s.strip())
            f.write("\ndef downgrade():\n")
            for s in down.split(";"):
                if s.strip():
                    f.write("    op.execute(%r)\n" % s.strip())
    with open(os.path.join(root, "al", "env.py"), "w") as f:
        f.write("from alembic import context\n"
                "from sqlalchemy import create_engine\n"
                "url = context.config.get_main_option('sqlalchemy.url')\n"
                "with create_engine(url).connect() as c:\n"
                "    context.configure(connection=c, target_metadata=None)\n"
                "    with context.begin_transaction():\n"
                "        context.run_migrations()\n")
    with open(os.path.join(root, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = %%(here)s/migrations\n"
                "url = %s\nversion_table = alembic_version\n"
                % url.replace("%", "%%"))
    cfg = Config()
    cfg.set_main_option("script_location", os.path.join(root, "al"))
    cfg.set_main_option("sqlalchemy.url",
                        "mysql+pymysql://" + url.split("://", 1)[1])
    return cfg


def retort(root, *args):
    p = subprocess.run([RETORT] + list(args), cwd=root, text=True,
                       capture_output=True)
    if p.returncode:
        sys.exit("retort %s failed (%d): %s" % (" ".join(args), p.returncode,
                                                p.stderr))
    return p.stdout


def expect(what, want, got):
    if want != got:
        sys.exit("%s: expected %r, got %r" % (what, want, got))
    print("ok - %s" % what)


def main():
    admin("CREATE DATABASE %s" % db)
    try:
        url = URL.rsplit("/", 1)[0] + "/" + db
        q = URL.split("?", 1)
        if len(q) == 2:
            url += "?" + q[1]
        with tempfile.TemporaryDirectory() as root:
            cfg = write_project(root, url)
            admin("CREATE TABLE %s.log_runs (rev VARCHAR(8), dir VARCHAR(8))"
                  % db)
            command.upgrade(cfg, "b2")
            expect("Alembic wrote its row", [("b2",)],
                   query("SELECT version_num FROM alembic_version"))
            expect("retort reads it", "b2", retort(root, "current").strip())
            retort(root, "upgrade", "head")
            expect("retort went on from b2", [("d4",)],
                   query("SELECT version_num FROM alembic_version"))
            command.downgrade(cfg, "c3")
            expect("retort reads Alembic's downgrade", "c3",
                   retort(root, "current").strip())
            retort(root, "downgrade", "a1")
            command.upgrade(cfg, "head")
            expect("each revision ran once per direction",
                   sorted([("a1", "up"), ("b2", "up"), ("c3", "up"),
                           ("d4", "up"), ("d4", "down"), ("c3", "down"),
                           ("b2", "down"), ("b2", "up"), ("c3", "up"),
                           ("d4", "up")]),
                   query("SELECT rev, dir FROM log_runs"))
            expect("tables", [("t_a1",), ("t_b2",), ("t_c3",), ("t_d4",)],
                   query("SELECT table_name FROM information_schema.tables "
                         "WHERE table_schema = DATABASE() AND table_name "
                         "LIKE 't\\_%'"))
            expect("version row", [("d4",)],
                   query("SELECT version_num FROM alembic_version"))
    finally:
        admin("DROP DATABASE IF EXISTS %s" % db)


main()
