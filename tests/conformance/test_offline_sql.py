#!/usr/bin/python3
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

Run by CTest with RETORT=<binary>; needs /usr/bin/python3 (Debian's
python3-alembic).
"""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graphgen  # noqa: E402


def main():
    suite = graphgen.Suite("offline SQL")
    rng = random.Random(19750101)
    for graph in graphgen.named_graphs():
        project = suite.project(graph)
        cases = graphgen.fixed_offline_cases(graph)
        if graph.name == "linear":
            cases += graphgen.usage_error_cases()
        cases += graphgen.offline_cases(graph, rng, 60)
        suite.run(project, cases)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
