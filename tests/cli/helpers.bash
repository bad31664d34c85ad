# SPDX-License-Identifier: MIT
# helpers.bash: shared setup for the retort bats tests.
#
# Every test runs in a fresh temporary project (cwd) with:
#   retort.ini            [retort] script_location + a sqlite url
#   migrations/versions/  empty (no script.sql.tmpl: the built-in template)
# RETORT is the binary under test (CTest sets it; default: the bats build).
# Run it as `run "$RETORT" ...` (stdout and stderr merged in $output) or
# `run --separate-stderr "$RETORT" ...` ($output is stdout, $stderr).
# Note that bats strips leading blanks from $stderr.

: "${RETORT_SOURCE_DIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${RETORT:=$RETORT_SOURCE_DIR/build/bats/cli/retort}"
export RETORT RETORT_SOURCE_DIR
# keep the environment from leaking into the tests
unset RETORT_CONFIG DATABASE_URL NO_COLOR
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

PY=/usr/bin/python3
bats_require_minimum_version 1.5.0

setup() {
	TEST_DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/retort-bats.XXXXXX")"
	cd "$TEST_DIR" || return 1
	mkdir -p migrations/versions
	write_config
}

teardown() {
	cd / || true
	if [ -n "${TEST_DIR:-}" ] && [ -d "$TEST_DIR" ]; then
		chmod -R u+rwX "$TEST_DIR" 2>/dev/null || true
		rm -rf "$TEST_DIR"
	fi
}

# write_config [extra lines...]: a fresh retort.ini, extra lines appended to
# the [retort] section.
write_config() {
	{
		echo "[retort]"
		echo "script_location = %(here)s/migrations"
		echo "url = sqlite:///app.db"
		local l
		for l in "$@"; do
			echo "$l"
		done
	} >retort.ini
}

# rev ID PARENTS [LABELS] [DEPS] [UPGRADE-SQL] [DOWNGRADE-SQL]
# Writes $REV_DIR/ID_rev.sql (REV_DIR defaults to migrations/versions) with
# the message "rev ID". PARENTS, LABELS and DEPS are written as given
# ("a, b" for a merge). The SQL defaults to CREATE/DROP TABLE t_ID; pass
# "-" for an empty section.
rev() {
	local id="$1" parents="${2:-}" labels="${3:-}" deps="${4:-}"
	local tbl="t_${id//[^A-Za-z0-9_]/_}"
	local up="${5-CREATE TABLE $tbl (id INTEGER);}"
	local down="${6-DROP TABLE $tbl;}"
	local dir="${REV_DIR:-migrations/versions}"
	if [ "$up" = - ]; then up=""; fi
	if [ "$down" = - ]; then down=""; fi
	mkdir -p "$dir"
	{
		echo "-- rev $id"
		echo "--"
		echo "-- Revision ID: $id"
		echo "-- Revises:${parents:+ $parents}"
		echo "-- Create Date: 2024-01-02 03:04:05.000000"
		echo "-- Branch Labels:${labels:+ $labels}"
		echo "-- Depends On:${deps:+ $deps}"
		echo
		echo "-- migrate:upgrade"
		if [ -n "$up" ]; then printf '%s\n' "$up"; fi
		echo
		echo "-- migrate:downgrade"
		if [ -n "$down" ]; then printf '%s\n' "$down"; fi
	} >"$dir/${id}_rev.sql"
}

# chain ID... : a linear chain, each revising the one before.
chain() {
	local prev="" id
	for id in "$@"; do
		rev "$id" "$prev"
		prev="$id"
	done
}

# A folder with nothing in it (for init).
empty_project() {
	rm -rf retort.ini migrations
}

# The only file in DIR matching GLOB (fails when there is not exactly one).
only_file() {
	local dir="$1" glob="${2:-*}" f n=0 found=""
	for f in "$dir"/$glob; do
		[ -e "$f" ] || continue
		found="$f"
		n=$((n + 1))
	done
	[ "$n" -eq 1 ] || { echo "expected one file $dir/$glob, found $n" >&2; return 1; }
	echo "$found"
}

# Number of *.sql files in a folder.
count_sql() {
	local dir="${1:-migrations/versions}"
	find "$dir" -maxdepth 1 -name '*.sql' | wc -l | tr -d ' '
}

# A file's text with the Create Date value replaced by DATE.
without_date() {
	sed 's/^-- Create Date: .*$/-- Create Date: DATE/' "$1"
}

# A checksum of the project tree: every path with its mode, and for files
# and links their size, mtime, link target and contents. A failing command
# must leave it unchanged (directory mtimes are left out, so a file written
# and removed again does not count).
tree_sum() {
	{
		find . -type d -printf '%p %m\n' -o -printf '%p %m %s %T@ %l\n' | LC_ALL=C sort
		find . -type f -exec sha256sum {} + | LC_ALL=C sort
	} 2>/dev/null | sha256sum | cut -c1-64
}

# json EXPR: evaluate a Python expression over the JSON in $output (bound
# to `d`) and print the result.
json() {
	printf '%s' "$output" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r))' "$1"
}

# output_is <<EOF ... EOF: $output equals stdin exactly (diff shown on
# failure). output_is_trimmed: the same with trailing blanks of every line
# ignored (for Alembic's indented empty lines).
output_is() {
	diff -u - <(printf '%s\n' "$output")
}
output_is_trimmed() {
	diff -u <(sed 's/[[:space:]]*$//') <(printf '%s\n' "$output" | sed 's/[[:space:]]*$//')
}

# Report output on failure (bats shows it for failing tests).
show() {
	echo "status=$status"
	echo "output<<"
	echo "$output"
	echo ">>"
	if [ -n "${stderr+x}" ]; then
		echo "stderr<<"
		echo "$stderr"
		echo ">>"
	fi
}

# Run SQL (from stdin) with Python's sqlite3 in DB; prints the tables.
sqlite_run() {
	"$PY" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.executescript(sys.stdin.read())
print(" ".join(r[0] for r in c.execute(
    "select name from sqlite_master where type = \"table\" order by name")))
' "$1"
}
