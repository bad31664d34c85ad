# SPDX-License-Identifier: MIT
# online_helpers.bash: shared setup for the bats tests that run retort
# against a real database (online_*.bats).
#
# The database under test:
#   - RETORT_TEST_URL unset, RETORT_TEST_DIALECT unset or sqlite: a fresh
#     SQLite file in each test's temporary folder;
#   - RETORT_TEST_DIALECT=postgresql (CTest's cli-pg/ runs, under
#     tests/pg/server.sh): a fresh PostgreSQL database per test on the
#     server of RETORT_TEST_PG_URL, with that url's credentials;
#   - RETORT_TEST_URL=sqlite:///FILE: that file (deleted at the start of
#     every test: it is a test database);
#   - RETORT_TEST_URL=postgresql://USER:PW@HOST:PORT/DB: a fresh database
#     per test on that server, with those credentials.
#   - RETORT_TEST_DIALECT=mysql (CTest's cli-mysql/ runs, under
#     tests/mysql/server.sh): a fresh MySQL/MariaDB database per test on
#     the server of RETORT_TEST_MYSQL_URL (or RETORT_TEST_URL=mysql://...),
#     created and dropped with that url's credentials (which need CREATE
#     and DROP on *.*).
# A PostgreSQL test database is created (CREATE DATABASE) in setup and
# dropped (DROP DATABASE ... WITH (FORCE)) in teardown. Databases are
# created and dropped as `postgres` over the Unix socket when PGHOST and
# PGPORT name one (tests/pg/server.sh exports them), otherwise with the
# url's own credentials (which then need CREATEDB). Everything else
# (db_query, db_exec, ...) connects with the url's credentials, as
# retort does. retort itself runs without the PG* environment variables,
# so it connects with what the url says and nothing else.
#
# The tests never look into the database with dialect-specific commands
# directly: they go through the db_* helpers below, which dispatch on
# DB_DIALECT (sqlite: the sqlite3 shell; postgresql: psql and pg_dump).
#
# A test's layout:
#   $BATS_TEST_TMPDIR/proj/            the project, and the cwd
#     retort.ini                       [retort] with url = $TEST_URL
#     migrations/versions/             revision files (mkrev, table_chain)
#   $BATS_TEST_TMPDIR/app.db           the default SQLite database
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
# TEST_DB (PostgreSQL), a fresh database and retort.ini. Call from setup().
online_setup() {
	[ -x "$RETORT" ] || {
		echo "retort binary not found (RETORT=$RETORT)" >&2
		return 1
	}
	PROJ="$BATS_TEST_TMPDIR/proj"
	mkdir -p "$PROJ/migrations/versions"
	cd "$PROJ" || return 1
	BG_PIDS=
	# CTest runs these files twice: RETORT_TEST_DIALECT=sqlite, and
	# RETORT_TEST_DIALECT=postgresql under tests/pg/server.sh (which exports
	# RETORT_TEST_PG_URL, PGHOST and PGPORT).
	local url="${RETORT_TEST_URL:-}"
	if [ -z "$url" ] && [ "${RETORT_TEST_DIALECT:-sqlite}" = postgresql ]; then
		[ -n "${RETORT_TEST_PG_URL:-}" ] ||
			skip "RETORT_TEST_PG_URL is not set: run under tests/pg/server.sh run (e.g. tests/pg/server.sh run env RETORT_TEST_DIALECT=postgresql bats $BATS_TEST_FILENAME) or make test"
		url="$RETORT_TEST_PG_URL"
	fi
	if [ -z "$url" ] && [ "${RETORT_TEST_DIALECT:-sqlite}" = mysql ]; then
		[ -n "${RETORT_TEST_MYSQL_URL:-}" ] ||
			skip "RETORT_TEST_MYSQL_URL is not set: run under tests/mysql/server.sh run (e.g. tests/mysql/server.sh run env RETORT_TEST_DIALECT=mysql bats $BATS_TEST_FILENAME) or make test"
		url="$RETORT_TEST_MYSQL_URL"
	fi
	TEST_URL="${url:-sqlite:///$BATS_TEST_TMPDIR/app.db}"
	DB_FILE=
	TEST_DB=
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
		pg_online_setup "$TEST_URL" || return 1
		;;
	mysql:* | mysql+*:* | mariadb:* | mariadb+*:*)
		DB_DIALECT=mysql
		my_online_setup "$TEST_URL" || return 1
		;;
	*)
		echo "RETORT_TEST_URL: unsupported url '$TEST_URL'" >&2
		return 1
		;;
	esac
	export TEST_URL DB_DIALECT DB_FILE PROJ TEST_DB
	db_reset || return 1
	online_config
}

# pg_online_setup BASE-URL: the PostgreSQL part of online_setup. From
# BASE-URL (postgresql[+driver]://[USER[:PW]@]HOST[:PORT]/DB[?PARAMS]) it
# keeps the server, the credentials and the parameters, and names a new
# database for this test: TEST_DB, TEST_URL (for retort, same scheme),
# DB_PSQL_URL (a libpq URI for psql), PG_ADMIN (the psql arguments that
# reach the server to create and drop databases) and PG_OWNER. It takes
# the PG* variables out of the environment (retort must use the url only).
pg_online_setup() {
	local re='^(postgres(ql)?)(\+[A-Za-z0-9_]+)?://(([^:@/]*)(:[^@/]*)?@)?([^/?]*)(/[^?]*)?(\?.*)?$'
	[[ "$1" =~ $re ]] || {
		echo "RETORT_TEST_URL: cannot parse the PostgreSQL url (expected postgresql://user:password@host:port/db)" >&2
		return 1
	}
	local scheme="${BASH_REMATCH[1]}${BASH_REMATCH[3]}"
	local userinfo="${BASH_REMATCH[4]}" host="${BASH_REMATCH[7]}"
	local base_db="${BASH_REMATCH[8]#/}" params="${BASH_REMATCH[9]}"
	PG_OWNER="${BASH_REMATCH[5]}"
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	[ -x "$PG_BIN/psql" ] || PG_BIN=$(dirname "$(command -v psql)")
	[ -x "$PG_BIN/psql" ] || {
		echo "psql not found (apt-get install postgresql-client)" >&2
		return 1
	}
	# lower case, so that it needs no quoting
	TEST_DB="rt_on${BATS_TEST_NUMBER:-0}_$$_${RANDOM}"
	TEST_URL="$scheme://$userinfo$host/$TEST_DB$params"
	DB_PSQL_URL="postgresql://$userinfo$host/$TEST_DB$params"
	if [ -n "${PGHOST:-}" ] && [ -n "${PGPORT:-}" ]; then
		PG_ADMIN=(-h "$PGHOST" -p "$PGPORT" -U "${PGUSER:-postgres}")
		PG_ADMIN_DB=postgres
	else
		PG_ADMIN=()
		PG_ADMIN_DB="postgresql://$userinfo$host/${base_db:-postgres}$params"
	fi
	unset PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGPASSFILE PGDATABASE \
		PGSERVICE PGSERVICEFILE PGOPTIONS PGAPPNAME PGCONNECT_TIMEOUT \
		PGSSLMODE PGTZ PGDATESTYLE PGCLIENTENCODING PGTARGETSESSIONATTRS
	export DB_PSQL_URL PG_OWNER
}

# my_online_setup BASE-URL: the MySQL part of online_setup: TEST_DB (a new
# database name), TEST_URL (same server, credentials, parameters) and
# MY_ARGS, the mariadb client's arguments for the same server and user.
my_online_setup() {
	local re='^((mysql|mariadb)(\+[A-Za-z0-9_]+)?)://(([^:@/]*)(:([^@/]*))?@)?([^/?:]*)(:([0-9]+))?(/[^?]*)?(\?.*)?$'
	[[ "$1" =~ $re ]] || {
		echo "RETORT_TEST_URL: cannot parse the MySQL url (expected mysql://user:password@host:port/db)" >&2
		return 1
	}
	local scheme="${BASH_REMATCH[1]}" userinfo="${BASH_REMATCH[4]}"
	local user="${BASH_REMATCH[5]}" pw="${BASH_REMATCH[7]}"
	local host="${BASH_REMATCH[8]}" port="${BASH_REMATCH[10]}"
	local params="${BASH_REMATCH[12]}"
	TEST_DB="rt_on${BATS_TEST_NUMBER:-0}_$$_${RANDOM}"
	TEST_URL="$scheme://$userinfo$host${port:+:$port}/$TEST_DB$params"
	MY_ARGS=(--no-defaults -h "${host:-localhost}" ${port:+-P "$port"}
		${user:+-u "$user"} ${pw:+"--password=$pw"})
	if [[ "$params" =~ unix_socket=([^&]*) ]]; then
		MY_ARGS+=(-S "${BASH_REMATCH[1]//%2F//}")
	fi
	command -v mariadb >/dev/null || {
		echo "the mariadb client is not installed (apt-get install mariadb-client)" >&2
		return 1
	}
}

# my_admin SQL: run SQL on the server without choosing a database.
my_admin() {
	mariadb "${MY_ARGS[@]}" -e "$1"
}

# my_test ARGS...: the mariadb client on the test database, rows as
# COL|COL without a header (NULL shows as NULL).
my_test() {
	local -
	set -o pipefail
	mariadb "${MY_ARGS[@]}" -N -B -D "$TEST_DB" "$@" | tr '\t' '|'
}

# psql_admin SQL...: run each SQL (its own transaction) on the admin
# connection to the server (not to the test database).
psql_admin() {
	local args=() sql
	for sql in "$@"; do
		args+=(-c "$sql")
	done
	# (no NOTICE for DROP DATABASE IF EXISTS of a missing database)
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 "${PG_ADMIN[@]}" \
		-d "$PG_ADMIN_DB" -c "SET client_min_messages = warning" \
		"${args[@]}"
}

# psql_test ARGS...: psql on the test database with the url's credentials,
# unaligned, no header, rows as COL|COL.
psql_test() {
	"$PG_BIN/psql" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 \
		-d "$DB_PSQL_URL" "$@"
}

online_teardown() {
	local rc=0
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
	if [ "${DB_DIALECT:-}" = postgresql ] && [ -n "${DB_CREATED:-}" ]; then
		psql_admin "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" || rc=1
		DB_CREATED=
	fi
	if [ "${DB_DIALECT:-}" = mysql ] && [ -n "${DB_CREATED:-}" ]; then
		my_admin "DROP DATABASE IF EXISTS $TEST_DB" || rc=1
		DB_CREATED=
	fi
	return $rc
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

# db_transactional_ddl: true when the database rolls back DDL with the
# transaction (SQLite, PostgreSQL), false on MySQL/MariaDB, where each
# statement of a section is its own unit and a failure after the first
# leaves the database dirty at that statement (tests branch on this,
# never skip).
db_transactional_ddl() {
	[ "$DB_DIALECT" != mysql ]
}

# ddl_kept DONE TOTAL REV: what retort adds to a section's error on a
# database without transactional DDL when DONE of the TOTAL statements of
# revision REV ran before the failing one.
ddl_kept() {
	echo " (MySQL cannot roll back DDL: $1 of the $2 statements of revision $3 ran and stay; the database is marked dirty at statement $(($1 + 1)); fix the cause and run the same command again to go on from there, or undo them by hand and run 'retort repair')"
}

# db_sleep_sql SECONDS: a statement that runs for SECONDS (SQLite: a
# counting query that runs for minutes whatever SECONDS is).
db_sleep_sql() {
	case "$DB_DIALECT" in
	sqlite) echo "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000000000)
SELECT count(*) FROM n;" ;;
	mysql) echo "SELECT SLEEP($1);" ;;
	*) echo "SELECT pg_sleep($1);" ;;
	esac
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
		if [ "$work" -gt 0 ] && [ "${DB_DIALECT:-}" = mysql ]; then
			# MySQL: rows from digits (a recursive CTE stops at
			# 1000 levels by default), CONCAT, a prefix index
			local d="(SELECT 0 x UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9)"
			up+=$'\n'"INSERT INTO t_$id (id, v) SELECT n, CONCAT('row ', n) FROM"
			up+=$'\n'"(SELECT a.x * 1000 + b.x * 100 + c.x * 10 + d.x + 1 AS n FROM $d a, $d b, $d c, $d d) s WHERE n <= $work;"
			up+=$'\n'"CREATE INDEX t_${id}_v ON t_$id (v(32));"
		elif [ "$work" -gt 0 ]; then
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
		# a new database (TEST_DB, named by online_setup), owned by the
		# url's user
		psql_admin "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" \
			"CREATE DATABASE $TEST_DB${PG_OWNER:+ OWNER \"$PG_OWNER\"}" ||
			return 1
		DB_CREATED=1
		;;
	mysql)
		my_admin "DROP DATABASE IF EXISTS $TEST_DB; CREATE DATABASE $TEST_DB" ||
			return 1
		DB_CREATED=1
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
	postgresql) psql_test -c "$1" ;;
	mysql) my_test -e "$1" ;;
	esac
}

# db_exec SQL: run SQL that changes the database (creating it if needed).
db_exec() {
	case "$DB_DIALECT" in
	sqlite)
		sqlite3 -batch -bail -cmd '.timeout 10000' "$DB_FILE" "$1"
		;;
	postgresql) psql_test -c "$1" >/dev/null ;;
	mysql) my_test -e "$1" >/dev/null ;;
	esac
}

# db_msg_no_table NAME [drop]: the database's own error text for a
# statement that uses a table that does not exist (with `drop`: for DROP
# TABLE NAME), as retort shows it after "path:line: ".
db_msg_no_table() {
	case "$DB_DIALECT" in
	sqlite) echo "no such table: $1" ;;
	postgresql)
		if [ "${2:-}" = drop ]; then
			echo "table \"$1\" does not exist (SQLSTATE 42P01)"
		else
			echo "relation \"$1\" does not exist (SQLSTATE 42P01)"
		fi
		;;
	mysql)
		if [ "${2:-}" = drop ]; then
			echo "Unknown table '$TEST_DB.$1' (MySQL error 1051) (SQLSTATE 42S02)"
		else
			echo "Table '$TEST_DB.$1' doesn't exist (MySQL error 1146) (SQLSTATE 42S02)"
		fi
		;;
	esac
}

# db_is_fresh: true when nothing has been created in the database: for
# SQLite, the file does not exist; for PostgreSQL, the test database has no
# table, view, sequence or index in any schema but the system ones, and
# no schema but public.
db_is_fresh() {
	case "$DB_DIALECT" in
	sqlite) [ ! -e "$DB_FILE" ] ;;
	postgresql)
		[ -z "$(db_query "SELECT c.relname FROM pg_catalog.pg_class c
		        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
		          AND n.nspname NOT LIKE 'pg\_%'
		        UNION ALL
		        SELECT nspname FROM pg_catalog.pg_namespace
		        WHERE nspname NOT IN ('public', 'pg_catalog',
		              'information_schema') AND nspname NOT LIKE 'pg\_%'")" ]
		;;
	mysql)
		[ -z "$(db_query "SELECT table_name FROM information_schema.tables
		        WHERE table_schema = DATABASE()
		        UNION ALL SELECT routine_name FROM information_schema.routines
		        WHERE routine_schema = DATABASE()")" ]
		;;
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
		# the tables of the schema retort uses by default
		db_query "SELECT c.relname FROM pg_catalog.pg_class c
		          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		          WHERE c.relkind IN ('r', 'p')
		            AND n.nspname = current_schema()"
		;;
	mysql)
		db_query "SELECT table_name FROM information_schema.tables
		          WHERE table_schema = DATABASE()
		            AND table_type = 'BASE TABLE'"
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
		# Without: \restrict and \unrestrict (they carry a random key
		# per run), and the sequences' positions (setval): nextval() is
		# not transactional, so a rolled-back run that inserted log rows
		# moves retort_log's id sequence although nothing changed.
		local -
		set -o pipefail
		"$PG_BIN/pg_dump" --no-owner -d "$DB_PSQL_URL" |
			grep -Ev '^(\\(un)?restrict |SELECT pg_catalog\.setval\()'
		;;
	mysql)
		# without the dump's date and AUTO_INCREMENT counters (an
		# INSERT rolled back still moves them, as PostgreSQL's
		# sequences)
		local -
		set -o pipefail
		mariadb-dump "${MY_ARGS[@]}" --skip-dump-date --skip-comments \
			--routines --triggers "$TEST_DB" |
			sed -E 's/ AUTO_INCREMENT=[0-9]+//'
		;;
	esac
}

# masked_url URL: URL with its password shown as ***, as retort prints it.
masked_url() {
	printf '%s\n' "$1" | sed -E 's#^([a-z0-9+]+://[^:/@]*):[^@/]*@#\1:***@#'
}

# hold_lock SECONDS [NAME]: another process takes the write lock retort uses and
# keeps it for SECONDS; returns once the lock is held. Sets LOCK_PID (kill
# it to release the lock at once: once `wait $LOCK_PID` returns, the lock
# is free) and, on PostgreSQL, HOLDER_PID (the holding session's backend
# pid, which retort names when it waits).
#   MySQL: GET_LOCK on retort's lock name (NAME, when given), held by the
#   mariadb client.
#   SQLite: a BEGIN IMMEDIATE transaction (Python's sqlite3).
#   PostgreSQL: psql holds retort's session advisory lock on the version
#   table retort_version (the key: lock_key() of pg_helpers.bash, which
#   mirrors src/run/drivers/postgres.c). The client is driven by
#   hold_lock.py, which unlocks and ends it when the time is up or it gets
#   SIGTERM, so that the server session never outlives LOCK_PID.
hold_lock() {
	local ready="$BATS_TEST_TMPDIR/lock.ready"
	rm -f "$ready"
	HOLDER_PID=
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
		local key
		key=$(pg_lock_key retort_version) || return 1
		"$PY" "$BATS_TEST_DIRNAME/hold_lock.py" "$1" "$ready" \
			"SELECT pg_catalog.pg_backend_pid() FROM (SELECT pg_catalog.pg_advisory_lock($key)) l;" \
			"SELECT pg_catalog.pg_advisory_unlock_all();" \
			"$PG_BIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 \
			-d "$DB_PSQL_URL" 3>&- &
		;;
	mysql)
		# GET_LOCK on retort's lock name (mysql.c: "retort:DB.TABLE"),
		# held by the mariadb client, driven as for PostgreSQL
		local name="${2:-retort:$TEST_DB.retort_version}"
		"$PY" "$BATS_TEST_DIRNAME/hold_lock.py" "$1" "$ready" \
			"SELECT IF(GET_LOCK('$name', 10) = 1, CONNECTION_ID(), '');" \
			"SELECT RELEASE_ALL_LOCKS();" \
			mariadb "${MY_ARGS[@]}" -N -B -n -D "$TEST_DB" 3>&- &
		;;
	esac
	LOCK_PID=$!
	BG_PIDS="${BG_PIDS:-} $LOCK_PID"
	local i
	for ((i = 0; i < 200; i++)); do
		if [ -s "$ready" ]; then
			[ "$DB_DIALECT" = sqlite ] || HOLDER_PID=$(head -n 1 "$ready")
			return 0
		fi
		sleep 0.05
	done
	echo "hold_lock: the lock holder did not start" >&2
	return 1
}

# pg_lock_key TABLE: the advisory lock key retort takes for a version
# table, from lock_key() in pg_helpers.bash (the one copy of the hash that
# mirrors src/run/drivers/postgres.c).
pg_lock_key() {
	(
		# shellcheck disable=SC1091
		. "$BATS_TEST_DIRNAME/pg_helpers.bash" >/dev/null 2>&1
		declare -F lock_key >/dev/null || {
			echo "pg_lock_key: pg_helpers.bash has no lock_key()" >&2
			exit 1
		}
		lock_key "$1"
	)
}

# ERE for the timestamps in PostgreSQL's lock messages
STAMP_RE='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'

# re_quote TEXT: TEXT with ERE metacharacters escaped.
re_quote() {
	printf '%s' "$1" | sed -E 's/[][\.^$*+?(){}|/]/\\&/g'
}

# expect_match WHAT ERE ACTUAL
expect_match() {
	if ! [[ "$3" =~ $2 ]]; then
		echo "$1 does not match /$2/"
		echo "--- actual"
		printf '%s\n' "$3"
		echo "---"
		[ -z "${status+x}" ] || show_run
		return 1
	fi
}

# lock_holder_re [HOLDER]: ERE for how retort names the lock's holder on
# PostgreSQL; HOLDER is `psql` (default: the hold_lock session, pid
# HOLDER_PID) or `retort` (another retort, any pid).
lock_holder_re() {
	if [ "$DB_DIALECT" = mysql ]; then
		case "${1:-psql}" in
		psql) echo "held by connection $HOLDER_PID \\([^@ ]+@[^ )]+\\)" ;;
		*) echo "held by connection [0-9]+ \\([^@ ]+@[^ )]+\\)" ;;
		esac
		return
	fi
	case "${1:-psql}" in
	psql) echo "held by pid $HOLDER_PID \\(psql, [^,]+, connected $STAMP_RE\\)" ;;
	*) echo "held by pid [0-9]+ \\($1, [^,]+, connected $STAMP_RE\\)" ;;
	esac
}

# lock_wait_re SECONDS [HOLDER]: ERE for the "retort: ..." line retort
# prints when it starts waiting for a lock held by HOLDER (see
# lock_holder_re; SQLite does not name the holder), with lock_timeout =
# SECONDS.
lock_wait_re() {
	local url
	url="$(re_quote "$(masked_url "$TEST_URL")")"
	case "$DB_DIALECT" in
	sqlite) echo "retort: waiting for another process to release the lock on $url \\(lock_timeout $1 s\\)" ;;
	*) echo "retort: waiting for the migration lock on $url, $(lock_holder_re "${2:-}") \\(lock_timeout $1 s\\)" ;;
	esac
}

# lock_fail_re SECONDS [HOLDER]: ERE for the error line of a retort that
# gave up waiting for the lock after lock_timeout = SECONDS.
lock_fail_re() {
	local url
	url="$(re_quote "$(masked_url "$TEST_URL")")"
	case "$DB_DIALECT" in
	sqlite) echo "retort: could not take the lock on $url within $1 s \\(lock_timeout\\): another process is writing to it" ;;
	*) echo "retort: could not take the migration lock on $url within $1 s \\(lock_timeout\\): $(lock_holder_re "${2:-}")" ;;
	esac
}

# db_wait_idle: wait (up to 20 s) until no other session is connected to
# the test database, e.g. the server session of a retort killed with
# SIGKILL, which the server ends once it notices. SQLite: nothing to wait
# for.
db_wait_idle() {
	[ "$DB_DIALECT" = sqlite ] && return 0
	local i n
	for ((i = 0; i < 400; i++)); do
		if [ "$DB_DIALECT" = mysql ]; then
			n=$(db_query "SELECT count(*) FROM information_schema.processlist
			              WHERE db = DATABASE() AND id <> CONNECTION_ID()") || n=
			[ "$n" = 0 ] && return 0
			sleep 0.05
			continue
		fi
		n=$(db_query "SELECT count(*) FROM pg_catalog.pg_stat_activity
		              WHERE datname = current_database()
		                AND pid <> pg_catalog.pg_backend_pid()") || n=
		[ "$n" = 0 ] && return 0
		sleep 0.05
	done
	echo "db_wait_idle: sessions still connected to $TEST_DB:" >&2
	db_query "SELECT pid, application_name, state, query FROM pg_catalog.pg_stat_activity
	          WHERE datname = current_database() AND pid <> pg_catalog.pg_backend_pid()" >&2
	return 1
}

# db_end_sessions: end every other session connected to the test database
# (pg_terminate_backend) and wait until they are gone, as the server would
# once it noticed that their client died. SQLite: nothing to do.
db_end_sessions() {
	[ "$DB_DIALECT" = sqlite ] && return 0
	if [ "$DB_DIALECT" = mysql ]; then
		local id
		for id in $(db_query "SELECT id FROM information_schema.processlist
		                      WHERE db = DATABASE() AND id <> CONNECTION_ID()"); do
			db_exec "KILL $id" 2>/dev/null || true
		done
		db_wait_idle
		return
	fi
	db_query "SELECT pg_catalog.pg_terminate_backend(pid) FROM pg_catalog.pg_stat_activity
	          WHERE datname = current_database() AND pid <> pg_catalog.pg_backend_pid()" >/dev/null &&
		db_wait_idle
}

# ---------------------------------------------------------------------------
# checksums

# section_checksum FILE upgrade|downgrade: the SHA-256 that retort records
# for a section (rt_section_checksum in src/script/script.c): the text between the
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

# have_alembic: Alembic, SQLAlchemy and, for PostgreSQL, SQLAlchemy's
# default driver (psycopg2) are there.
have_alembic() {
	local mods="alembic, sqlalchemy"
	case "${DB_DIALECT:-sqlite}" in
	postgresql) mods+=", psycopg2" ;;
	mysql) mods+=", pymysql" ;;
	esac
	[ -x "$PY" ] && "$PY" -c "import $mods" 2>/dev/null
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
		"$(alembic_url "$TEST_URL")" <<'EOF' || return 1
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

# alembic_url URL: the url for SQLAlchemy: a plain mysql:// or mariadb://
# (whose default driver, mysqlclient, Debian's tests do not install)
# becomes mysql+pymysql://.
alembic_url() {
	case "$1" in
	mysql://* | mariadb://*) echo "mysql+pymysql://${1#*://}" ;;
	*) echo "$1" ;;
	esac
}

# alembic_cmd DIR ARGS...: run Alembic on the project made by
# alembic_project (stdout in $output, stderr in $stderr).
alembic_cmd() {
	local dir="$1"
	shift
	run --separate-stderr "$PY" -m alembic -c "$dir/alembic.ini" "$@"
}

# ---------------------------------------------------------------------------
# more databases, revision sections (online_schema.bats)

# require_postgresql [why]: skip unless the database under test is
# PostgreSQL.
require_postgresql() {
	[ "$DB_DIALECT" = postgresql ] || skip "PostgreSQL only${1:+: $1}"
}

# scratch_dbs: the retort_scratch_<pid>_<n> databases of retort processes
# that no longer run (none on SQLite). Other test files share the server
# and may hold one meanwhile: a database still there after its process was
# found gone was left behind.
scratch_dbs() {
	local d pid
	for d in $(all_scratch_dbs); do
		pid="${d#retort_scratch_}"
		kill -0 "${pid%%_*}" 2>/dev/null && continue
		all_scratch_dbs | grep -qx "$d" && echo "$d"
	done
	return 0
}

all_scratch_dbs() {
	case "$DB_DIALECT" in
	postgresql) pg_databases | grep '^retort_scratch_' || true ;;
	mysql) my_test -e "SHOW DATABASES LIKE 'retort\\_scratch\\_%'" ;;
	esac
}

# require_server [WHY]: PostgreSQL or MySQL, not SQLite (no server).
require_server() {
	[ "$DB_DIALECT" != sqlite ] || skip "a database server only${1:+: $1}"
}

# db_other NAME: another fresh, empty database beside the test database,
# with the same server and credentials: OTHER_URL (for retort) and, for
# db_other_load, OTHER_FILE (SQLite: $BATS_TEST_TMPDIR/NAME.db) or
# OTHER_PSQL_URL (PostgreSQL: database ${TEST_DB}_NAME). PostgreSQL
# databases are listed in OTHER_DBS; drop them with db_drop_others (in
# teardown, before online_teardown).
db_other() {
	case "$DB_DIALECT" in
	sqlite)
		OTHER_FILE="$BATS_TEST_TMPDIR/$1.db"
		rm -f "$OTHER_FILE" "$OTHER_FILE-journal" "$OTHER_FILE-wal"
		OTHER_URL="sqlite:///$OTHER_FILE"
		;;
	postgresql)
		local db="${TEST_DB}_$1"
		psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
			"CREATE DATABASE $db${PG_OWNER:+ OWNER \"$PG_OWNER\"}" ||
			return 1
		OTHER_DBS="${OTHER_DBS:-} $db"
		OTHER_URL="${TEST_URL/\/$TEST_DB/\/$db}"
		OTHER_PSQL_URL="${DB_PSQL_URL/\/$TEST_DB/\/$db}"
		;;
	mysql)
		local db="${TEST_DB}_$1"
		my_admin "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db" ||
			return 1
		OTHER_DBS="${OTHER_DBS:-} $db"
		OTHER_DB="$db"
		OTHER_URL="${TEST_URL/\/$TEST_DB/\/$db}"
		;;
	esac
	export OTHER_URL
}

# db_other_load FILE: run the SQL of FILE on the last db_other database, in
# one transaction, stopping at the first error.
db_other_load() {
	case "$DB_DIALECT" in
	sqlite)
		{ echo "BEGIN;"; cat "$1"; echo "COMMIT;"; } |
			sqlite3 -batch -bail "$OTHER_FILE"
		;;
	postgresql)
		"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -1 -d "$OTHER_PSQL_URL" \
			-f "$1" >/dev/null
		;;
	mysql) mariadb "${MY_ARGS[@]}" -D "$OTHER_DB" <"$1" ;;
	esac
}

# db_drop_others: drop the PostgreSQL databases db_other made.
db_drop_others() {
	local db rc=0
	case "${DB_DIALECT:-}" in
	postgresql | mysql) ;;
	*) return 0 ;;
	esac
	for db in ${OTHER_DBS:-}; do
		if [ "$DB_DIALECT" = mysql ]; then
			my_admin "DROP DATABASE IF EXISTS $db" || rc=1
		else
			psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || rc=1
		fi
	done
	OTHER_DBS=
	return $rc
}

# pg_databases: the server's databases, sorted, one per line.
pg_databases() {
	"$PG_BIN/psql" -X -A -t -v ON_ERROR_STOP=1 "${PG_ADMIN[@]}" \
		-d "$PG_ADMIN_DB" -c "SELECT datname FROM pg_catalog.pg_database" |
		LC_ALL=C sort
}

# rev_section FILE upgrade|downgrade: the text of a revision file's section
# (the lines after its "-- migrate:" marker, up to the next marker).
rev_section() {
	awk -v kind="$2" '
		/^-- migrate:/ {
			split($0, w, /[ \t:]+/)
			insec = (w[3] == kind); next
		}
		insec' "$1"
}
