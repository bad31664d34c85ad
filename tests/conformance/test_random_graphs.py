#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Random revision graphs, retort against Alembic 1.8.1.

210 graphs of 5..40 revisions from fixed seeds (graphgen.random_graph):
several bases, branches from any revision, merges of two or three heads,
branch labels, Depends On (on ids and on labels, now and then on an
ancestor already), ids that share prefixes, and file names that are
shuffled against creation order half of the time so that load order (the
tie-breaker) is exercised. Each graph gets the graph queries (heads, heads
--resolve-dependencies, branches, history, history ranges, show) and a
sample of offline upgrade/downgrade/stamp --sql pairs (SQLite and
PostgreSQL URLs in turn), compared as in test_graph_queries.py and
test_offline_sql.py.

RETORT_CONFORMANCE_GRAPHS=N changes the number of graphs,
RETORT_CONFORMANCE_SEED=S the first seed and RETORT_CONFORMANCE_CASES=C
the offline pairs per graph (to explore beyond the fixed set);
RETORT_CONFORMANCE_VERBOSE=1 lists every skipped case and
RETORT_CONFORMANCE_KEEP=1 keeps the generated projects.
Alembic runs in-process through alembic_oracle.py, which makes 1.8.1
list version files sorted by name (as retort and Alembic >= 1.19 do).
Run by CTest with RETORT=<binary>; needs /usr/bin/python3.
"""
import os
import random
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import graphgen  # noqa: E402


def main():
    suite = graphgen.Suite("random graphs")
    count = int(os.environ.get("RETORT_CONFORMANCE_GRAPHS", "210"))
    first = int(os.environ.get("RETORT_CONFORMANCE_SEED", "1000"))
    per_graph = int(os.environ.get("RETORT_CONFORMANCE_CASES", "12"))
    for i in range(count):
        seed = first + i
        graph = graphgen.random_graph(seed, i)
        rng = random.Random(seed * 7919)
        project = suite.project(graph)
        cases = graphgen.graph_query_cases(graph, rng, nshow=2,
                                           nranges=max(1, per_graph // 7),
                                           small=True)
        cases += graphgen.offline_cases(graph, rng, per_graph)
        suite.run(project, cases)
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
