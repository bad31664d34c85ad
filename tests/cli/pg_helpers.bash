# SPDX-License-Identifier: MIT
# pg_helpers.bash: setup for the PostgreSQL-only bats tests (pg_*.bats).
#
# The server comes from tests/pg/server.sh (`make test` runs the suite
# inside `tests/pg/server.sh run`): PGHOST (its socket folder), PGPORT,
# PGUSER=postgres and RETORT_TEST_PG_URL, a password-authenticated TCP url
# for the superuser role `retort`. Without RETORT_TEST_PG_URL every test
# skips.
#
# Every test gets:
#   TEST_DB     a fresh database, created over the socket as postgres and
#               dropped (WITH (FORCE)) in teardown
#   TEST_URL    postgresql://USER:PASSWORD@HOST:PORT/TEST_DB (the
#               credentials of RETORT_TEST_PG_URL); exported
#   MASKED_URL  TEST_URL as retort prints it (password as ***)
#   PROJ        $BATS_TEST_TMPDIR/proj, the cwd: retort.ini (url =
#               ${TEST_URL}, so the file holds no password) and
#               migrations/versions/
#
# retort always runs through rt_exec (rt, rt_bg), which keeps a copy of
# everything it writes in $OUT_DIR; teardown fails the test when any of it
# contains the password (or one of the array EXTRA_SECRETS). Roles named
# in EXTRA_ROLES are dropped after the database. rt_exec also clears PGHOST, PGPORT, PGUSER, ...
# so that retort connects with what the url says and nothing else.

bats_require_minimum_version 1.5.0

: "${RETORT_SOURCE_DIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
if [ -z "${RETORT:-}" ]; then
	for _b in pgt bats test-asan test-werror release; do
		if [ -x "$RETORT_SOURCE_DIR/build/$_b/cli/retort" ]; then
			RETORT="$RETORT_SOURCE_DIR/build/$_b/cli/retort"
			break
		fi
	done
	unset _b
fi
export RETORT RETORT_SOURCE_DIR
unset RETORT_CONFIG DATABASE_URL NO_COLOR
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# the interpreter that sees Debian's python3-alembic (the python3 on PATH
# may be another one)
PY=/usr/bin/python3
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)

# ---------------------------------------------------------------------------
# setup and teardown

pg_setup() {
	if [ -z "${RETORT_TEST_PG_URL:-}" ]; then
		skip "RETORT_TEST_PG_URL is not set: run under tests/pg/server.sh run (e.g. tests/pg/server.sh run bats $BATS_TEST_FILENAME) or make test"
	fi
	[ -x "$RETORT" ] || {
		echo "retort binary not found (RETORT=$RETORT)" >&2
		return 1
	}
	[ -n "${PGHOST:-}" ] && [ -n "${PGPORT:-}" ] || {
		echo "PGHOST/PGPORT are not set (tests/pg/server.sh exports them)" >&2
		return 1
	}
	local re='^postgres(ql)?://([^:@/]+):([^@/]*)@([^:/]+):([0-9]+)/'
	[[ "$RETORT_TEST_PG_URL" =~ $re ]] || {
		echo "RETORT_TEST_PG_URL: expected postgresql://user:password@host:port/db" >&2
		return 1
	}
	PG_USER="${BASH_REMATCH[2]}"
	PG_PASSWORD="${BASH_REMATCH[3]}"
	PG_TCP_HOST="${BASH_REMATCH[4]}"
	PG_TCP_PORT="${BASH_REMATCH[5]}"
	OUT_DIR="$BATS_TEST_TMPDIR/outputs"
	PROJ="$BATS_TEST_TMPDIR/proj"
	mkdir -p "$OUT_DIR" "$PROJ/migrations/versions"
	cd "$PROJ" || return 1
	TEST_DB="rt_t${BATS_TEST_NUMBER}_$$_${RANDOM}"
	psql_admin -d postgres -c "CREATE DATABASE $TEST_DB OWNER $PG_USER" ||
		return 1
	DB_CREATED=1
	TEST_URL="postgresql://$PG_USER:$PG_PASSWORD@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
	MASKED_URL="postgresql://$PG_USER:***@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
	export TEST_URL OUT_DIR PROJ TEST_DB
	BG_PIDS=
	PRIVATE_SERVERS=
	pg_config
}

pg_teardown() {
	local p rc=0 f
	cd / || true
	for p in ${BG_PIDS:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	BG_PIDS=
	for p in ${PRIVATE_SERVERS:-}; do
		"$RETORT_SOURCE_DIR/tests/pg/server.sh" stop "$p" >/dev/null 2>&1 || true
	done
	PRIVATE_SERVERS=
	if [ -n "${DB_CREATED:-}" ]; then
		psql_admin -d postgres -c "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" ||
			rc=1
		DB_CREATED=
	fi
	for p in ${EXTRA_ROLES:-}; do
		psql_admin -d postgres -c "DROP ROLE IF EXISTS $p" || rc=1
	done
	EXTRA_ROLES=
	# the password must never appear in anything retort printed
	if [ -n "${OUT_DIR:-}" ] && [ -d "$OUT_DIR" ]; then
		local -A seen=()
		for p in secret-pw "${PG_PASSWORD:-secret-pw}" \
			${EXTRA_SECRETS[@]+"${EXTRA_SECRETS[@]}"}; do
			[ -z "${seen[$p]:-}" ] || continue
			seen[$p]=1
			f=$(grep -rlF -- "$p" "$OUT_DIR" || true)
			if [ -n "$f" ]; then
				echo "the password '$p' appears in retort's output:"
				grep -rF -- "$p" "$OUT_DIR"
				rc=1
			fi
		done
	fi
	return $rc
}

# pg_config [extra lines...]: retort.ini with url = ${TEST_URL} and the
# extra lines in the [retort] section.
pg_config() {
	{
		echo "[retort]"
		echo "script_location = %(here)s/migrations"
		echo 'url = ${TEST_URL}'
		local l
		for l in "$@"; do
			echo "$l"
		done
	} >"$PROJ/retort.ini"
}

# psql_admin ARGS...: psql as postgres over the socket in PGHOST.
psql_admin() {
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PGHOST" -p "$PGPORT" \
		-U postgres "$@"
}

# q SQL: run SQL in the test database as postgres; rows one per line,
# columns joined by '|', no header.
q() {
	psql_admin -A -t -F '|' -d "$TEST_DB" -c "$1"
}

# tables: every table outside the system schemas as schema.table, sorted,
# space-separated.
tables() {
	q "SELECT schemaname || '.' || tablename FROM pg_catalog.pg_tables
	   WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
	   ORDER BY 1" | tr '\n' ' ' | sed 's/ $//'
}

# versions [TABLE]: the version rows, sorted, space-separated.
versions() {
	q "SELECT version_num FROM ${1:-retort_version} ORDER BY 1" |
		tr '\n' ' ' | sed 's/ $//'
}

# applied: revision:direction:status of every log row, in order.
log_rows() {
	q "SELECT revision || ':' || direction || ':' || status
	   FROM ${1:-retort_log} ORDER BY id" | tr '\n' ' ' | sed 's/ $//'
}

# db_dump: schema and data of the test database, to show nothing changed.
db_dump() {
	# (\restrict and \unrestrict carry a random key per run)
	"$PG_BIN/pg_dump" -h "$PGHOST" -p "$PGPORT" -U postgres --no-owner \
		"$TEST_DB" | grep -Ev '^\\(un)?restrict '
}

# lock_key TABLE: the advisory lock key retort takes for a version table
# (src/run/drivers/postgres.c lock_key(): FNV-1a-style 64-bit hash of
# "retort:" + schema + "." + table, the schema defaulting to public).
lock_key() {
	local s="retort:${2:-public}.$1" h=$((0xcbf29ce484222325)) i c
	for ((i = 0; i < ${#s}; i++)); do
		printf -v c '%d' "'${s:i:1}"
		h=$(((h ^ c) * 1099511628211))
	done
	echo "$h"
}

# ---------------------------------------------------------------------------
# revision files

# mkrev [-o UPGRADE-OPTIONS] [-m MESSAGE] ID PARENTS [UPGRADE-SQL [DOWNGRADE-SQL]]
# Writes migrations/versions/ID_rev.sql; the upgrade section starts on
# line 10 (the marker is line 9). The SQL defaults to CREATE/DROP TABLE
# t_ID; "-" gives an empty section.
mkrev() {
	local msg="" upopts=""
	local OPTIND=1 o
	while getopts "o:m:" o; do
		case "$o" in
		o) upopts=" $OPTARG" ;;
		m) msg="$OPTARG" ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	local id="$1" parents="${2:-}"
	local up="${3-CREATE TABLE t_$id (id INTEGER PRIMARY KEY);}"
	local down="${4-DROP TABLE t_$id;}"
	if [ "$up" = - ]; then up=""; fi
	if [ "$down" = - ]; then down=""; fi
	: "${msg:=create $id}"
	{
		echo "-- $msg"
		echo "--"
		echo "-- Revision ID: $id"
		echo "-- Revises: $parents"
		echo "-- Create Date: 2026-01-02 03:04:05.000000"
		echo "-- Branch Labels:"
		echo "-- Depends On:"
		echo
		echo "-- migrate:upgrade$upopts"
		if [ -n "$up" ]; then printf '%s\n' "$up"; fi
		echo
		echo "-- migrate:downgrade"
		if [ -n "$down" ]; then printf '%s\n' "$down"; fi
	} >"$PROJ/migrations/versions/${id}_rev.sql"
}

# revfile ID: the path of a revision written by mkrev.
revfile() {
	echo "$PROJ/migrations/versions/${1}_rev.sql"
}

# chain PREFIX N: revisions PREFIX01..PREFIXN, each revising the one
# before and creating table t_<id>.
chain() {
	local prefix="$1" n="$2" prev="" i id
	for ((i = 1; i <= n; i++)); do
		printf -v id '%s%02d' "$prefix" "$i"
		mkrev "$id" "$prev"
		prev="$id"
	done
}

# ---------------------------------------------------------------------------
# running retort

# rt_exec ARGS...: run retort without the PG* environment, keep a copy of
# its stdout and stderr in $OUT_DIR, then replay them (stdout first).
rt_exec() {
	local f rc
	f=$(mktemp "$OUT_DIR/run.XXXXXX") || return 99
	env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD -u PGDATABASE \
		-u PGSERVICE -u PGOPTIONS -u PGAPPNAME -u PGCONNECT_TIMEOUT \
		-u PGSSLMODE "$RETORT" "$@" >"$f.out" 2>"$f.err"
	rc=$?
	cat "$f.out"
	cat "$f.err" >&2
	return $rc
}

# rt ARGS...: run retort; stdout in $output, stderr in $stderr.
rt() {
	run --separate-stderr rt_exec "$@"
}

# rt_bg NAME ARGS...: run retort in the background; when it ends,
# $BATS_TEST_TMPDIR/NAME.{out,err,rc,end} hold its stdout, stderr, exit
# status and end time (ns). rt_wait NAME waits for it.
rt_bg() {
	local name="$1" d="$BATS_TEST_TMPDIR"
	shift
	rm -f "$d/$name.rc" "$d/$name.end"
	(
		set +e
		rt_exec "$@" >"$d/$name.out" 2>"$d/$name.err"
		echo $? >"$d/$name.rc"
		date +%s%N >"$d/$name.end"
	) 3>&- &
	eval "BG_$name=$!"
	BG_PIDS="$BG_PIDS $!"
}

# rt_wait NAME: wait for a rt_bg run (at most 60 s); sets status, output,
# stderr from it.
rt_wait() {
	local name="$1" d="$BATS_TEST_TMPDIR" pid i
	eval "pid=\$BG_$name"
	for ((i = 0; i < 600; i++)); do
		[ -e "$d/$name.end" ] && break
		sleep 0.1
	done
	wait "$pid" 2>/dev/null || true
	[ -e "$d/$name.end" ] || {
		echo "$name did not finish within 60 s"
		return 1
	}
	status=$(cat "$d/$name.rc")
	output=$(cat "$d/$name.out")
	stderr=$(cat "$d/$name.err")
}

# wait_for SQL [TRIES]: poll until SQL returns a non-empty result (every
# 0.05 s, 200 tries by default); prints it.
wait_for() {
	local i r
	for ((i = 0; i < ${2:-200}; i++)); do
		r=$(q "$1" 2>/dev/null) || r=
		if [ -n "$r" ]; then
			printf '%s\n' "$r"
			return 0
		fi
		sleep 0.05
	done
	echo "wait_for: no result for: $1" >&2
	return 1
}

# ---------------------------------------------------------------------------
# checking what retort said

show_run() {
	echo "status=$status"
	echo "--- stdout"
	printf '%s\n' "$output"
	echo "--- stderr"
	printf '%s\n' "${stderr-}"
	echo "---"
}

expect_status() {
	if [ "$status" != "$1" ]; then
		echo "expected exit status $1, got $status"
		show_run
		return 1
	fi
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" != "$3" ]; then
		echo "$1 differs"
		echo "--- expected"
		printf '%s\n' "$2"
		echo "--- actual"
		printf '%s\n' "$3"
		echo "---"
		[ -z "${status+x}" ] || show_run
		return 1
	fi
}

# expect_match WHAT ERE ACTUAL
expect_match() {
	if ! [[ "$3" =~ $2 ]]; then
		echo "$1 does not match /$2/"
		printf '%s\n' "$3"
		[ -z "${status+x}" ] || show_run
		return 1
	fi
}

expect_stdout() { expect_eq stdout "$1" "$output"; }

# error_lines: the "retort: ..." lines of $stderr (errors, warnings, lock
# waits), without the progress lines.
error_lines() {
	printf '%s\n' "$stderr" | grep '^retort: ' || true
}

# expect_error MESSAGE: stderr's only "retort: " line is "retort: MESSAGE".
expect_error() {
	expect_eq "error lines of stderr" "retort: $1" "$(error_lines)"
}

expect_no_error() {
	expect_eq "error lines of stderr" "" "$(error_lines)"
}

# progress: $stderr's "Running ..." lines with the times replaced by N.
progress() {
	printf '%s\n' "$stderr" | grep '^Running ' |
		sed -E 's/ \.\.\. [0-9]+ ms$/ ... N ms/' || true
}

# ERE for the holder part of the lock messages.
STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'

# re_quote TEXT: TEXT with ERE metacharacters escaped.
re_quote() {
	printf '%s' "$1" | sed -E 's/[][\.^$*+?(){}|/]/\\&/g'
}
