#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-includes.py: keep src/ a one-way pipeline.

Every file under src/ belongs to a stage, the folder it sits in. A file may
include headers of its own stage, of the stages before it in STAGES, and the
public header retort.h; never of a later stage, and never with "../" (the
include path is src/, so every internal include reads "stage/file.h").
A driver (run/drivers/) may use run/driver.h but nothing else of run/.
Header include cycles are reported too, and so is any use of a public
retort_*() function outside api/: the stages below it never call up into
the public API (comments are not code and are skipped). The list below is the one that
CONTRIBUTING.md's map shows; change both together.

Usage: scripts/check-includes.py [SRC_DIR]   exit 0 clean, 1 with findings.
"""
import os
import re
import sys

STAGES = ["util", "sql", "script", "graph", "lint", "project", "plan", "run",
          "schema", "verify", "api"]
PUBLIC = {"retort.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
PUBLIC_CALL = re.compile(r"\bretort_[a-z0-9_]+\s*\(")
COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)


def stage_of(rel):
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] not in STAGES:
        return None
    if parts[0] == "run" and parts[1] == "drivers":
        return "run/drivers"
    return parts[0]


def rank(stage):
    return STAGES.index(stage.split("/")[0])


def allowed(src_stage, target):
    """None when src_stage may include target, else the reason."""
    if target in PUBLIC:
        return None
    if target.startswith("../") or "/../" in target:
        return "includes with '../' (the include path is src/)"
    tstage = stage_of(target)
    if tstage is None:
        return "includes '%s', which is not in a stage folder" % target
    if src_stage == "run/drivers" and tstage == "run":
        if target == "run/driver.h":
            return None
        return "a driver may use only run/driver.h of run/"
    if rank(tstage) > rank(src_stage):
        return "stage %s includes the later stage %s" % (src_stage, tstage)
    return None


def scan(src):
    files, calls = {}, {}
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h")):
                path = os.path.join(root, n)
                rel = os.path.relpath(path, src).replace(os.sep, "/")
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                files[rel] = INCLUDE.findall(text)
                code = COMMENT.sub("", text)
                calls[rel] = sorted(set(m.group(0).rstrip("( \t")
                                        for m in PUBLIC_CALL.finditer(code)))
    return files, calls


def cycles(files):
    """Header cycles, each once, as lists of names."""
    found, state = [], {}

    def visit(h, stack):
        state[h] = 1
        stack.append(h)
        for t in files.get(h, []):
            if t not in files or not t.endswith(".h"):
                continue
            if state.get(t) == 1:
                found.append(stack[stack.index(t):] + [t])
            elif not state.get(t):
                visit(t, stack)
        stack.pop()
        state[h] = 2

    for h in sorted(files):
        if h.endswith(".h") and not state.get(h):
            visit(h, [])
    return found


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src")
    files, calls = scan(src)
    bad = []
    for rel in sorted(files):
        st = stage_of(rel)
        if st is None:
            bad.append("src/%s: not in a stage folder (%s)" %
                       (rel, ", ".join(STAGES)))
            continue
        for inc in files[rel]:
            why = allowed(st, inc)
            if why is None and inc not in PUBLIC and inc not in files:
                why = "includes '%s', which does not exist" % inc
            if why:
                bad.append("src/%s: %s (#include \"%s\")" % (rel, why, inc))
        if st != "api" and calls[rel]:
            bad.append("src/%s: stage %s uses the public API (%s); only "
                       "api/ implements or calls retort_*()" %
                       (rel, st, ", ".join(calls[rel])))
    for c in cycles(files):
        bad.append("include cycle: " + " -> ".join(c))
    for line in bad:
        print(line)
    print("%d files checked, %d findings" % (len(files), len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
