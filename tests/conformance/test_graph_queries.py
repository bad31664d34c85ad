#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Graph queries, retort against Alembic 1.8.1 on the hand-made graphs of
graphgen.named_graphs() (Alembic's own test graphs: linear, branched,
diamond, labelled branches, multiple bases, cross-branch dependencies,
twin merges, ...) and on graphs that must fail to load (cycles,
self-loops, duplicate labels).

Compared: heads, heads --resolve-dependencies, branches, history (also
-v), history --rev-range for many ranges (absolute, partial, labelled,
relative), show for ids, prefixes, labels, label@head/base, head(s),
base and unknown ids. Outputs are normalised only for set order (label
and child lists) and paths (see graphgen.py); errors must fail in both
tools, with Alembic's message contained in retort's.

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


# Ranges and identifiers worth a fixed place, on the graphs of those names.
EXTRA = {
    "lonely_base": ["history --rev-range=-1:b0", "history --rev-range=-1:",
                    "history --rev-range=-2:", "show -1", "show -2"],
    "history_non_convex": ["history --rev-range=l0:heads",
                           "history --rev-range=l0:h0",
                           "history --rev-range=c0:heads"],
    "branched": ["history --rev-range=c1branch@base:c1branch@head",
                 "history --rev-range=c1branch@-1:", "show c1branch@-1",
                 "show c2branch@d1", "show c1branch@d1",
                 "history --rev-range=c1:c1branch@+1"],
    "labeled": ["show ebranch@d", "show ebranch@ebranch", "show e@base",
                "show c@base", "show ebranch@some", "show abranch@some",
                "show ebranch@b", "show e@d", "show someoth@d",
                "show nosuch@head", "show ebranch@-2", "show ebranch@+2",
                "history --rev-range=ebranch@base:ebranch@head",
                "history --rev-range=ebranch@-5:",
                "history --rev-range=ebranch@-5:f",
                "history --rev-range=ebranch@-1:"],
    "prefixes": ["show abcd", "show abc", "show abce", "show abcdl",
                 "show b00", "show b00c"],
}


def main():
    suite = graphgen.Suite("graph queries")
    rng = random.Random(20240101)
    for graph in graphgen.named_graphs():
        project = suite.project(graph)
        cases = graphgen.graph_query_cases(graph, rng, nshow=5, nranges=6,
                                           verbose=True)
        cases += [graphgen.Case(line.split())
                  for line in EXTRA.get(graph.name, [])]
        suite.run(project, cases)
    for graph in graphgen.broken_graphs():
        project = suite.project(graph)
        suite.run(project, graphgen.graph_query_cases(graph, rng))
    return suite.finish()


if __name__ == "__main__":
    sys.exit(main())
