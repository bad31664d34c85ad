# SPDX-License-Identifier: MIT
"""graphgen.py: shared machinery of the conformance suite (retort against
Debian's Alembic 1.8.1, see alembic_oracle.py for how Alembic is run).

  graphs      Rev/Graph, the hand-made graphs of Alembic's own tests
              (linear, branched, diamond, labelled, multiple bases,
              cross-branch dependencies, twin merges, ...) and random
              graphs drawn from a seeded generator
  projects    write one graph as BOTH an Alembic project (alembic.ini,
              env.py, script.py.mako, versions/<stem>.py) and a retort
              project (retort.ini, migrations/versions/<stem>.sql) with
              the same revision ids and the same file stems, so that the
              two tools load the revisions in the same (sorted) order
  cases       the commands to compare: graph queries (heads, branches,
              history, show) and offline SQL (upgrade/downgrade/stamp
              --sql over (start, target) pairs, relative forms included)
  comparing   retort runs as the real binary (a thread pool keeps both
              cores busy while Alembic answers in-process); outputs are
              normalised for the differences listed below and compared,
              failures are printed as unified diffs

Differences between the tools that are intended, and how each is handled
(each one is skipped explicitly, never silently):
  * Python iterates sets where the order is arbitrary (branch labels, the
    children of a branch point, the rows Alembic picks at a merge): label
    and child lists are compared sorted, version rows as sets.
  * Offline SQLite: retort wraps each revision in BEGIN/COMMIT (SQLite has
    transactional DDL); Alembic treats SQLite as non-transactional and
    prints none. retort's BEGIN/COMMIT are dropped for SQLite.
  * Offline downgrade to base: Alembic 1.8.1 ends with DROP TABLE
    alembic_version; retort does not (Alembic >= 1.19 behaviour). Dropped.
  * The version column is VARCHAR(255) in retort, VARCHAR(32) in Alembic.
  * PostgreSQL: Alembic (SQLAlchemy 1.4 implicit returning) ends the
    version-table INSERT with "RETURNING alembic_version.version_num";
    retort does not (nothing reads it in a script). Both forms parse.
  * Table name: the retort projects set version_table = alembic_version.
  * Transactions: the Alembic env.py sets transaction_per_migration=True,
    which is retort's default, so BEGIN/COMMIT placement is compared for
    PostgreSQL.
  * `show`/`-v` print the revision file's path: compared by file stem.
  * Not exercised, being retort's deliberate choices: ids or labels with
    '-' (Alembic forbids '-' in ids; retort never reads an exact id or
    label as a relative form), and the empty start of a ":target" range
    (retort reads it as base; Alembic resolves '' as a prefix of every
    id). Ids with '.' and all-digit ids (revision_ids = sequential) are.
  * Alembic internal errors (an exception that is not a CommandError, i.e.
    a traceback from the real CLI) are Alembic bugs: when retort fails too
    the case passes; when retort succeeds the case is counted as skipped
    under the exception's name and retort's own plan is still checked
    (every UPDATE/DELETE names an existing row, every INSERT a new one).
"""
import collections
import concurrent.futures
import difflib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEBIAN_PYTHON = "/usr/bin/python3"


def ensure_debian_python():
    """Re-run the calling script under /usr/bin/python3 when started by
    another interpreter (Debian's python3-alembic is only visible there)."""
    if (os.path.exists(DEBIAN_PYTHON)
            and os.path.realpath(sys.executable)
            != os.path.realpath(DEBIAN_PYTHON)
            and not os.environ.get("RETORT_CONFORMANCE_REEXEC")):
        os.environ["RETORT_CONFORMANCE_REEXEC"] = "1"
        os.execv(DEBIAN_PYTHON, [DEBIAN_PYTHON] + sys.argv)


# ---------------------------------------------------------------------------
# graphs

def _split(v):
    if v is None:
        return ()
    if isinstance(v, (list, tuple)):
        return tuple(v)
    return tuple(x.strip() for x in v.split(",") if x.strip())


class Rev:
    __slots__ = ("id", "down", "labels", "deps", "message", "stem")

    def __init__(self, id, down=(), labels=(), deps=(), message=None,
                 stem=None):
        self.id = id
        self.down = _split(down)
        self.labels = _split(labels)
        self.deps = _split(deps)
        self.message = message or "revision %s" % id
        self.stem = stem

    def __repr__(self):
        parts = [repr(self.id), repr(",".join(self.down))]
        if self.labels:
            parts.append("labels=%r" % ",".join(self.labels))
        if self.deps:
            parts.append("deps=%r" % ",".join(self.deps))
        return "R(%s)" % ", ".join(parts)


def R(id, down="", labels="", deps=""):
    return Rev(id, down, labels, deps)


class Graph:
    """Revisions in the order given; file stems default to that order
    (0001_<id>), so load order (sorted stems) is the order given unless
    stems are set otherwise."""

    def __init__(self, name, revs, broken=False):
        self.name = name
        self.revs = list(revs)
        self.broken = broken  # expected to fail to load
        for i, r in enumerate(self.revs):
            if r.stem is None:
                r.stem = "%04d_%s" % (i + 1, r.id)
        self.by_id = {r.id: r for r in self.revs}
        self.label_of = {}
        for r in self.revs:
            for lab in r.labels:
                self.label_of.setdefault(lab, r.id)
        self.load_order = [r.id for r in sorted(self.revs,
                                                key=lambda r: r.stem)]
        if not broken:
            self._derive()

    def _resolve_dep(self, d):
        return self.label_of.get(d, d)

    def _derive(self):
        self.children = {r.id: [] for r in self.revs}
        self.all_down = {}
        for r in self.revs:
            ad = list(r.down) + [self._resolve_dep(d) for d in r.deps
                                 if self._resolve_dep(d) not in r.down]
            self.all_down[r.id] = ad
            for d in r.down:
                self.children[d].append(r.id)
        self._anc = {}

    def ancestors(self, rid):
        """Ancestors through Revises and Depends On, rid included."""
        if rid in self._anc:
            return self._anc[rid]
        seen = set()
        todo = [rid]
        while todo:
            x = todo.pop()
            if x in seen:
                continue
            seen.add(x)
            todo.extend(self.all_down[x])
        self._anc[rid] = seen
        return seen

    def heads(self):
        return [i for i in self.load_order if not self.children[i]]

    def labels(self):
        return list(self.label_of)

    def describe(self):
        lines = ["graph %s (%d revisions, load order):" % (
            self.name, len(self.revs))]
        for rid in self.load_order:
            r = self.by_id[rid]
            lines.append("    %-20s %r" % (r.stem, r))
        return "\n".join(lines)


def named_graphs():
    """Graphs after Alembic's tests/test_revision.py and
    tests/test_version_traversal.py (reference section 8)."""
    g = []
    g.append(Graph("linear", [
        R("1975ea83b712"), R("ae1027a6acf", "1975ea83b712"),
        R("27c6a30d7c24", "ae1027a6acf"), R("3f2a9c1b7e4d", "27c6a30d7c24"),
        R("53fffde5ad5", "3f2a9c1b7e4d")]))
    g.append(Graph("branched", [
        R("a"), R("b", "a"), R("c1", "b", labels="c1branch"),
        R("d1", "c1"), R("c2", "b", labels="c2branch"), R("d2", "c2")]))
    g.append(Graph("diamond", [
        R("a"), R("b1", "a"), R("b2", "a"), R("c", "b1,b2"), R("d", "c")]))
    g.append(Graph("long_short", [
        R("a"), R("b1", "a"), R("b2", "a"), R("c1", "b1"), R("d11", "c1"),
        R("d12", "c1")]))
    g.append(Graph("labeled", [
        R("a", labels="abranch"), R("b", "a"), R("somelongername", "b"),
        R("c", "somelongername"), R("d"), R("e", "d", labels="ebranch"),
        R("someothername", "e"), R("f", "someothername")]))
    g.append(Graph("multiple_branch", [
        R("a"), R("b1", "a"), R("b2", "a"), R("cb1", "b1"), R("cb2", "b2"),
        R("d1cb1", "cb1"), R("d2cb1", "cb1"), R("d1d2cb2", "d1cb1,cb2"),
        R("d2cb2", "cb2"), R("e1d1d2cb2", "d1d2cb2"),
        R("e2d1d2cb2", "d1d2cb2"), R("e1d2cb2", "d2cb2")]))
    g.append(Graph("branch_travelling", [
        R("a1"), R("a2", "a1"), R("a3", "a2"), R("b1", "a3"), R("b2", "a3"),
        R("cb1", "b1"), R("cb2", "b2"), R("db1", "cb1"), R("db2", "cb2"),
        R("e1b1", "db1"), R("fe1b1", "e1b1"), R("e2b1", "db1"),
        R("e2b2", "db2"), R("merge", "e2b1,e2b2")]))
    g.append(Graph("multiple_base", [
        R("base1"), R("a1a", "base1"), R("a1b", "base1"), R("b1a", "a1a"),
        R("b1b", "a1b"), R("base2"), R("a2", "base2"), R("b2", "a2"),
        R("base3"), R("a3", "base3"), R("b3", "a3"),
        R("mergeb3d2", "b3,b2")]))
    g.append(Graph("cross_dependency_one", [
        R("base1", labels="b_1"), R("a1", "base1"), R("b1", "a1"),
        R("base2", labels="b_2"), R("a2", "base2", deps="b_1"),
        R("b2", "a2"), R("base3", labels="b_3"), R("a3", "base3"),
        R("b3", "a3", deps="b_2")]))
    g.append(Graph("cross_dependency_two", [
        R("base1", labels="b_1"), R("a1a", "base1"), R("a1b", "base1"),
        R("b1a", "a1a"), R("b1b", "a1b", deps="a3"), R("base2"),
        R("a2", "base2", labels="b_2"), R("b2", "a2"),
        R("base3", labels="b_3"), R("a3", "base3"), R("b3", "a3"),
        R("c2", "b2", deps="b3"), R("d2", "c2")]))
    g.append(Graph("cross_dependency_three", [
        R("base1", labels="b_1"), R("a1", "base1"), R("b1", "a1"),
        R("base2", labels="b_2"), R("a2", "base2", deps="a1"),
        R("b2", "a2", deps="b1"), R("c2", "b2"), R("base3", labels="b_3"),
        R("a3", "base3", deps="b2"), R("b3", "a3")]))
    g.append(Graph("twin_merge", [
        R("a"), R("b1", "a"), R("b2", "a"), R("c1", "b1,b2"),
        R("c2", "b1,b2"), R("d1", "c1"), R("d2", "c2")]))
    g.append(Graph("not_quite_twin_merge", [
        R("a"), R("b1", "a"), R("b2", "a"), R("b3", "a"), R("c1", "b1,b2"),
        R("c2", "b2,b3"), R("d", "c1,c2")]))
    g.append(Graph("forest", [
        R("a1"), R("b1"), R("a2", "a1"), R("b2", "b1")]))
    g.append(Graph("merged_path", [
        R("a"), R("b", "a"), R("c1", "b"), R("d1", "c1"), R("c2", "b"),
        R("d2", "c2"), R("e", "d1,d2"), R("f", "e")]))
    g.append(Graph("branch_from_mergepoint", [
        R("a1"), R("b1", "a1"), R("c1", "b1"), R("a2"), R("b2", "a2"),
        R("c2", "b2"), R("d1", "c1,c2"), R("d2", "d1"), R("e1", "d1"),
        R("f1", "e1"), R("e2", "d2")]))
    g.append(Graph("branch_from_3way_mergepoint", [
        R("a1"), R("b1", "a1"), R("c1", "b1"), R("a2"), R("b2", "a2"),
        R("c2", "b2"), R("a3"), R("b3", "a3"), R("c3", "b3"),
        R("d1", "c1,c2,c3"), R("d2", "d1"), R("e1", "d1"), R("e2", "d2")]))
    g.append(Graph("depends_on_branch_one", [
        R("a1"), R("b1", "a1"), R("c1", "b1"), R("a2", labels="lib"),
        R("b2", "a2"), R("c2", "b2"), R("d1", "c1", deps="c2"),
        R("d2", "c2")]))
    g.append(Graph("depends_on_branch_two", [
        R("a1"), R("b1", "a1"), R("c1", "b1"), R("a2"), R("b2", "a2"),
        R("c2", "b2", deps="b1"), R("d2", "c2")]))
    g.append(Graph("depends_on_kaboom", [
        R("a"), R("b1", "a"), R("b2", "a"), R("b3", "a"),
        R("c1", "b1"), R("c2", "b2", deps="c1"), R("c3", "b3", deps="c1"),
        R("d1", "c2,c3")]))
    g.append(Graph("criss_cross", [
        R("a1"), R("a2"), R("b1", "a1", deps="a2"),
        R("b2", "a2", deps="a1"), R("c1", "b1"), R("c2", "b2")]))
    g.append(Graph("depends_on_own_downrev", [
        R("a1"), R("b1", "a1"), R("c1", "b1", deps="b1"), R("d1", "c1")]))
    g.append(Graph("normalized_deps", [
        R("a1"), R("a2", "a1"), R("a3", "a2"), R("b1"),
        R("b2", "b1", deps="a3"), R("b3", "b2"), R("b4", "b3", deps="a3,a2"),
        R("b5", "b4", deps="a3")]))
    g.append(Graph("depends_on_mergepoint_downrev", [
        R("a"), R("b", "a"), R("c", "a"), R("d", "b,c", deps="b"),
        R("e", "d")]))
    g.append(Graph("depends_on_label", [
        R("a", labels="alpha"), R("b", "a"), R("c", "b"),
        R("x", labels="xray"), R("y", "x", deps="alpha"), R("z", "y"),
        R("q", "c", deps="xray")]))
    g.append(Graph("effective_head", [
        R("x1"), R("x2", "x1", labels="xbranch"), R("y1"),
        R("y2", "y1", deps="x2", labels="ybranch"), R("y3", "y2")]))
    g.append(Graph("prefixes", [
        R("abcd1234"), R("abcd5678", "abcd1234"), R("abce0000", "abcd5678"),
        R("abcf", "abce0000", labels="abcdlabel"), R("b00c", "abcf"),
        R("b00d", "abcf"), R("b00e", "b00c,b00d")]))
    # history -r l0:heads keeps only the versioned descendants of l0, so
    # c0 lies below h0 through x0, which is not in the range
    g.append(Graph("history_non_convex", [
        R("l0"), R("c0", "l0"), R("y0", "l0"), R("z0", "c0"), R("b0"),
        R("x0", "b0", deps="c0"), R("h0", "x0,y0")]))
    # a head that is also a base: walking down from it gives "base"
    g.append(Graph("lonely_base", [
        R("a0"), R("b0", "a0"), R("c0", "a0"), R("d0")]))
    # retort's `revision_ids = sequential` ids (too short for prefixes)
    g.append(Graph("sequential", [
        R("001"), R("002", "001"), R("003", "002", labels="feature"),
        R("004", "003"), R("005", "002"), R("006", "004,005"),
        R("007", "006"), R("008", "006", deps="005"), R("009"),
        R("010", "009", deps="feature")]))
    g.append(Graph("dotted_ids", [
        R("v1.0"), R("v1.1", "v1.0"), R("v1.1.1", "v1.1"),
        R("v2.0", "v1.1", labels="two"), R("v2.1", "v2.0"),
        R("2024.01.15", "v1.1.1,v2.1")]))
    g.append(Graph("long_chain", [R("r%03d" % i, "r%03d" % (i - 1)
                                    if i else "") for i in range(60)]))
    # load order that is not creation order: ties must follow file names
    shuffled = Graph("stems_shuffled", [
        Rev("aaaa"), Rev("bbbb", "aaaa"), Rev("cccc", "aaaa"),
        Rev("dddd", "aaaa"), Rev("eeee", "bbbb"), Rev("ffff", "cccc"),
        Rev("gggg", "dddd,ffff"), Rev("hhhh", "eeee")])
    for r, stem in zip(shuffled.revs, ["0005_a", "0002_b", "0008_c",
                                        "0001_d", "0007_e", "0003_f",
                                        "0006_g", "0004_h"]):
        r.stem = stem
    g.append(Graph("stems_shuffled", shuffled.revs))
    return g


def broken_graphs():
    """Graphs that must not load; both tools report the same problem."""
    return [
        Graph("self_loop", [R("a"), R("b", "b")], broken=True),
        Graph("dependency_self_loop", [R("a"), R("b", "a", deps="b")],
              broken=True),
        Graph("cycle", [R("a"), R("b", "a,d"), R("c", "b"), R("d", "c"),
                        R("e", "a")], broken=True),
        Graph("dependency_cycle", [R("a"), R("b", "a", deps="c"),
                                   R("c", "b")], broken=True),
        Graph("duplicate_label", [R("a", labels="x"), R("b", "a"),
                                  R("c", labels="x")], broken=True),
        Graph("depends_on_own_label", [R("a"), R("b", "a", labels="bl",
                                                 deps="bl")], broken=True),
        Graph("missing_parent", [R("a"), R("b", "zz")], broken=True),
        Graph("missing_dependency", [R("a"), R("b", "a", deps="zz")],
              broken=True),
    ]


# -- random graphs ----------------------------------------------------------

_WORDS = ["alpha", "beta", "gamma", "delta", "omega", "core", "auth",
          "billing", "search", "audit", "users", "shop"]


def random_graph(seed, index=0):
    """A random graph of 5..40 revisions with several bases, branches,
    merges, labels and Depends On (ids and labels), from a fixed seed."""
    rng = random.Random(seed)
    n = rng.randint(5, 40)
    p_base = rng.choice([0.0, 0.05, 0.1])
    p_merge = rng.choice([0.1, 0.2, 0.3])
    p_branch = rng.choice([0.1, 0.2, 0.35])
    p_dep = rng.choice([0.0, 0.1, 0.2, 0.35])
    p_label = rng.choice([0.05, 0.15, 0.25])
    ids = []
    used = set()

    def new_id():
        while True:
            k = rng.random()
            if ids and k < 0.15:
                # share a prefix with an existing id (partial id tests)
                base = rng.choice(ids)
                rid = base[:rng.randint(3, max(3, len(base) - 1))] + \
                    "".join(rng.choice("0123456789abcdef")
                            for _ in range(rng.randint(1, 4)))
            elif k < 0.3:
                rid = rng.choice(_WORDS) + str(rng.randint(0, 99))
            elif k < 0.35:
                rid = "%03d" % rng.randint(0, 999)
            elif k < 0.38:
                rid = "v%d.%d" % (rng.randint(0, 9), rng.randint(0, 20))
            else:
                rid = "".join(rng.choice("0123456789abcdef")
                              for _ in range(rng.choice([4, 6, 8, 12])))
            if rid not in used and rid not in (
                    "head", "heads", "base"):
                used.add(rid)
                return rid

    revs = []
    heads = []
    anc = {}
    labels = []
    for i in range(n):
        rid = new_id()
        r = rng.random()
        down = ()
        if i == 0 or r < p_base:
            down = ()
        elif r < p_base + p_merge and len(heads) >= 2:
            k = 3 if len(heads) >= 3 and rng.random() < 0.2 else 2
            pick = []
            for h in rng.sample(heads, len(heads)):
                if all(h not in anc[p] and p not in anc[h] for p in pick):
                    pick.append(h)
                if len(pick) == k:
                    break
            down = tuple(pick) if len(pick) >= 2 else (pick[0],)
        elif r < p_base + p_merge + p_branch:
            down = (rng.choice(ids),)
        else:
            down = (rng.choice(heads) if heads else rng.choice(ids),)
        a = set([rid])
        for d in down:
            a |= anc[d]
        deps = []
        if ids and rng.random() < p_dep:
            for _ in range(rng.choice([1, 1, 1, 2])):
                cand = rng.choice(ids)
                if cand in down or cand in deps:
                    continue
                if cand in anc_ids(anc, down) and rng.random() < 0.6:
                    continue  # mostly not an ancestor already
                owner_labels = [lab for lab, owner in labels if owner == cand]
                deps.append(rng.choice(owner_labels)
                            if owner_labels and rng.random() < 0.5 else cand)
                a |= anc[cand]
        labs = ()
        if rng.random() < p_label:
            lab = "%s_%d" % (rng.choice(_WORDS), len(labels))
            labs = (lab,)
            labels.append((lab, rid))
        rev = Rev(rid, down, labs, tuple(deps),
                  message="random %d rev %d" % (index, i))
        revs.append(rev)
        anc[rid] = a
        for d in down:
            if d in heads:
                heads.remove(d)
        heads.append(rid)
        ids.append(rid)
    # file stems: creation order, or shuffled so that load order (the tie
    # breaker) differs from the order the revisions were made in
    order = list(range(n))
    if rng.random() < 0.5:
        rng.shuffle(order)
    for pos, r in zip(order, revs):
        r.stem = "%04d_%s" % (pos + 1, r.id)
    return Graph("random%03d_seed%d" % (index, seed), revs)


def anc_ids(anc, down):
    s = set()
    for d in down:
        s |= anc[d]
    return s


# ---------------------------------------------------------------------------
# projects

CREATE_DATE = "2024-01-01 00:00:00.000000"

# [whole]: one transaction for the whole run in both tools (-n whole)
ALEMBIC_INI = """[alembic]
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///alembic.db

[whole]
script_location = %(here)s/alembic
sqlalchemy.url = sqlite:///alembic.db
transaction_per_migration = false
"""

ENV_PY = '''"""Offline-only env.py of the conformance projects: Alembic's generic
template with transaction_per_migration=True (retort's default) unless the
ini section says false."""
from alembic import context

config = context.config


def run_migrations_offline():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        transaction_per_migration=config.get_main_option(
            "transaction_per_migration", "true") == "true",
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    raise RuntimeError("the conformance suite only runs offline (--sql)")
'''

MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    pass


def downgrade():
    pass
'''

RETORT_INI = """[retort]
script_location = %(here)s/migrations
url = sqlite:///retort.db
version_table = alembic_version

[whole]
script_location = %(here)s/migrations
url = sqlite:///retort.db
version_table = alembic_version
transaction_per_migration = false
"""


def _header_lines(r):
    return [
        r.message,
        "",
        "Revision ID: %s" % r.id,
        "Revises:%s" % (" " + ", ".join(r.down) if r.down else ""),
        "Create Date: %s" % CREATE_DATE,
        "Branch Labels:%s" % (" " + ", ".join(r.labels) if r.labels else ""),
        "Depends On:%s" % (" " + ", ".join(r.deps) if r.deps else ""),
    ]


def _py_value(v):
    if not v:
        return "None"
    if len(v) == 1:
        return repr(v[0])
    return repr(tuple(v))


def upgrade_sql(r):
    return "CREATE TABLE t_%s (id INTEGER)" % r.id


def downgrade_sql(r):
    return "DROP TABLE t_%s" % r.id


def alembic_file(r):
    doc = "\n".join(_header_lines(r))
    return '''"""%s

"""
from alembic import op

revision = %r
down_revision = %s
branch_labels = %s
depends_on = %s


def upgrade():
    op.execute(%r)


def downgrade():
    op.execute(%r)
''' % (doc, r.id, _py_value(r.down), _py_value(r.labels),
       _py_value(r.deps), upgrade_sql(r), downgrade_sql(r))


def retort_file(r):
    head = "\n".join(("-- " + x) if x else "--" for x in _header_lines(r))
    return "%s\n\n-- migrate:upgrade\n%s;\n\n-- migrate:downgrade\n%s;\n" % (
        head, upgrade_sql(r), downgrade_sql(r))


class Project:
    def __init__(self, graph, root):
        self.graph = graph
        self.dir = root
        self.alembic_ini = os.path.join(root, "alembic.ini")
        self.retort_ini = os.path.join(root, "retort.ini")
        av = os.path.join(root, "alembic", "versions")
        rv = os.path.join(root, "migrations", "versions")
        os.makedirs(av)
        os.makedirs(rv)
        _write(self.alembic_ini, ALEMBIC_INI)
        _write(os.path.join(root, "alembic", "env.py"), ENV_PY)
        _write(os.path.join(root, "alembic", "script.py.mako"), MAKO)
        _write(self.retort_ini, RETORT_INI)
        for r in graph.revs:
            _write(os.path.join(av, r.stem + ".py"), alembic_file(r))
            _write(os.path.join(rv, r.stem + ".sql"), retort_file(r))


def _write(path, text):
    with open(path, "w") as f:
        f.write(text)


# ---------------------------------------------------------------------------
# cases

SQLITE = "sqlite:///conformance.db"
POSTGRES = "postgresql://conformance@localhost/conformance"


class Case:
    """One command given to both tools. kind: 'text' (graph queries,
    compared as normalised text) or 'sql' (offline SQL, compared as steps
    and version rows)."""
    __slots__ = ("argv", "kind", "url", "start")

    def __init__(self, argv, kind="text", url=None, start=None):
        self.argv = list(argv)
        self.kind = kind
        self.url = url
        self.start = start  # offline starting revision (sql cases)

    def title(self):
        dialect = ""
        if self.url:
            dialect = " [%s]" % self.url.split(":")[0]
        return " ".join(self.argv) + dialect


def prefix_of(rid, graph):
    """A unique prefix of at least 4 characters, if the id has one."""
    keys = list(graph.by_id) + graph.labels()
    for n in range(4, len(rid)):
        p = rid[:n]
        if sum(1 for k in keys if k.startswith(p) and len(k) > 3) == 1:
            return p
    return None


def graph_query_cases(graph, rng, nshow=4, nranges=6, verbose=False,
                      small=False):
    """heads, branches, history, history ranges and show. With small, a
    random sample of the show/range pool instead of all of it."""
    cases = [Case(["heads"]), Case(["heads", "--resolve-dependencies"]),
             Case(["branches"]), Case(["history"])]
    if verbose:
        cases += [Case(["heads", "-v"]), Case(["history", "-v"]),
                  Case(["branches", "-v"])]
    if graph.broken:
        return cases + [Case(["show", graph.revs[0].id])]
    ids = graph.load_order
    labels = rng.sample(graph.labels(), min(3, len(graph.labels())))
    shows = ["head", "heads", "base"]
    shows += rng.sample(ids, min(nshow, len(ids)))
    for rid in rng.sample(ids, min(2, len(ids))):
        p = prefix_of(rid, graph)
        if p:
            shows.append(p)
    shows.append(ids[0][:3])  # short prefix: resolved only when unique
    shows += ["nosuchrev", "-1", "-2"]  # -N: walk down from the heads
    for lab in labels[:3]:
        shows += [lab, lab + "@head", lab + "@heads", lab + "@base",
                  lab + "@-1"]
        shows.append(lab + "@" + rng.choice(ids))
    shows.append(rng.choice(ids) + "@head")
    ranges = ["base:heads", ":heads", "base:", ":head", "base:base"]
    for _ in range(nranges):
        a, b = rng.choice(ids), rng.choice(ids)
        if rng.random() < 0.6:
            # prefer a real ancestor:descendant pair
            anc = sorted(graph.ancestors(b), key=ids.index)
            a = rng.choice(anc)
        ranges.append("%s:%s" % (a, b))
        ranges.append(rng.choice(["%s:", ":%s"]) % a)
    a = rng.choice(ids)
    ranges += ["%s:+1" % a, "%s:+2" % a, "-1:%s" % a, "%s-1:" % a,
               "%s:heads" % a, "base:%s+1" % a, "head-1:", ":-1",
               "heads:%s" % a]
    for lab in labels[:2]:
        ranges += ["%s@base:%s@head" % (lab, lab), "%s@base:" % lab,
                   ":%s@head" % lab, "%s:heads" % lab]
    if small:
        shows = rng.sample(shows, min(nshow + 1, len(shows)))
        ranges = rng.sample(ranges, min(nranges + 1, len(ranges)))
    for s in shows:
        cases.append(Case(["show", s]))
    for r in ranges:
        cases.append(Case(["history", "--rev-range=" + r]))
    return cases


def offline_cases(graph, rng, n, urls=(SQLITE, POSTGRES)):
    """(start, target) pairs for upgrade/downgrade/stamp --sql, drawn at
    random from a pool that covers absolute, symbolic and relative forms.
    Each pair runs once, with the urls taken in turn."""
    ids = graph.load_order
    labels = rng.sample(graph.labels(), min(3, len(graph.labels())))
    heads = graph.heads()
    starts = ["base"] + ids
    pool = []

    def up_targets(start):
        t = ["heads", "head", "base", "+1", "+2", "+3", "-1", "base+1",
             "base+2", "nosuch", ids[0][:3]]
        t += rng.sample(ids, min(4, len(ids)))
        x = rng.choice(ids)
        t += [x + "+1", x + "+2", x + "-1", "head-1", "heads+1"]
        p = prefix_of(x, graph)
        if p:
            t.append(p)
        for lab in labels[:3]:
            t += [lab + "@head", lab + "@base", lab + "@+1", lab + "@+2",
                  lab + "@head-1", lab, lab + "@" + rng.choice(ids),
                  lab + "@base+1"]
        if start != "base":
            t += [start + "+1", start + "-1"]
        return t

    def down_targets(start):
        t = ["base", "-1", "-2", "+1", "heads", "head", "nosuch"]
        if start != "base":
            anc = sorted(graph.ancestors(start), key=ids.index)
            t += rng.sample(anc, min(3, len(anc)))
            t += [start + "-1", start + "-2", rng.choice(anc) + "+1"]
        t += rng.sample(ids, min(2, len(ids)))
        t.append(rng.choice(ids) + "-1")
        for lab in labels[:3]:
            t += [lab + "@base", lab + "@-1", lab + "@head", lab,
                  lab + "@" + rng.choice(ids), lab + "@head-1"]
        return t

    def stamp_targets(start):
        t = [["heads"], ["head"], ["base"], ["nosuch"]]
        t += [[x] for x in rng.sample(ids, min(4, len(ids)))]
        t.append(rng.sample(ids, min(2, len(ids))))
        if len(heads) > 1:
            t.append(list(heads[:3]))
        for lab in labels[:2]:
            t += [[lab + "@head"], [lab + "@base"], [lab]]
        return t

    # starts weighted towards heads and late revisions for downgrades
    for _ in range(n):
        kind = rng.choices(["upgrade", "downgrade", "stamp"],
                           [0.45, 0.35, 0.2])[0]
        if kind == "upgrade":
            start = rng.choice(starts[:1] * 3 + starts)
            target = rng.choice(up_targets(start))
            pool.append(("upgrade", start, [target]))
        elif kind == "downgrade":
            start = rng.choice(heads * 2 + ids)
            target = rng.choice(down_targets(start))
            pool.append(("downgrade", start, [target]))
        else:
            start = rng.choice(starts[:1] * 2 + heads + ids)
            pool.append(("stamp", start, rng.choice(stamp_targets(start))))
    cases = []
    seen = set()
    for i, (kind, start, targets) in enumerate(pool):
        key = (kind, start, tuple(targets))
        if key in seen:
            continue
        seen.add(key)
        argv = [kind, "--sql"] + ["%s:%s" % (start, t) for t in targets]
        cases.append(Case(argv, "sql", urls[i % len(urls)], start))
    return cases


def fixed_offline_cases(graph, urls=(SQLITE, POSTGRES)):
    """The full walk of a graph: base -> heads and each head -> base with
    every url; base -> each revision, each revision -> base and stamp
    base -> each revision with the urls in turn."""
    cases = []
    ids = graph.load_order
    for url in urls:
        cases.append(Case(["upgrade", "--sql", "base:heads"], "sql", url,
                          "base"))
        for h in graph.heads():
            cases.append(Case(["downgrade", "--sql", "%s:base" % h], "sql",
                              url, h))
    for i, rid in enumerate(ids):
        url = urls[i % len(urls)]
        cases.append(Case(["upgrade", "--sql", "base:%s" % rid], "sql",
                          url, "base"))
        cases.append(Case(["downgrade", "--sql", "%s:base" % rid],
                          "sql", url, rid))
        cases.append(Case(["stamp", "--sql", "base:%s" % rid], "sql",
                          urls[(i + 1) % len(urls)], "base"))
    return cases


def explicit_offline_cases(spec, url=SQLITE):
    """Cases written out as "upgrade start:target" (several targets for
    stamp), for the exact forms Alembic's tests use."""
    cases = []
    for line in spec:
        words = line.split()
        pre = []
        if words[0] == "-n":
            pre, words = words[:2], words[2:]
        kind, targets = words[0], words[1:]
        start = targets[0].split(":")[0]
        cases.append(Case(pre + [kind, "--sql"] + targets, "sql", url,
                          start))
    return cases


def usage_error_cases():
    """Command-level errors with the same text in both tools."""
    return [
        Case(["upgrade", "base:heads"], "sql", SQLITE, "base"),
        Case(["downgrade", "--sql", "base"], "sql", SQLITE, "base"),
        Case(["stamp", "--sql", "--purge", "heads"], "sql", SQLITE, "base"),
        Case(["history", "--rev-range=heads"]),
    ]


# ---------------------------------------------------------------------------
# running

class Outcome:
    __slots__ = ("rc", "out", "error", "warnings", "stderr")

    def __init__(self, rc, out, error, warns, stderr=""):
        self.rc = rc
        self.out = out
        self.error = error
        self.warnings = warns
        self.stderr = stderr


SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "runtime error:",
                   "UndefinedBehaviorSanitizer")


def retort_binary():
    b = os.environ.get("RETORT")
    if b:
        return os.path.abspath(b)
    src = os.environ.get("RETORT_SOURCE_DIR",
                         os.path.dirname(os.path.dirname(HERE)))
    for d in ("build/conf", "build/test-asan", "build/dev", "build/release"):
        p = os.path.join(src, d, "cli", "retort")
        if os.path.exists(p):
            return p
    sys.exit("conformance: set RETORT to the retort binary")


def run_retort(binary, project, case):
    argv = [binary, "-c", project.retort_ini]
    if case.url:
        argv += ["--url", case.url]
    argv += case.argv
    env = dict(os.environ)
    env["NO_COLOR"] = "1"
    env.pop("DATABASE_URL", None)
    env.pop("RETORT_CONFIG", None)
    p = subprocess.run(argv, cwd=project.dir, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    out = p.stdout.decode("utf-8", "replace")
    err = p.stderr.decode("utf-8", "replace")
    error = None
    warns = []
    for line in err.splitlines():
        if line.startswith("retort: warning: "):
            warns.append(line[len("retort: warning: "):])
        elif line.startswith("retort: ") and error is None:
            error = line[len("retort: "):]
    return Outcome(p.returncode, out, error, warns, err)


# ---------------------------------------------------------------------------
# normalising and comparing

_NOT_LABELS = {"head", "effective head", "current", "branchpoint",
               "mergepoint"}


def _sort_group(m):
    items = m.group(1).split(", ")
    if len(items) == 1 or any(i in _NOT_LABELS for i in items):
        return m.group(0)
    return "(" + ", ".join(sorted(items)) + ")"


def normalize_text(text):
    """Graph query output: paths by stem, set-ordered lists sorted."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("Path: "):
            line = "Path: " + os.path.splitext(os.path.basename(line[6:]))[0]
        elif line.startswith(("Branches into: ", "Branch names: ")):
            k, v = line.split(": ", 1)
            line = k + ": " + ", ".join(sorted(v.split(", ")))
        else:
            line = re.sub(r"\(([^()]*)\)", _sort_group, line)
        lines.append(line.rstrip())
    # children of a branch point ("<spaces> -> child") come from a set
    out = []
    run = []
    for line in lines:
        if re.match(r"^ +-> ", line):
            run.append(line)
            continue
        out.extend(sorted(run))
        run = []
        out.append(line)
    out.extend(sorted(run))
    return "\n".join(out)


_STEP_RE = re.compile(r"^-- Running (\w+) (.*)->(.*)$")
_INSERT_RE = re.compile(
    r"^INSERT INTO alembic_version \(version_num\) VALUES \('([^']*)'\)"
    r"(?: RETURNING alembic_version\.version_num)?;$")
_UPDATE_RE = re.compile(
    r"^UPDATE alembic_version SET version_num='([^']*)' WHERE "
    r"alembic_version\.version_num = '([^']*)';$")
_DELETE_RE = re.compile(
    r"^DELETE FROM alembic_version WHERE alembic_version\.version_num = "
    r"'([^']*)';$")


def parse_sql(text):
    """Offline output as items: ('BEGIN',), ('COMMIT',), ('CREATE',),
    ('DROP',), ('STEP', kind, from, to), ('INSERT', x), ('UPDATE', old,
    new), ('DELETE', x), ('SQL', text)."""
    items = []
    for chunk in re.split(r"\n\s*\n", text):
        c = chunk.strip()
        if not c:
            continue
        m = _STEP_RE.match(c)
        if m:
            fr = tuple(x for x in m.group(2).strip().split(", ") if x)
            to = tuple(x for x in m.group(3).strip().split(", ") if x)
            items.append(("STEP", m.group(1), fr, to))
            continue
        if c == "BEGIN;":
            items.append(("BEGIN",))
        elif c == "COMMIT;":
            items.append(("COMMIT",))
        elif c.startswith("CREATE TABLE alembic_version"):
            flat = re.sub(r"\s+", " ", c.replace("VARCHAR(32)",
                                                  "VARCHAR(255)"))
            flat = flat.replace("( ", "(").replace(" )", ")")
            items.append(("CREATE", flat))
        elif c == "DROP TABLE alembic_version;":
            items.append(("DROP",))
        elif _INSERT_RE.match(c):
            items.append(("INSERT", _INSERT_RE.match(c).group(1)))
        elif _UPDATE_RE.match(c):
            m = _UPDATE_RE.match(c)
            items.append(("UPDATE", m.group(2), m.group(1)))
        elif _DELETE_RE.match(c):
            items.append(("DELETE", _DELETE_RE.match(c).group(1)))
        else:
            items.append(("SQL", c))
    return items


class Simulated:
    __slots__ = ("steps", "rows", "skeleton", "problems")


def simulate(items, start_rows, drop_tx=False, drop_final_drop=False):
    """Apply the version-table statements to a set of rows. Returns the
    steps, the row set after each step, the rest of the output (skeleton:
    transactions, CREATE TABLE, step comments, migration SQL) and any
    statement that names a missing row or inserts an existing one."""
    s = Simulated()
    s.steps, s.rows, s.skeleton, s.problems = [], [], [], []
    rows = set(start_rows)
    if drop_final_drop:
        last_step = max([i for i, it in enumerate(items) if it[0] == "STEP"],
                        default=-1)
        items = [it for i, it in enumerate(items)
                 if not (it == ("DROP",) and i > last_step)]
    for it in items:
        k = it[0]
        if k == "STEP":
            if s.steps:
                s.rows.append(frozenset(rows))
            s.steps.append(it[1:])
            s.skeleton.append(it)
        elif k == "INSERT":
            if it[1] in rows:
                s.problems.append("INSERT of existing row %r" % it[1])
            rows.add(it[1])
        elif k == "UPDATE":
            if it[1] not in rows:
                s.problems.append("UPDATE of missing row %r" % it[1])
            if it[2] in rows:
                s.problems.append("UPDATE to existing row %r" % it[2])
            rows.discard(it[1])
            rows.add(it[2])
        elif k == "DELETE":
            if it[1] not in rows:
                s.problems.append("DELETE of missing row %r" % it[1])
            rows.discard(it[1])
        elif k in ("BEGIN", "COMMIT") and drop_tx:
            continue
        elif k == "SQL" and "-- Running" in it[1]:
            s.problems.append("step comment not understood: %r" % it[1])
            s.skeleton.append(it)
        else:
            s.skeleton.append(it)
    if s.steps:
        s.rows.append(frozenset(rows))
    return s


def _fmt_items(items):
    out = []
    for it in items:
        if it[0] == "STEP":
            out.append("-- Running %s %s -> %s" % (
                it[1], ", ".join(it[2]), ", ".join(it[3])))
        else:
            out.append(" ".join(str(x) for x in it))
    return out


def _fmt_steps(sim):
    out = []
    for step, rows in zip(sim.steps, sim.rows):
        out.append("%s %s -> %s    rows: %s" % (
            step[0], ", ".join(step[1]), ", ".join(step[2]),
            ", ".join(sorted(rows)) or "(none)"))
    return out


# Messages whose order of names comes from Python set iteration in Alembic
# (_map_branch_labels walks a set of revisions): either order is accepted.
_SET_ORDER_MESSAGES = [
    (re.compile(r"Branch name '(.*)' in revision (\S+) already used by "
                r"revision (\S+)$"),
     lambda m: "Branch name '%s' in revision %s already used by revision %s"
     % (m.group(1), m.group(3), m.group(2))),
]


def message_matches(alembic_msg, retort_msg):
    """retort's message must contain Alembic's (retort may prefix a file
    and line, or add a detail in parentheses)."""
    if alembic_msg in retort_msg:
        return True
    for rx, swap in _SET_ORDER_MESSAGES:
        m = rx.match(alembic_msg)
        if m and swap(m) in retort_msg:
            return True
    return False


def diff(a_lines, b_lines, a_name="alembic", b_name="retort"):
    return "\n".join(difflib.unified_diff(a_lines, b_lines, a_name, b_name,
                                          lineterm="", n=3))


class Suite:
    """Runs cases against both tools, collects failures and counts."""

    def __init__(self, name):
        ensure_debian_python()
        global oracle
        import alembic_oracle as oracle_mod
        oracle = oracle_mod
        self.oracle = oracle_mod
        self.name = name
        self.binary = retort_binary()
        self.jobs = max(1, min(2, os.cpu_count() or 1))
        self.pool = concurrent.futures.ThreadPoolExecutor(self.jobs)
        self.tmp = tempfile.mkdtemp(prefix="retort-conformance-")
        self.keep = bool(os.environ.get("RETORT_CONFORMANCE_KEEP"))
        self.verbose = bool(os.environ.get("RETORT_CONFORMANCE_VERBOSE"))
        self.failures = []
        self.counts = collections.Counter()
        self.skips = collections.Counter()
        self.skip_examples = {}
        self.notes = collections.Counter()
        self.note_examples = {}
        self.graphs = 0
        self.t0 = time.time()
        self._failed_graphs = set()
        self.alembic_time = 0.0
        self.wait_time = 0.0

    # -- projects --
    def project(self, graph):
        root = os.path.join(self.tmp, graph.name)
        self.graphs += 1
        return Project(graph, root)

    # -- running --
    def run(self, project, cases):
        """Run every case in both tools and compare."""
        futures = [self.pool.submit(run_retort, self.binary, project, c)
                   for c in cases]
        t = time.time()
        alembic_results = [self._alembic(project, c) for c in cases]
        self.alembic_time += time.time() - t
        t = time.time()
        for case, fut, a in zip(cases, futures, alembic_results):
            r = fut.result()
        self.wait_time += time.time() - t
        for case, fut, a in zip(cases, futures, alembic_results):
            r = fut.result()
            self._check(project, case, a, r)
        self.oracle.forget(project.alembic_ini)
        if not self.keep and project.graph.name not in self._failed_graphs:
            shutil.rmtree(project.dir, ignore_errors=True)

    def _alembic(self, project, case):
        res = self.oracle.run(project.alembic_ini, case.argv, case.url)
        return Outcome(res.rc, res.out, res.error, res.warnings)

    def start_rows(self, project, case):
        if not case.start or case.start == "base":
            return set()
        try:
            sd = self.oracle._script_base.ScriptDirectory.from_config(
                self.oracle.Config(project.alembic_ini))
            rev = sd.get_revision(case.start)
            return {rev.revision} if rev is not None else set()
        except Exception:
            return set()

    # -- comparing --
    def fail(self, project, case, what, detail=""):
        self._failed_graphs.add(project.graph.name)
        self.failures.append((project, case, what, detail))

    def skip(self, reason, project, case):
        if self.verbose:
            print("SKIP [%s] %s: %s" % (project.graph.name, case.title(),
                                        reason))
        self.skips[reason] += 1
        self.skip_examples.setdefault(
            reason, "[%s] %s" % (project.graph.name, case.title()))

    def note(self, reason, project, case, detail):
        """A case that passes but is worth counting in the summary."""
        if self.verbose:
            print("NOTE [%s] %s: %s: %s" % (project.graph.name, case.title(),
                                            reason, detail))
        self.notes[reason] += 1
        self.note_examples.setdefault(
            reason, "[%s] %s: %s" % (project.graph.name, case.title(),
                                     detail))

    def _check(self, project, case, a, r):
        self.counts[case.kind] += 1
        if any(m in r.stderr for m in SANITIZER_MARKS):
            self.fail(project, case, "sanitizer report from retort",
                      r.stderr)
            return
        if a.rc == -1:
            # Alembic crashed with a traceback: an Alembic bug
            if r.rc != 0:
                self.note("Alembic internal error (%s), retort fails too"
                          % a.error.split(":")[0], project, case,
                          "alembic: %s / retort: %s" % (a.error, r.error))
                return
            self.skip("Alembic internal error (%s); retort succeeds"
                      % a.error.split(":")[0], project, case)
            if case.kind == "sql":
                sim = simulate(parse_sql(r.out), self.start_rows(project,
                                                                 case))
                if sim.problems:
                    self.fail(project, case, "retort's plan touches rows "
                              "that are not there", "\n".join(sim.problems))
            return
        if a.rc != 0:
            if r.rc == 0:
                self.fail(project, case, "Alembic fails, retort succeeds",
                          "alembic: FAILED: %s\nretort stdout:\n%s" % (
                              a.error, r.out))
                return
            self.counts[case.kind + " both fail"] += 1
            if not r.error or not message_matches(a.error, r.error):
                self.fail(project, case, "error messages differ",
                          "alembic: FAILED: %s\nretort:  %s" % (
                              a.error, r.error))
            return
        if r.rc != 0:
            self.fail(project, case, "retort fails, Alembic succeeds",
                      "retort: %s\nalembic stdout:\n%s" % (r.error, a.out))
            return
        self.counts[case.kind + " both succeed"] += 1
        for w in a.warnings:
            if not any(w in rw for rw in r.warnings):
                self.fail(project, case, "Alembic warns, retort does not",
                          "alembic warning: %s\nretort stderr:\n%s" % (
                              w, r.stderr))
        if case.kind == "text":
            na, nr = normalize_text(a.out), normalize_text(r.out)
            if na != nr:
                self.fail(project, case, "outputs differ",
                          diff(na.split("\n"), nr.split("\n")))
            return
        self._check_sql(project, case, a, r)

    def _check_sql(self, project, case, a, r):
        start = self.start_rows(project, case)
        sqlite = case.url.startswith("sqlite")
        sa = simulate(parse_sql(a.out), start, drop_final_drop=True)
        sr = simulate(parse_sql(r.out), start, drop_tx=sqlite)
        if sa.problems:
            self.fail(project, case, "Alembic's SQL output not understood "
                      "(a bug of this suite)", "\n".join(sa.problems))
        if sr.problems:
            self.fail(project, case, "retort's SQL touches rows that are "
                      "not there", "\n".join(sr.problems))
        if sa.steps != sr.steps or sa.rows != sr.rows:
            self.fail(project, case, "steps or version rows differ",
                      diff(_fmt_steps(sa), _fmt_steps(sr)))
            return
        if sa.skeleton != sr.skeleton:
            self.fail(project, case, "SQL output differs (version-table "
                      "statements left out)",
                      diff(_fmt_items(sa.skeleton), _fmt_items(sr.skeleton)))

    # -- reporting --
    def finish(self):
        self.pool.shutdown()
        elapsed = time.time() - self.t0
        shown = set()
        for project, case, what, detail in self.failures[:60]:
            if project.graph.name not in shown:
                shown.add(project.graph.name)
                print("=" * 72)
                print(project.graph.describe())
                print("project kept in %s" % project.dir)
            print("-" * 72)
            print("FAIL [%s] %s: %s" % (project.graph.name, case.title(),
                                        what))
            if detail:
                print(detail)
        if len(self.failures) > 60:
            print("... and %d more failures" % (len(self.failures) - 60))
        print("=" * 72)
        print("%s (Alembic %s): %d graphs, %d comparisons (%s), "
              "%d failures, %.1fs" % (
            self.name, self.oracle.ALEMBIC_VERSION, self.graphs,
            self.counts["text"] + self.counts["sql"],
            ", ".join("%s %d" % kv for kv in sorted(self.counts.items())),
            len(self.failures), elapsed))
        print("  time in Alembic %.1fs, waiting for retort after it %.1fs"
              % (self.alembic_time, self.wait_time))
        for reason, n in sorted(self.notes.items()):
            print("  passed %d: %s (e.g. %s)" % (
                n, reason, self.note_examples[reason]))
        for reason, n in sorted(self.skips.items()):
            print("  skipped %d: %s (e.g. %s)" % (
                n, reason, self.skip_examples[reason]))
        if not self.failures and not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return 1 if self.failures else 0


oracle = None
