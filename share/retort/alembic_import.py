# SPDX-License-Identifier: MIT
"""alembic_import.py: the Python half of `retort import alembic`.

usage: alembic_import.py --into DIR [--dialect D]... [--config RETORT_INI]
                         [--quiet] [--section NAME] -- ALEMBIC_INI_OR_DIR

retort runs this with the interpreter named by RETORT_PYTHON (default:
python3 on PATH); it is installed under share/retort/ and needs Alembic
(and so SQLAlchemy) only here, only while importing.

It loads the Alembic project's revisions with Alembic's own ScriptDirectory
(env.py is NOT run: no database, no models) and writes one retort revision
file per Alembic revision into DIR, keeping the id, the parents (merges
too), branch labels, depends_on, the message, the rest of the docstring and
the create date. Each upgrade() and downgrade() is called alone, through
an Operations proxy on an offline MigrationContext (as_sql, literal_binds),
once per dialect: what `alembic upgrade --sql` prints for that revision.
With one dialect the sections are plain (`-- migrate:upgrade`); with
several, one section per dialect (`-- migrate:upgrade dialect:sqlite`).
On SQLite, batch_alter_table() without copy_from needs the table's shape,
which Alembic reflects online: it is reflected from an in-memory SQLite
database built from the SQL rendered for the revisions before.
A function that uses autocommit_block() (Alembic prints COMMIT; before
its statements and BEGIN; after) becomes a transaction:false section
without those two lines.

A function that cannot be rendered offline (it inspects the live database,
or computes with rows it reads) is reported on stderr, one line per
revision and function, and its section gets a `-- retort:todo` marker, the
reason and the function's Python source as comments: never dropped.
`retort validate` lists the markers until they are replaced by SQL.

Alembic runs in the folder of alembic.ini (as `alembic` is run there: a
relative script_location and prepend_sys_path are read from it); the
paths given are relative to the folder retort was started in.

Nothing is written unless every revision loaded: all files are rendered in
memory first. An existing file with other content is an error (nothing
written); one with the same content is left alone. When the retort config
file does not exist it is written (script_location, version_table =
alembic_version, the url and file_template of alembic.ini); an existing one
is never changed, only checked for version_table.

Exit status: 0 done, 3 done with todo markers, 2 nothing written (the
project does not load, a file is in the way, usage).
"""
import argparse
import configparser
import contextlib
import importlib
import inspect
import io
import os
import sys
import traceback
import warnings

USAGE_EXIT = 2
TODO_EXIT = 3
SUPPORTED = ("sqlite", "postgresql", "mysql")


def fail(msg):
    sys.stderr.write("retort: %s\n" % msg)
    sys.exit(USAGE_EXIT)


def find_ini(arg):
    """The alembic.ini to read, and its [alembic] section, or an error."""
    path = arg
    if os.path.isdir(arg):
        path = os.path.join(arg, "alembic.ini")
        if not os.path.isfile(path):
            fail("%s is not an Alembic project: it has no alembic.ini" % arg)
    elif not os.path.exists(arg):
        fail("%s: no such file" % arg)
    cp = configparser.ConfigParser()
    try:
        cp.read(path)
    except configparser.Error as e:
        fail("%s: %s" % (path, str(e).splitlines()[0]))
    if not cp.has_section("alembic") or \
            not cp.has_option("alembic", "script_location"):
        fail("%s is not an Alembic project: no script_location in its "
             "[alembic] section" % path)
    return path, cp


def import_alembic(python):
    try:
        importlib.import_module("alembic.config")
        return
    except ImportError as e:
        fail("the alembic module is not importable by %s (%s); install "
             "Alembic for it (Debian: python3-alembic), or point "
             "RETORT_PYTHON or PYTHONPATH at one that has it"
             % (python, e))


def load_scripts(ini_path, shown):
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    cfg = Config(ini_path)
    loc = os.path.abspath(cfg.get_main_option("script_location") or ".")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            sd = ScriptDirectory.from_config(cfg)
            return list(sd.walk_revisions())
        except SyntaxError as e:
            fail("%s:%s: %s (the Alembic revision does not load)"
                 % (os.path.abspath(e.filename) if e.filename else "?",
                    e.lineno or 0, e.msg))
        except Exception as e:  # an import error of the app, a bad graph
            where, why = shown, "%s: %s" % (type(e).__name__,
                                           first_line(e))
            for frame in traceback.extract_tb(e.__traceback__):
                if os.path.abspath(frame.filename).startswith(loc + os.sep):
                    where = "%s:%s" % (os.path.abspath(frame.filename),
                                       frame.lineno)
            if seen and where == shown:  # Alembic warned, then failed
                why = first_line(seen[-1].message)
            fail("%s: %s (the Alembic revisions do not load)"
                 % (where, why))


def first_line(e):
    text = str(e).strip()
    return text.splitlines()[0] if text else "(no message)"


def render(fn, dialect, scratch=None):
    """fn() on an offline context: (sql, None) or (None, reason). With
    scratch (a SQLite engine at the revision's starting state), a
    batch_alter_table() without copy_from gets the table reflected from
    it, as Alembic reflects the live table online."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext
    buf = io.StringIO()
    orig = Operations.batch_alter_table
    try:
        ctx = MigrationContext.configure(
            dialect_name=dialect,
            opts={"as_sql": True, "output_buffer": buf,
                  "literal_binds": True})
        if scratch is not None:
            Operations.batch_alter_table = _reflecting(orig, scratch)
        with Operations.context(ctx):
            fn()
    except Exception as e:
        why = "%s: %s" % (type(e).__name__, first_line(e))
        try:
            live = "get_bind" in inspect.getsource(fn)
        except (OSError, TypeError):
            live = False
        if live:
            why = ("it reads the live database (op.get_bind()), which "
                   "offline mode does not have (%s)" % why)
        return None, why
    finally:
        Operations.batch_alter_table = orig
    lines = [l.rstrip() for l in buf.getvalue().splitlines()]
    return "\n".join(lines).strip("\n"), None


def _reflecting(orig, engine):
    """batch_alter_table with copy_from reflected from engine."""
    import sqlalchemy as sa
    sig = inspect.signature(orig)

    def batch_alter_table(self, *args, **kw):
        bound = sig.bind(self, *args, **kw)
        bound.apply_defaults()
        a = bound.arguments
        if a.get("copy_from") is None:
            a["copy_from"] = sa.Table(
                a["table_name"], sa.MetaData(), *(a.get("reflect_args")
                                                  or ()),
                schema=a.get("schema"), autoload_with=engine,
                **(a.get("reflect_kwargs") or {}))
        return orig(*bound.args, **bound.kwargs)
    return batch_alter_table


def needs_reflection(reason):
    return reason is not None and "CommandError" in reason and \
        "copy_from" in reason


def scratch_at(state, sc, with_self):
    """A SQLite database in memory at sc's starting state (with_self: after
    its upgrade), built from the rendered sqlite upgrades of its ancestors
    in load order; (engine, None) or (None, why not)."""
    import sqlalchemy as sa
    want, todo = set(), [sc.revision]
    while todo:
        rev = state["by_id"].get(todo.pop())
        if rev is None:
            continue
        for d in getattr(rev, "_all_down_revisions", None) or \
                rev._versioned_down_revisions:
            if d not in want:
                want.add(d)
                todo.append(d)
    if with_self:
        want.add(sc.revision)
    engine = sa.create_engine("sqlite://", poolclass=sa.pool.StaticPool)
    raw = engine.raw_connection()
    try:
        for rev in state["order"]:
            if rev not in want:
                continue
            sql = state["sqlite_up"].get(rev)
            if sql is None:
                return None, ("the table's shape comes from revision %s, "
                              "which has a retort:todo" % rev)
            raw.executescript(sql)
    except Exception as e:
        return None, "%s: %s" % (type(e).__name__, first_line(e))
    finally:
        raw.close()
    return engine, None


def autocommit(sql):
    """Alembic's offline autocommit_block() is COMMIT; ... BEGIN; around
    its statements. retort runs such a revision without a transaction
    (transaction:false): the two lines go, the section is marked."""
    lines = sql.split("\n")
    if "COMMIT;" not in lines or "BEGIN;" not in lines:
        return sql, False
    out = [l for l in lines if l not in ("COMMIT;", "BEGIN;")]
    text = "\n".join(out)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip("\n"), True


def as_list(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def header(module):
    """The comment header: message, free paragraphs, the key block."""
    doc = (module.__doc__ or "").strip("\n").splitlines()
    paras, cur = [], []
    for line in doc + [""]:
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            paras.append(cur)
            cur = []
    keys = ("Revision ID:", "Revises:", "Create Date:")
    date = ""
    free = []
    for p in paras:
        if any(l.startswith(keys) for l in p):
            for l in p:
                if l.startswith("Create Date:"):
                    date = l.split(":", 1)[1].strip()
        else:
            free.append(p)
    if not free:
        free = [["revision %s" % module.revision]]
    out = []
    for i, p in enumerate(free):
        if i:
            out.append("--")
        out += ["-- " + l for l in p]
    out += [
        "--",
        "-- Revision ID: " + module.revision,
        "-- Revises: " + as_list(module.down_revision),
        "-- Create Date: " + date,
        "-- Branch Labels: " + as_list(getattr(module, "branch_labels",
                                               None)),
        "-- Depends On: " + as_list(getattr(module, "depends_on", None)),
    ]
    return "\n".join(l.rstrip() for l in out) + "\n"


def todo_section(fn, reason):
    try:
        src = inspect.getsource(fn).rstrip("\n").splitlines()
    except (OSError, TypeError):
        src = ["(source not available)"]
    out = ["-- retort:todo %s() cannot be rendered offline: %s"
           % (fn.__name__, reason),
           "-- Write the SQL it runs here, then remove the todo line. Its "
           "Python source:"]
    out += [("-- | " + l).rstrip() for l in src]
    return "\n".join(out)


def sections(sc, dialects, todos, state):
    m = sc.module
    text = ""
    for name in ("upgrade", "downgrade"):
        fn = getattr(m, name, None)
        for d in dialects:
            marker = "-- migrate:" + name
            if len(dialects) > 1:
                marker += " dialect:" + d
            if fn is None:
                body, reason = "", None
            else:
                body, reason = render(fn, d)
            if d == "sqlite" and needs_reflection(reason):
                engine, why = scratch_at(state, sc, name == "downgrade")
                if engine is None:
                    reason += " (and reflecting the table failed: %s)" % why
                else:
                    body, reason = render(fn, d, engine)
                    engine.dispose()
            if d == "sqlite" and name == "upgrade":
                state["sqlite_up"][m.revision] = \
                    None if reason is not None else body
            if reason is None and body:
                body, notx = autocommit(body)
                if notx:
                    marker += " transaction:false"
            if reason is not None:
                key = (m.revision, os.path.basename(sc.path), name, reason)
                if todos and todos[-1][0] == key:
                    todos[-1][1].append(d)
                else:
                    todos.append((key, [d]))
                body = todo_section(fn, reason)
            text += "\n" + marker + "\n" + (body + "\n" if body else "")
    return text


def out_name(sc):
    base = os.path.splitext(os.path.basename(sc.path))[0]
    return base + ".sql"


@contextlib.contextmanager
def in_folder(path):
    """Alembic resolves a relative script_location and prepend_sys_path
    from the working directory: the ini's folder, where `alembic` runs."""
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def plan_files(scripts, dialects, into, todos, ini_dir):
    files = []
    order = list(reversed(scripts))  # base first: parents before children
    state = {"order": [sc.revision for sc in order],
             "by_id": {sc.revision: sc for sc in order}, "sqlite_up": {}}
    with in_folder(ini_dir):
        for sc in order:
            files.append((os.path.join(into, out_name(sc)),
                          header(sc.module) +
                          sections(sc, dialects, todos, state)))
    seen = {}
    for path, _ in files:
        if path in seen:
            fail("two revisions would both be written to %s" % path)
        seen[path] = 1
    for path, text in files:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                if f.read() != text:
                    fail("%s exists with other content; nothing written "
                         "(move it away, or import --into another folder)"
                         % path)
    return files


def retort_ini_text(cp, ini_path, config_path, into, section):
    here = os.path.dirname(os.path.abspath(config_path))
    into_abs = os.path.abspath(into)
    lines = ["[%s]" % section]
    if os.path.basename(into_abs) == "versions":
        loc = os.path.relpath(os.path.dirname(into_abs), here)
        lines.append("script_location = %%(here)s/%s" % loc)
    else:
        lines.append("script_location = %%(here)s/%s"
                     % os.path.relpath(into_abs, here))
        lines.append("version_locations = %%(here)s/%s"
                     % os.path.relpath(into_abs, here))
    url = cp.get("alembic", "sqlalchemy.url", raw=True, fallback="")
    scheme = url.split(":", 1)[0].split("+", 1)[0]
    # %(here)s is alembic.ini's folder there, retort.ini's here
    ini_dir = os.path.dirname(os.path.abspath(ini_path))
    if ini_dir != here:
        rel = os.path.relpath(ini_dir, here)
        url = url.replace("%(here)s", "%%(here)s/%s" % rel)
        # a relative SQLite path: Alembic's is from where it runs (the
        # ini's folder), retort's from retort.ini's folder
        path = url.split(":///", 1)[1] if ":///" in url else ""
        if scheme == "sqlite" and path and not path.startswith(("/", "%")):
            url = url.split(":///", 1)[0] + ":///" + \
                os.path.normpath(os.path.join(rel, path))
    if scheme in ("sqlite", "postgresql", "postgres", "mysql") and \
            "%(" not in url.replace("%(here)s", ""):
        lines.append("url = " + scheme + url[len(url.split(":", 1)[0]):])
    else:
        lines.append("url = ${DATABASE_URL}")
    lines.append("# the table Alembic keeps its revisions in: retort reads "
                 "and continues it")
    lines.append("version_table = alembic_version")
    for key in ("file_template", "truncate_slug_length", "timezone"):
        v = cp.get("alembic", key, raw=True, fallback=None)
        if v:
            lines.append("%s = %s" % (key, v))
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(prog="alembic_import.py")
    ap.add_argument("ini")
    ap.add_argument("--into", required=True)
    ap.add_argument("--dialect", action="append", default=[])
    ap.add_argument("--config", default="retort.ini")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--section", default="retort")
    a = ap.parse_args()
    dialects = []
    for d in a.dialect or ["sqlite"]:
        for part in d.split(","):
            part = part.strip()
            if part not in SUPPORTED:
                fail("unknown dialect '%s' (sqlite, postgresql or mysql)"
                     % part)
            if part not in dialects:
                dialects.append(part)
    ini_path, cp = find_ini(a.ini)
    import_alembic(sys.executable)
    ini_abs = os.path.abspath(ini_path)
    ini_dir = os.path.dirname(ini_abs)
    with in_folder(ini_dir):
        scripts = load_scripts(ini_abs, ini_path)
    todos = []
    files = plan_files(scripts, dialects, a.into, todos, ini_dir)
    os.makedirs(a.into, exist_ok=True)
    written = 0
    for path, text in files:
        if os.path.exists(path):
            continue
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        written += 1
    for (rev, fname, fn, reason), where in todos:
        sys.stderr.write("todo: %s (%s): %s() cannot be rendered offline "
                         "for %s: %s\n"
                         % (rev, fname, fn, ", ".join(where), reason))
    if not os.path.exists(a.config):
        with open(a.config, "w", encoding="utf-8") as f:
            f.write(retort_ini_text(cp, ini_path, a.config, a.into,
                                    a.section))
        if not a.quiet:
            print("wrote %s (version_table = alembic_version)" % a.config,
                  flush=True)
    else:
        with open(a.config, encoding="utf-8") as f:
            has = any(l.replace(" ", "").startswith(
                "version_table=alembic_version") for l in f)
        if not has:
            sys.stderr.write(
                "retort: %s exists and was not changed; add "
                "'version_table = alembic_version' to it to continue "
                "the databases Alembic upgraded\n" % a.config)
    if not a.quiet:
        print("imported %d revisions into %s (%d written, %d unchanged)"
              % (len(files), a.into, written, len(files) - written),
              flush=True)
    if todos:
        sys.stderr.write("%d revision function%s left with a retort:todo "
                         "marker (retort validate lists them)\n"
                         % (len(todos), "" if len(todos) == 1 else "s"))
        return TODO_EXIT
    return 0


if __name__ == "__main__":
    sys.exit(main())
