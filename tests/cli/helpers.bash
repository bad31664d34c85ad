# helpers.bash: shared setup for the retort bats tests.
#
# Every test runs in a fresh temporary project (cwd) with:
#   retort.ini            [retort] script_location + a sqlite url
#   migrations/versions/  empty
# RETORT is the binary under test (CTest sets it; default: the bats build).

: "${RETORT_SOURCE_DIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${RETORT:=$RETORT_SOURCE_DIR/build/bats/cli/retort}"
export RETORT RETORT_SOURCE_DIR
# keep the environment from leaking into the tests
unset RETORT_CONFIG DATABASE_URL NO_COLOR
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

PY=/usr/bin/python3

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
	[ "$up" = - ] && up=""
	[ "$down" = - ] && down=""
	mkdir -p "$dir"
	{
		echo "-- rev $id"
		echo "--"
		echo "-- Revision ID: $id"
		echo "-- Revises: $parents"
		echo "-- Create Date: 2024-01-02 03:04:05.000000"
		echo "-- Branch Labels: $labels"
		echo "-- Depends On: $deps"
		echo
		echo "-- migrate:upgrade"
		[ -n "$up" ] && printf '%s\n' "$up"
		echo
		echo "-- migrate:downgrade"
		[ -n "$down" ] && printf '%s\n' "$down"
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

# A checksum of every file under the project (names, modes and contents),
# to show that a failing command changed nothing.
tree_sum() {
	(find . -print0 | LC_ALL=C sort -z | xargs -0 stat -c '%n %a %s' ;
	 find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat 2>/dev/null) |
		sha256sum | cut -d' ' -f1
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

# Report output on failure (bats shows it for failing tests).
show() {
	echo "status=$status"
	echo "output<<"
	echo "$output"
	echo ">>"
}
