#!/bin/sh
# SPDX-License-Identifier: MIT
# `make bench`: time retort against Alembic and against the raw database
# clients (sqlite3, psql, mariadb) on the same work, and write
# docs/benchmarks.md.
# Usage: bench/run.sh PATH/TO/retort [--quick]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
retort=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
work=$(mktemp -d /tmp/retort-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM
cc -O2 -o "$work/readall" "$here/readall.c"
"$here/../tests/pg/server.sh" run "$here/../tests/mysql/server.sh" run \
	/usr/bin/python3 "$here/bench.py" \
	--retort "$retort" --readall "$work/readall" --work "$work" \
	--out "$here/../docs/benchmarks.md" "$@"
