#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Offline SQL (`upgrade/downgrade/stamp --sql`), retort against Alembic
1.8.1 on the hand-made graphs of graphgen.named_graphs().

For every graph: the full walk (base -> heads, each head -> base, base ->
each revision, each revision -> base, stamp base -> each revision), then
random (start, target) pairs drawn from absolute ids, unique prefixes,
head/heads/base, labels, label@head/base, and relative forms (+1, -1,
head-1, label@+1, rev+2, base+2, ...), with SQLite and PostgreSQL URLs.

Compared, per command: that both succeed or both fail (Alembic's message
contained in retort's); the steps (the "-- Running upgrade a -> b" lines,
in order); the set of version rows after each step (the INSERT, UPDATE and
DELETE statements applied to a set, since at a merge Alembic picks rows in
Python set order); and the rest of the output (BEGIN/COMMIT, CREATE TABLE
of the version table, the migration SQL). Known, intended differences are
listed in graphgen.py's header: BEGIN/COMMIT for SQLite, no DROP TABLE at
the end of a downgrade to base, VARCHAR(255).

Alembic runs in-process through alembic_oracle.py, which makes 1.8.1
list version files sorted by name (as retort and Alembic >= 1.19 do).
Run by CTest with RETORT=<binary>; needs /usr/bin/python3 (Debian's
python3-alembic).
"""
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graphgen  # noqa: E402


# The forms Alembic's tests/test_version_traversal.py exercises, on the
# graphs of the same names.
EXPLICIT = {
    "linear": [
        "upgrade base:+1", "upgrade base:+2", "upgrade base:+3",
        "upgrade ae1027a6acf:+2", "upgrade base:ae1027a6acf+2",
        "upgrade base:3f2a9c1b7e4d-2", "upgrade base:-2", "upgrade base:+5",
        "upgrade 27c6a30d7c24:+9", "downgrade 53fffde5ad5:-1",
        "downgrade 53fffde5ad5:-3", "downgrade 53fffde5ad5:1975ea83b712+2",
        "downgrade 53fffde5ad5:27c6a30d7c24-2", "downgrade 27c6a30d7c24:-5",
        "downgrade 27c6a30d7c24:27c6a30d7c24",
        "downgrade 27c6a30d7c24:53fffde5ad5", "downgrade ae10:base",
        "upgrade ae10:53ff", "stamp 53fffde5ad5:base",
        "stamp base:27c6", "upgrade 1975:nosuch", "upgrade base:ae1",
    ],
    "branched": [
        "upgrade base:c2branch@head-1", "upgrade base:base+2",
        "upgrade base:c2branch@base+2", "upgrade base:c2branch@base+3",
        "upgrade base:c1branch@base+1", "upgrade b:c2branch@+1",
        "upgrade d1:c2branch@+1", "upgrade d1:c2branch@+2",
        "upgrade c1:c1branch@+1", "upgrade b:+1", "upgrade a:heads",
        "upgrade b:c1branch@head", "upgrade c1:c2branch@head",
        "downgrade d2:d2-1", "downgrade d2:c1branch@-1",
        "downgrade d1:c1branch@-1", "downgrade d1:c1branch@head-1",
        "downgrade d1:c1branch@base", "downgrade d1:c2branch@base",
        "downgrade d1:c1branch@c1", "downgrade d1:c1@c1",
        "downgrade d1:c2branch@-1", "downgrade d1:d1", "downgrade d2:c1",
        "downgrade c1:-1", "downgrade c1:-2", "downgrade c1:-3",
        "downgrade base:-1", "upgrade base:base+1", "upgrade base:+1",
        "stamp d1:c2", "stamp d1:d2", "stamp d1:c1branch@head",
        "stamp base:c1branch@head c2branch@head", "stamp base:d1 d2",
        "stamp d1:c1branch@base", "stamp d1:c2branch@base",
        "stamp d1:base", "stamp d1:a", "stamp b:d1 d2", "stamp a:heads",
    ],
    "forest": [
        "upgrade base:heads", "stamp base:heads", "stamp a1:heads",
        "stamp a2:heads", "downgrade a2:base", "upgrade a1:b1",
    ],
    "merged_path": [
        "stamp f:c1", "stamp c1:f", "stamp d1:e", "stamp e:d1",
        "stamp d2:f", "upgrade c1:f", "upgrade d2:e", "downgrade f:c1",
        "downgrade f:d2", "downgrade e:b", "downgrade f:e-1",
    ],
    "twin_merge": [
        "upgrade base:heads", "upgrade b1:c1", "upgrade b2:c2",
        "upgrade c1:d2", "downgrade d1:b1", "downgrade d2:b2",
        "downgrade d1:a", "downgrade c2:base", "stamp d1:heads",
    ],
    "not_quite_twin_merge": [
        "upgrade b1:d", "upgrade c1:d", "upgrade c2:d",
        "downgrade d:c1", "downgrade d:b2", "downgrade d:b3",
        "downgrade d:-1", "upgrade b2:c2",
    ],
    "branch_from_mergepoint": [
        "upgrade c1:e1", "upgrade c2:e2", "upgrade d1:f1", "upgrade d2:f1",
        "downgrade f1:c1", "downgrade f1:c2", "downgrade e2:d1",
        "downgrade f1:d1", "downgrade e2:b2",
    ],
    "branch_from_3way_mergepoint": [
        "upgrade c1:e1", "upgrade b2:e2", "downgrade e1:c1",
        "downgrade e2:c3", "downgrade e1:b2", "downgrade e2:a3",
    ],
    "depends_on_branch_one": [
        "upgrade base:d1", "upgrade c1:d1", "downgrade d1:c2",
        "downgrade d1:b2", "downgrade d1:lib@base", "downgrade d2:lib@base",
        "stamp c1:d1", "stamp d1:c2", "upgrade base:lib@head",
    ],
    "depends_on_kaboom": [
        "upgrade base:d1", "upgrade c1:d1", "downgrade d1:c1",
        "downgrade d1:b1", "downgrade d1:a", "downgrade d1:c2",
        "stamp c1:d1", "stamp d1:c1",
    ],
    "criss_cross": [
        "upgrade base:c1", "upgrade base:c2", "upgrade a1:heads",
        "downgrade c1:a1", "downgrade c2:a2", "downgrade c1:b2",
        "downgrade c2:base",
    ],
    "depends_on_own_downrev": [
        "upgrade base:d1", "downgrade d1:b1", "downgrade d1:a1",
        "upgrade b1:d1",
    ],
    "normalized_deps": [
        "upgrade base:b5", "upgrade a2:b5", "upgrade b3:b5",
        "downgrade b5:a2", "downgrade b5:b2", "downgrade b5:a3",
        "downgrade b5:base",
    ],
    "depends_on_mergepoint_downrev": [
        "upgrade base:e", "upgrade b:e", "downgrade e:b", "downgrade e:c",
        "downgrade e:a",
    ],
    "cross_dependency_one": [
        "upgrade base:b_2@head", "upgrade base:b_3@head",
        "upgrade base:b_1@head", "downgrade b3:b_3@base",
        "downgrade b3:b_2@base", "downgrade b3:b_1@base",
        "upgrade base:b_2@+1", "upgrade base:b_3@+2",
    ],
    "cross_dependency_two": [
        "upgrade base:b_2@head", "upgrade base:b_3@head",
        "downgrade d2:b_3@base", "downgrade d2:b_1@base",
        "downgrade d2:b_2@base", "upgrade base:heads",
    ],
    "cross_dependency_three": [
        "upgrade base:b_3@head", "downgrade b3:b_1@base",
        "downgrade b3:b_2@base", "downgrade c2:b_1@base",
    ],
    "effective_head": [
        "upgrade base:heads", "downgrade y3:xbranch@-1",
        "downgrade y3:ybranch@-1", "downgrade y3:x1",
        "upgrade x2:ybranch@+1", "stamp base:xbranch@head",
    ],
    "sequential": [
        "upgrade base:+3", "upgrade 002:feature@head", "upgrade 004:+2",
        "downgrade 008:002", "downgrade 010:feature@base",
        "downgrade 010:-1", "upgrade 001:008-1", "stamp 007:008",
    ],
    "long_chain": [
        "upgrade base:+50", "upgrade r010:+49", "upgrade r010:+50",
        "downgrade r059:-59", "downgrade r059:-60", "downgrade r059:r001+1",
        "upgrade r020:r030-5",
    ],
}


def main():
    suite = graphgen.Suite("offline SQL")
    rng = random.Random(19750101)
    for graph in graphgen.named_graphs():
        project = suite.project(graph)
        cases = graphgen.fixed_offline_cases(graph)
        if graph.name == "linear":
            cases += graphgen.usage_error_cases()
        cases += graphgen.explicit_offline_cases(EXPLICIT.get(graph.name, []))
        cases += graphgen.explicit_offline_cases(EXPLICIT.get(graph.name, []),
                                                 graphgen.POSTGRES)[:5]
        cases += graphgen.offline_cases(graph, rng, 30)
        # transaction_per_migration = false in both (-n whole)
        cases += graphgen.explicit_offline_cases([
            "-n whole upgrade base:heads", "-n whole downgrade %s:base"
            % graph.heads()[0], "-n whole stamp base:heads"],
            graphgen.POSTGRES)
        suite.run(project, cases)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
