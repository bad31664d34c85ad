# SPDX-License-Identifier: MIT
"""python3 -m retort_sqlalchemy MODULE:ATTR [--dialect D]: print the DDL.

Exit status 0; 2 when the object cannot be loaded or the dialect is
unknown (one line on stderr, "retort_sqlalchemy: ..."). The dialect
defaults to $RETORT_DIALECT, else sqlite.
"""
import argparse
import os
import sys

from . import ddl, load_metadata


def main(argv=None):
    ap = argparse.ArgumentParser(
        prog="python3 -m retort_sqlalchemy",
        description="Print a SQLAlchemy MetaData as DDL (CREATE statements "
        "in dependency order), for retort.ini's schema_command.")
    ap.add_argument("object", help="MODULE:ATTRIBUTE, e.g. "
                    "app.models:Base.metadata (a MetaData, or anything "
                    "with .metadata)")
    ap.add_argument("--dialect", default=os.environ.get("RETORT_DIALECT")
                    or "sqlite", help="sqlite, postgresql or mysql "
                    "(default: $RETORT_DIALECT, else sqlite)")
    a = ap.parse_args(argv)
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        statements = ddl(load_metadata(a.object), a.dialect)
    except (ImportError, ValueError) as e:
        sys.stderr.write("retort_sqlalchemy: %s\n" % e)
        return 2
    for s in statements:
        sys.stdout.write(s + ";\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
