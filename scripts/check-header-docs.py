#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check-header-docs.py: every public function is documented.

For each function retort.h declares (RETORT_EXTERN), the comment right
above its declaration must be its own /** ... */ block, naming each of its
parameters with "@param NAME", its result with "@return" (unless it returns
void) and its thread-safety with "Threads:".

Usage: scripts/check-header-docs.py [HEADER]   exit 0 clean, 1 with findings.
"""
import os
import re
import sys

DECL = re.compile(r"RETORT_EXTERN\(([^)]*)\)\s*(retort_\w+)\s*\(([^)]*)\)\s*;")


def main(argv):
    header = argv[0] if argv else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "include",
        "retort.h")
    with open(header, encoding="utf-8") as fh:
        text = fh.read()
    findings, n = [], 0
    for m in DECL.finditer(text):
        n += 1
        rtype, name, params = m.group(1).strip(), m.group(2), m.group(3)
        before = text[:m.start()].rstrip()
        where = "%s:%d: %s" % (os.path.relpath(header),
                               text.count("\n", 0, m.start()) + 1, name)
        if not before.endswith("*/"):
            findings.append("%s: no comment of its own" % where)
            continue
        doc = before[before.rfind("/*"):]
        if not doc.startswith("/**"):
            findings.append("%s: its comment is not a /** block" % where)
            continue
        names = []
        if params.strip() != "void":
            for p in params.split(","):
                ident = re.findall(r"\w+", p)
                if ident:
                    names.append(ident[-1])
        for pname in names:
            if not re.search(r"@param\s+%s\b" % re.escape(pname), doc):
                findings.append("%s: parameter '%s' not described (@param)"
                                % (where, pname))
        if rtype != "void" and "@return" not in doc:
            findings.append("%s: result not described (@return)" % where)
        if "Threads:" not in doc:
            findings.append("%s: thread-safety not said (Threads:)" % where)
    for f in findings:
        print(f)
    print("check-header-docs: %d function(s), %d finding(s)"
          % (n, len(findings)))
    return 1 if findings or not n else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
