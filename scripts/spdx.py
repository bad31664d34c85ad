#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""spdx.py: every source file of retort carries an SPDX licence line.

A source file is a .c, .h, .h.in, .sh, .py, .bats, .bash, .cmake or
.cmake.in file, a CMakeLists.txt or a Makefile, anywhere in the tree except build
output (build/, obj-*/, debian/ build folders) and data (fuzz corpora,
test fixtures). "Carries" means one of its first three lines holds
"SPDX-License-Identifier:"; the line added is
    /* SPDX-License-Identifier: MIT */     C and headers, first line
    # SPDX-License-Identifier: MIT         the rest, after a #! line

Usage: scripts/spdx.py [--check] [ROOT]
  without --check  add the line where it is missing; prints each file
  --check          only list the files without one; exit 1 if any
ROOT defaults to the repository (this script's parent folder).
"""
import os
import sys

LICENSE = "MIT"
EXTENSIONS = (".c", ".h", ".h.in", ".sh", ".py", ".bats", ".bash",
              ".cmake", ".cmake.in")
NAMES = ("CMakeLists.txt", "Makefile")
# folders never searched: build output, VCS data, checked-in test data
SKIP_DIRS = {".git", "build", "corpus", "data"}
SKIP_PREFIXES = ("build", "obj-", ".debhelper")


def wanted(name):
    return name in NAMES or name.endswith(EXTENSIONS)


def sources(root):
    for dirpath, dirnames, names in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS
                             and not d.startswith(SKIP_PREFIXES)
                             and not os.path.isfile(os.path.join(
                                 dirpath, d, "CMakeCache.txt")))
        rel = os.path.relpath(dirpath, root)
        # debian/<package>/ and debian/tmp/ are staged installs
        if rel.split(os.sep)[0] == "debian" and rel != "debian":
            dirnames[:] = []
            continue
        for n in sorted(names):
            if wanted(n):
                yield os.path.join(dirpath, n)


def has_spdx(lines):
    return any("SPDX-License-Identifier:" in l for l in lines[:3])


def add_spdx(path, lines):
    if path.endswith((".c", ".h", ".h.in")):
        return ["/* SPDX-License-Identifier: %s */\n" % LICENSE] + lines
    tag = "# SPDX-License-Identifier: %s\n" % LICENSE
    if lines and lines[0].startswith("#!"):
        return lines[:1] + [tag] + lines[1:]
    return [tag] + lines


def main(argv):
    check = "--check" in argv
    rest = [a for a in argv if a != "--check"]
    root = rest[0] if rest else os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..")
    missing = []
    for path in sources(root):
        with open(path, encoding="utf-8") as fh:
            lines = fh.readlines()
        if has_spdx(lines):
            continue
        rel = os.path.relpath(path, root)
        missing.append(rel)
        if not check:
            with open(path, "w", encoding="utf-8") as fh:
                fh.writelines(add_spdx(path, lines))
            print("added: %s" % rel)
    if check:
        for rel in missing:
            print("%s: no SPDX-License-Identifier line" % rel)
        print("spdx: %d file(s) without an SPDX line" % len(missing))
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
