# online_helpers.bash: shared setup for the bats tests that run retort
# against a real database (online_*.bats).
#
# The database under test comes from RETORT_TEST_URL. Unset, every test gets
# a fresh SQLite file in its own temporary folder (with
# RETORT_TEST_DIALECT=postgresql, as CTest's cli-pg/ runs set it, the
# tests skip until the PostgreSQL branch exists). The tests never look into
# the database with dialect-specific commands directly: they go through the
# db_* helpers below, which dispatch on the URL's dialect. Today only the
# SQLite branch exists (the sqlite3 shell); the PostgreSQL branch (psql) is
# marked "PostgreSQL:" below and, until it is written, every test skips with
# a message when RETORT_TEST_URL is a postgresql:// URL.
#
# A test's layout:
#   $BATS_TEST_TMPDIR/proj/            the project, and the cwd
#     retort.ini                       [retort] with url = $TEST_URL
#     migrations/versions/             revision files (mkrev, table_chain)
#   $BATS_TEST_TMPDIR/app.db           the default SQLite database
#
# Note: when RETORT_TEST_URL names a SQLite file, that file is deleted at the
# start of every test (it is a test database).
#
# RETORT is the binary under test (CTest sets it; default: the first build
# found under the source tree).

bats_require_minimum_version 1.5.0

: "${RETORT_SOURCE_DIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
if [ -z "${RETORT:-}" ]; then
	for _b in bats online test-asan test-werror release; do
		if [ -x "$RETORT_SOURCE_DIR/build/$_b/cli/retort" ]; then
			RETORT="$RETORT_SOURCE_DIR/build/$_b/cli/retort"
			break
		fi
	done
	unset _b
fi
export RETORT RETORT_SOURCE_DIR
# keep the environment from leaking into the tests
unset RETORT_CONFIG DATABASE_URL NO_COLOR
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

# the interpreter that sees Debian's python3-alembic (the python3 on PATH
# may be another one)
PY=/usr/bin/python3

# ---------------------------------------------------------------------------
# setup and teardown

# online_setup: the project folder, TEST_URL, DB_DIALECT, DB_FILE (SQLite),
# a fresh database and retort.ini. Call from setup().
online_setup() {
	[ -x "$RETORT" ] || {
		echo "retort binary not found (RETORT=$RETORT)" >&2
		return 1
	}
	PROJ="$BATS_TEST_TMPDIR/proj"
	mkdir -p "$PROJ/migrations/versions"
	cd "$PROJ" || return 1
	# CTest runs these files twice: RETORT_TEST_DIALECT=sqlite, and
	# RETORT_TEST_DIALECT=postgresql under tests/pg/server.sh (which exports
	# RETORT_TEST_PG_URL, PGHOST and PGPORT).
	if [ "${RETORT_TEST_DIALECT:-sqlite}" = postgresql ] &&
		[ -z "${RETORT_TEST_URL:-}" ]; then
		# PostgreSQL: create a database for this test here (as
		# pg_helpers.bash's pg_setup does) and set RETORT_TEST_URL to it
		skip "the PostgreSQL branch of online_helpers.bash is not written yet"
	fi
	TEST_URL="${RETORT_TEST_URL:-sqlite:///$BATS_TEST_TMPDIR/app.db}"
	DB_FILE=
	case "$TEST_URL" in
	sqlite:*)
		DB_DIALECT=sqlite
		DB_FILE="${TEST_URL#sqlite:///}"
		DB_FILE="${DB_FILE%%\?*}"
		case "$DB_FILE" in
		/*) ;;
		*) DB_FILE="$PROJ/$DB_FILE" ;;
		esac
		;;
	postgres:* | postgresql:* | postgresql+*:*)
		DB_DIALECT=postgresql
		# PostgreSQL: not written yet. It needs: a libpq URI for psql
		# (strip a "+driver" suffix), and db_reset giving every test an
		# empty database (e.g. DROP SCHEMA public CASCADE; CREATE
		# SCHEMA public, or a database per test).
		skip "the PostgreSQL branch of online_helpers.bash is not written yet"
		;;
	*)
		echo "RETORT_TEST_URL: unsupported url '$TEST_URL'" >&2
		return 1
		;;
	esac
	export TEST_URL DB_DIALECT DB_FILE PROJ
	db_reset
	online_config
}

online_teardown() {
	cd / || true
	# undo chattr +i (root) / chmod (non-root) so bats can delete the folder
	if [ -n "${BATS_TEST_TMPDIR:-}" ] && [ -d "$BATS_TEST_TMPDIR" ]; then
		if command -v chattr >/dev/null 2>&1; then
			find "$BATS_TEST_TMPDIR" -exec chattr -i {} + 2>/dev/null || true
		fi
		chmod -R u+rwX "$BATS_TEST_TMPDIR" 2>/dev/null || true
	fi
	# background helpers a test started (lock holders, killed runs)
	local p
	for p in ${BG_PIDS:-}; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	BG_PIDS=
}

# online_config [extra lines...]: write retort.ini with url = $TEST_URL and
# the extra lines in the [retort] section.
online_config() {
	{
		echo "[retort]"
		echo "script_location = %(here)s/migrations"
		# % is the interpolation character in retort.ini
		echo "url = ${TEST_URL//%/%%}"
		local l
		for l in "$@"; do
			echo "$l"
		done
	} >"$PROJ/retort.ini"
}

# require_sqlite [why]: skip unless the database under test is SQLite.
require_sqlite() {
	[ "$DB_DIALECT" = sqlite ] || skip "SQLite only${1:+: $1}"
}

# ---------------------------------------------------------------------------
# revision files

# mkrev [-l LABELS] [-m MESSAGE] [-d DEPENDS] [-o UPGRADE-OPTIONS] [-f FILE]
#       ID PARENTS [UPGRADE-SQL [DOWNGRADE-SQL]]
# Writes migrations/versions/ID_rev.sql (or FILE). The SQL defaults to
# CREATE TABLE t_ID / DROP TABLE t_ID; "-" gives an empty section.
mkrev() {
	local labels="" msg="" deps="" upopts="" file=""
	local OPTIND=1 o
	while getopts "l:m:d:o:f:" o; do
		case "$o" in
		l) labels="$OPTARG" ;;
		m) msg="$OPTARG" ;;
		d) deps="$OPTARG" ;;
		o) upopts=" $OPTARG" ;;
		f) file="$OPTARG" ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	local id="$1" parents="${2:-}"
	local up="${3-CREATE TABLE t_$id (id INTEGER PRIMARY KEY, v TEXT);}"
	local down="${4-DROP TABLE t_$id;}"
	[ "$up" = - ] && up=""
	[ "$down" = - ] && down=""
	: "${msg:=create $id}"
	: "${file:=$PROJ/migrations/versions/${id}_rev.sql}"
	{
		echo "-- $msg"
		echo "--"
		echo "-- Revision ID: $id"
		echo "-- Revises: $parents"
		echo "-- Create Date: 2026-01-02 03:04:05.000000"
		echo "-- Branch Labels: $labels"
		echo "-- Depends On: $deps"
		echo
		echo "-- migrate:upgrade$upopts"
		if [ -n "$up" ]; then printf '%s\n' "$up"; fi
		echo
		echo "-- migrate:downgrade"
		if [ -n "$down" ]; then printf '%s\n' "$down"; fi
	} >"$file"
}

# revfile ID: the absolute path of a revision written by mkrev.
revfile() {
	echo "$PROJ/migrations/versions/${1}_rev.sql"
}

# table_chain PREFIX N [WORK]: revisions PREFIX001..PREFIXN (zero-padded to
# 3 digits), each revising the one before and creating table t_<id>; with
# WORK, each also inserts WORK rows and builds an index.
table_chain() {
	local prefix="$1" n="$2" work="${3:-0}" prev="" i id up
	for ((i = 1; i <= n; i++)); do
		printf -v id '%s%03d' "$prefix" "$i"
		up="CREATE TABLE t_$id (id INTEGER PRIMARY KEY, v TEXT);"
		if [ "$work" -gt 0 ]; then
			up+=$'\n'"WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $work)"
			up+=$'\n'"INSERT INTO t_$id (id, v) SELECT x, 'row ' || x FROM n;"
			up+=$'\n'"CREATE INDEX t_${id}_v ON t_$id (v);"
		fi
		mkrev "$id" "$prev" "$up"
		prev="$id"
	done
}

# ---------------------------------------------------------------------------
# running retort and checking what it said

# rt ARGS...: run retort with stdout in $output, stderr in $stderr.
rt() {
	run --separate-stderr "$RETORT" "$@"
}

show_run() {
	echo "status=$status"
	echo "--- stdout"
	printf '%s\n' "$output"
	echo "--- stderr"
	printf '%s\n' "$stderr"
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

expect_stdout() { expect_eq stdout "$1" "$output"; }
expect_stderr() { expect_eq stderr "$1" "$stderr"; }

# expect_contains WHAT HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) return 0 ;;
	esac
	echo "$1 does not contain: $3"
	echo "--- $1"
	printf '%s\n' "$2"
	echo "---"
	return 1
}

expect_not_contains() {
	case "$2" in
	*"$3"*)
		echo "$1 contains: $3"
		printf '%s\n' "$2"
		return 1
		;;
	esac
	return 0
}

# error_lines: the "retort: ..." lines of $stderr (errors, warnings, lock
# waits), without the progress lines.
error_lines() {
	printf '%s\n' "$stderr" | grep '^retort: ' || true
}

# expect_error MESSAGE: stderr has exactly one "retort: " line, and it is
# "retort: MESSAGE".
expect_error() {
	expect_eq "error lines of stderr" "retort: $1" "$(error_lines)"
}

# progress: $stderr's "Running ..." lines with the times replaced by N.
progress() {
	printf '%s\n' "$stderr" | grep '^Running ' |
		sed -E 's/ \.\.\. [0-9]+ ms$/ ... N ms/' || true
}

# ---------------------------------------------------------------------------
# the database: every dialect-specific command lives here

# db_reset: an empty database for this test.
db_reset() {
	case "$DB_DIALECT" in
	sqlite)
		rm -f "$DB_FILE" "$DB_FILE-journal" "$DB_FILE-wal" "$DB_FILE-shm"
		;;
	postgresql)
		# PostgreSQL: DROP SCHEMA public CASCADE; CREATE SCHEMA public
		# (or create a database for this test and point TEST_URL at it)
		return 1
		;;
	esac
}

# db_query SQL: run SQL, print the rows, one per line, columns joined by
# '|', no header. Never creates a missing SQLite database.
db_query() {
	case "$DB_DIALECT" in
	sqlite)
		if [ ! -e "$DB_FILE" ]; then
			echo "db_query: $DB_FILE does not exist" >&2
			return 1
		fi
		sqlite3 -batch -bail -noheader -list -separator '|' \
			-cmd '.timeout 10000' "$DB_FILE" "$1"
		;;
	postgresql)
		# PostgreSQL: psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 \
		#	-d "$DB_PSQL_URL" -c "$1"
		return 1
		;;
	esac
}

# db_exec SQL: run SQL that changes the database (creating it if needed).
db_exec() {
	case "$DB_DIALECT" in
	sqlite)
		sqlite3 -batch -bail -cmd '.timeout 10000' "$DB_FILE" "$1"
		;;
	postgresql)
		# PostgreSQL: same psql call as db_query
		return 1
		;;
	esac
}

# db_msg_no_table NAME: the database's own error text for a statement that
# uses a table that does not exist, as retort shows it after "path:line: ".
db_msg_no_table() {
	case "$DB_DIALECT" in
	sqlite) echo "no such table: $1" ;;
	postgresql)
		# PostgreSQL: probably 'relation "NAME" does not exist (SQLSTATE
		# 42P01)'; check against retort's postgres driver
		echo "relation \"$1\" does not exist (SQLSTATE 42P01)"
		;;
	esac
}

# db_is_fresh: true when nothing has been created in the database: for
# SQLite, the file does not exist; elsewhere, it has no tables.
db_is_fresh() {
	case "$DB_DIALECT" in
	sqlite) [ ! -e "$DB_FILE" ] ;;
	*) [ -z "$(db_tables)" ] ;;
	esac
}

# db_tables: every table, sorted, one per line (none for a missing
# SQLite file).
db_tables() {
	case "$DB_DIALECT" in
	sqlite)
		[ -e "$DB_FILE" ] || return 0
		db_query "SELECT name FROM sqlite_schema WHERE type = 'table'
		          AND name NOT LIKE 'sqlite\_%' ESCAPE '\'"
		;;
	postgresql)
		db_query "SELECT table_name FROM information_schema.tables
		          WHERE table_schema = current_schema()"
		;;
	esac | LC_ALL=C sort
}

# app_tables: the tables the revisions made (t_*), sorted, space-separated.
app_tables() {
	db_tables | grep '^t_' | tr '\n' ' ' | sed 's/ $//'
}

# db_has_table NAME
db_has_table() {
	db_tables | grep -qx "$1"
}

# db_versions [TABLE]: the version rows, sorted, space-separated (nothing
# when the table does not exist).
db_versions() {
	local t="${1:-retort_version}"
	db_has_table "$t" || return 0
	db_query "SELECT version_num FROM $t" | LC_ALL=C sort | tr '\n' ' ' |
		sed 's/ $//'
}

# db_dump: the whole database as text, to show that nothing changed.
db_dump() {
	case "$DB_DIALECT" in
	sqlite)
		[ -e "$DB_FILE" ] || { echo "(no database file)"; return 0; }
		sqlite3 -batch -cmd '.timeout 10000' "$DB_FILE" .dump
		;;
	postgresql)
		# PostgreSQL: pg_dump --no-owner --schema=public "$DB_PSQL_URL"
		return 1
		;;
	esac
}

# masked_url URL: URL with its password shown as ***, as retort prints it.
masked_url() {
	printf '%s\n' "$1" | sed -E 's#^([a-z0-9+]+://[^:/@]*):[^@/]*@#\1:***@#'
}

# hold_lock SECONDS: another process takes the write lock retort uses and
# keeps it for SECONDS; returns once the lock is held. Sets LOCK_PID.
hold_lock() {
	local ready="$BATS_TEST_TMPDIR/lock.ready"
	rm -f "$ready"
	case "$DB_DIALECT" in
	sqlite)
		"$PY" -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[3], "w").write("locked\n")
time.sleep(float(sys.argv[2]))
c.execute("ROLLBACK")
' "$DB_FILE" "$1" "$ready" 3>&- &
		;;
	postgresql)
		# PostgreSQL: hold retort's pg_advisory_lock from psql
		skip "hold_lock: no PostgreSQL branch yet"
		;;
	esac
	LOCK_PID=$!
	BG_PIDS="${BG_PIDS:-} $LOCK_PID"
	local i
	for ((i = 0; i < 200; i++)); do
		[ -s "$ready" ] && return 0
		sleep 0.05
	done
	echo "hold_lock: the lock holder did not start" >&2
	return 1
}

# ---------------------------------------------------------------------------
# checksums

# section_checksum FILE upgrade|downgrade: the SHA-256 that retort records
# for a section (rt_section_checksum in src/script.c): the text between the
# section's marker line and the next marker, CRLF read as LF, leading blank
# lines and trailing whitespace dropped.
section_checksum() {
	local text
	text="$(awk -v kind="$2" '
		{ sub(/\r$/, "") }
		/^-- migrate:/ {
			split($0, w, /[ \t:]+/)
			insec = (w[3] == kind); started = 0; next
		}
		insec {
			if (!started && $0 ~ /^[ \t]*$/) next
			started = 1; print
		}' "$1")"
	text="${text%"${text##*[![:space:]]}"}"
	printf '%s' "$text" | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------------------
# Alembic

have_alembic() {
	[ -x "$PY" ] && "$PY" -c 'import alembic, sqlalchemy' 2>/dev/null
}

# alembic_project DIR: an Alembic project in DIR equivalent to the retort
# project (one Python revision per .sql file, same ids, parents, labels,
# dependencies and SQL, split at ';'), on the same database url.
alembic_project() {
	local dir="$1"
	have_alembic || skip "Debian's python3-alembic is not installed"
	mkdir -p "$dir"
	"$PY" -m alembic -c "$dir/alembic.ini" init "$dir/al" >/dev/null ||
		return 1
	"$PY" - "$PROJ/migrations/versions" "$dir/al/versions" "$dir/alembic.ini" \
		"$TEST_URL" <<'EOF' || return 1
import glob, os, re, sys

src, dst, ini, url = sys.argv[1:5]

def lst(v):
    v = [x.strip() for x in v.split(",") if x.strip()]
    if not v:
        return "None"
    return repr(v[0]) if len(v) == 1 else repr(tuple(v))

for path in sorted(glob.glob(os.path.join(src, "*.sql"))):
    text = open(path).read().replace("\r\n", "\n")
    lines = text.split("\n")
    hdr = {}
    for line in lines:
        if not line.startswith("--") or line.startswith("-- migrate:"):
            break
        m = re.match(r"--\s*([A-Za-z ]+?):\s*(.*)$", line)
        if m:
            hdr[m.group(1)] = m.group(2).strip()
    sections, cur = {"upgrade": [], "downgrade": []}, None
    for line in lines:
        m = re.match(r"-- migrate:(\w+)", line)
        if m:
            cur = m.group(1)
        elif cur and not line.startswith("--"):
            sections[cur].append(line)
    def stmts(kind):
        body = "\n".join(sections[kind])
        return [s.strip() for s in body.split(";") if s.strip()]
    rid = hdr["Revision ID"]
    with open(os.path.join(dst, os.path.basename(path)[:-4] + ".py"), "w") as f:
        f.write('"""%s"""\nfrom alembic import op\n\n' % lines[0][2:].strip())
        f.write("revision = %r\n" % rid)
        f.write("down_revision = %s\n" % lst(hdr.get("Revises", "")))
        f.write("branch_labels = %s\n" % lst(hdr.get("Branch Labels", "")))
        f.write("depends_on = %s\n\n" % lst(hdr.get("Depends On", "")))
        for kind in ("upgrade", "downgrade"):
            f.write("def %s():\n" % kind)
            for s in stmts(kind):
                f.write("    op.execute(%r)\n" % s)
            f.write("    pass\n\n")

text = open(ini).read()
text = re.sub(r"(?m)^sqlalchemy\.url = .*$",
              "sqlalchemy.url = " + url.replace("%", "%%"), text)
open(ini, "w").write(text)
EOF
}

# alembic_cmd DIR ARGS...: run Alembic on the project made by
# alembic_project (stdout in $output, stderr in $stderr).
alembic_cmd() {
	local dir="$1"
	shift
	run --separate-stderr "$PY" -m alembic -c "$dir/alembic.ini" "$@"
}
