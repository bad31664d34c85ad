#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The schema corpus (tests/data/schema) on MySQL/MariaDB: retort's
`check` against Alembic 1.8.1's autogenerate comparison, case by case.

For every case that runs on MySQL (its `dialects` file, if any, names
mysql): a.sql (+ rows.sql) is loaded into one database and b.sql into
another on the server of RETORT_TEST_MYSQL_URL (tests/mysql/server.sh).
retort compares the first with b.sql as the declared schema (`check
--json`, b.sql loaded into its scratch database); Alembic compares it
with a SQLAlchemy MetaData reflected from the second (compare_metadata,
with compare_type and compare_server_default on), through PyMySQL.

Both lists of differences are reduced to what they touch: a table added
or dropped, a column added or dropped, a column's type, nullability,
default or comment changed, an index, unique key or foreign key (by
name) added, dropped or changed. The two sets must be equal, after
removing what Alembic 1.8 does not compare at all (KNOWN below, each
with the reason); a case where they differ otherwise fails. Two
differences of granularity are reconciled first: retort's "add table" /
"drop table" includes the table's indexes and foreign keys, which
Alembic lists one by one; and retort counts the index InnoDB makes for a
foreign key (named after the constraint or its first column) as part of
the foreign key, which Alembic lists as an index of its own.

Skipped (exit 77) without RETORT_TEST_MYSQL_URL.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.parse

sys.dont_write_bytecode = True

# What retort compares and Alembic 1.8 does not: these changes of
# retort's are left out of the comparison.
KNOWN = [
    (re.compile(r"^(add|drop|change) check constraint"),
     "Alembic does not compare CHECK constraints"),
    (re.compile(r"^(add|drop|change) view "), "Alembic has no views"),
    (re.compile(r"^(add|drop|change) primary key"),
     "Alembic does not compare primary keys"),
    (re.compile(r"^(add|drop) AUTO_INCREMENT"),
     "Alembic does not compare autoincrement"),
    (re.compile(r"^(make \S+ generated|change generated expression)"),
     "Alembic does not compare generated (Computed) columns"),
    (re.compile(r"^change type of \S+ from (enum|set)\(.* to (enum|set)\("),
     "Alembic 1.8 does not compare ENUM/SET values"),
    (re.compile(r"^change type of \S+ from (\S+)( COLLATE \S+)? to \1"
                r"( COLLATE \S+)?$"),
     "Alembic 1.8 does not compare a column's collation"),
]


# Cases left out, with the reason.
SKIP = {
    "mysql_quoted_names": "names with blanks: check's lines name objects "
                          "unquoted, for people, so they cannot be parsed "
                          "back here",
}


def my_client(url, db, sql):
    u = urllib.parse.urlsplit(url)
    subprocess.run(["mariadb", "--no-defaults", "-h", u.hostname, "-P",
                    str(u.port or 3306), "-u", u.username,
                    "-p" + urllib.parse.unquote(u.password or "")]
                   + ([db] if db else []), input=sql.encode(), check=True)


def fresh(url, db):
    my_client(url, None, "DROP DATABASE IF EXISTS %s; CREATE DATABASE %s;"
              % (db, db))
    return url.rsplit("/", 1)[0] + "/" + db


def drop(url, db):
    my_client(url, None, "DROP DATABASE IF EXISTS %s;" % db)


def retort_touches(retort, url, b_path, work):
    with open(os.path.join(work, "retort.ini"), "w") as f:
        f.write("[retort]\nscript_location = %%(here)s/m\nurl = %s\n"
                "schema = %s\n" % (url, b_path))
    os.makedirs(os.path.join(work, "m", "versions"), exist_ok=True)
    p = subprocess.run([retort, "--json", "check"], cwd=work,
                       capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise RuntimeError("retort check failed (%d): %s" % (p.returncode,
                                                              p.stderr))
    diffs = json.loads(p.stdout)["differences"] if p.returncode == 3 else []
    touched, known = set(), []
    for d in diffs:
        text = d if isinstance(d, str) else d.get("message", str(d))
        for rx, why in KNOWN:
            if rx.search(text):
                known.append((text, why))
                break
        else:
            touched |= retort_key(text)
    return touched, known


def retort_key(t):
    m = re.match(r"^(add|drop) table (\S+)$", t)
    if m:
        return {(m.group(1) + " table", m.group(2))}
    m = re.match(r"^add column (\S+)\.(\S+) ", t)
    if m:
        return {("add column", m.group(1), m.group(2))}
    m = re.match(r"^drop column (\S+)\.(\S+)$", t)
    if m:
        return {("drop column", m.group(1), m.group(2))}
    m = re.match(r"^change type of (\S+)\.(\S+) ", t)
    if m:
        return {("type", m.group(1), m.group(2))}
    m = re.match(r"^(set|drop) NOT NULL on (\S+)\.(\S+)$", t)
    if m:
        return {("null", m.group(2), m.group(3))}
    m = re.match(r"^(set|change|drop) default of (\S+)\.(\S+)", t)
    if m:
        return {("default", m.group(2), m.group(3))}
    m = re.match(r"^change comment on table (\S+)$", t)
    if m:
        return {("table comment", m.group(1))}
    m = re.match(r"^change comment on column (\S+)\.(\S+)$", t)
    if m:
        return {("comment", m.group(1), m.group(2))}
    m = re.match(r"^(?:add|drop|change) (?:unique )?index (\S+) on (\S+)", t)
    if m:
        return {("index", m.group(2), m.group(1))}
    m = re.match(r"^(?:add|drop) unique constraint (\S+) on (\S+)", t)
    if m:
        return {("index", m.group(2), m.group(1))}
    m = re.match(r"^(?:add|drop|change) foreign key (\S+) on (\S+)", t)
    if m:
        return {("fk", m.group(2), m.group(1))}
    return {("unparsed", t)}


def alembic_touches(a_url, b_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import MetaData, create_engine

    def sa(url):
        return "mysql+pymysql://" + url.split("://", 1)[1]
    meta = MetaData()
    eb = create_engine(sa(b_url))
    with eb.connect() as c:
        meta.reflect(bind=c)
    eb.dispose()
    # InnoDB's foreign key indexes in B (see the file comment)
    fk_index = set()
    for t in meta.tables.values():
        for fk in t.foreign_key_constraints:
            cols = [c.name for c in fk.columns]
            for ix in t.indexes:
                if ([c.name for c in ix.columns] == cols and
                        ix.name in (fk.name, cols[0])):
                    fk_index.add(("index", t.name, ix.name))
    ea = create_engine(sa(a_url))
    touched = set()
    with ea.connect() as c:
        ctx = MigrationContext.configure(c, opts={
            "compare_type": True, "compare_server_default": True})
        diffs = compare_metadata(ctx, meta)
    ea.dispose()

    def one(d):
        op = d[0]
        if op in ("add_table", "remove_table"):
            return {(("add" if op == "add_table" else "drop") + " table",
                     d[1].name)}
        if op in ("add_column", "remove_column"):
            return {(("add" if op == "add_column" else "drop") + " column",
                     d[2], d[3].name)}
        if op in ("modify_type", "modify_nullable", "modify_default",
                  "modify_comment"):
            return {({"modify_type": "type", "modify_nullable": "null",
                      "modify_default": "default",
                      "modify_comment": "comment"}[op], d[2], d[3])}
        if op in ("add_index", "remove_index"):
            return {("index", d[1].table.name, d[1].name)}
        if op in ("add_constraint", "remove_constraint"):
            return {("index", d[1].table.name, d[1].name)}
        if op in ("add_fk", "remove_fk"):
            return {("fk", d[1].parent.name, d[1].name)}
        if op in ("add_table_comment", "remove_table_comment"):
            return {("table comment", d[1].name)}
        return {("unparsed", repr(d))}
    for d in diffs:
        for x in (d if isinstance(d, list) else [d]):
            touched |= one(x)
    whole = {k[1] for k in touched if k[0] in ("add table", "drop table")}
    return {k for k in touched
            if not (k[0] in ("index", "fk") and k[1] in whole)
            and k not in fk_index}


def cases(root):
    for name in sorted(os.listdir(root)):
        only = os.path.join(root, name, "dialects")
        if os.path.exists(only) and "mysql" not in open(only).read():
            continue
        yield name, os.path.join(root, name)


def main():
    url = os.environ.get("RETORT_TEST_MYSQL_URL")
    if not url:
        print("skipped: RETORT_TEST_MYSQL_URL is not set "
              "(run under tests/mysql/server.sh)")
        return 77
    retort = os.environ["RETORT"]
    root = os.path.join(os.environ.get("RETORT_SOURCE_DIR", "."), "tests",
                        "data", "schema")
    failed, compared, known_total = [], 0, 0
    tag = "ad%d" % os.getpid()
    for name, path in cases(root):
        if name in SKIP:
            print("skip %s: %s" % (name, SKIP[name]))
            continue
        a_db, b_db = "%s_%s_a" % (tag, name), "%s_%s_b" % (tag, name)
        try:
            a_url, b_url = fresh(url, a_db), fresh(url, b_db)
            my_client(url, a_db, open(os.path.join(path, "a.sql")).read())
            rows = os.path.join(path, "rows.sql")
            if os.path.exists(rows):
                my_client(url, a_db, open(rows).read())
            my_client(url, b_db, open(os.path.join(path, "b.sql")).read())
            with tempfile.TemporaryDirectory() as work:
                r, known = retort_touches(retort, a_url,
                                          os.path.join(path, "b.sql"), work)
            al = alembic_touches(a_url, b_url)
            # a generated column retort recreates (drop and add): its
            # type, NULL and default changes are the recreation's
            for text, _ in known:
                m = re.match(r"^(?:make|change generated expression of) "
                             r"(\S+)\.(\S+) ", text)
                if m:
                    al -= {(k, m.group(1), m.group(2))
                           for k in ("type", "null", "default")}
        finally:
            drop(url, a_db)
            drop(url, b_db)
        compared += 1
        known_total += len(known)
        if r != al:
            failed.append(name)
            print("FAIL %s\n  retort only:  %s\n  Alembic only: %s" % (
                name, sorted(r - al), sorted(al - r)))
        else:
            print("ok   %s (%d touched%s)" % (
                name, len(r), "; %d not compared by Alembic: %s" % (
                    len(known), "; ".join(sorted({w for _, w in known})))
                if known else ""))
    print("%d cases compared, %d differences Alembic 1.8 does not compare, "
          "%d failed" % (compared, known_total, len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
