#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_schema_command.bats: the declared schema printed by a command
# (`schema_command` in retort.ini, {dialect} substituted, run by /bin/sh
# from the project folder under schema_command_timeout): check and
# autogenerate use it like a schema file; a command that is missing,
# fails, prints nothing, prints what is not DDL or hangs is a
# configuration error (exit 2) naming retort.ini:LINE and the command,
# with the database, the revision files and the scratch databases
# unchanged. On SQLite and PostgreSQL (see online_helpers.bash).

load online_helpers

setup() {
	online_setup
	VERSIONS="$PROJ/migrations/versions"
}

teardown() {
	online_teardown
}

rev_files() {
	find "$VERSIONS" -maxdepth 1 -name '*.sql' | LC_ALL=C sort
}

by_dialect() {
	case "$DB_DIALECT" in
	sqlite) printf '%s\n' "$1" ;;
	mysql) printf '%s\n' "${3-$2}" ;;
	*) printf '%s\n' "$2" ;;
	esac
}

# cmd_config COMMAND [MORE-LINES...]: retort.ini with schema_command =
# COMMAND on line 4.
cmd_config() {
	local c="$1"
	shift
	online_config "schema_command = ${c//%/%%}" "$@"
}

# A declared schema script in the project: tables author and book_<dialect>
# from its first argument.
write_ddl_script() {
	cat >"$PROJ/models.sh" <<'EOF2'
#!/bin/sh
# prints the declared schema for dialect $1; the cwd is the project
[ -f retort.ini ] || { echo "not run from the project folder" >&2; exit 9; }
cat <<SQL
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE book_$1 (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author (id));
SQL
EOF2
	chmod +x "$PROJ/models.sh"
}

# expect_refused STATUS MESSAGE: check, check --json and revision
# --autogenerate all fail with STATUS and exactly "retort: MESSAGE", write
# no revision, change nothing in the database, leave no scratch database.
expect_refused() {
	local before files scratch cmd
	before="$(db_dump)"
	files="$(rev_files)"
	scratch="$(scratch_dbs)"
	for cmd in "check" "--json check" "revision --autogenerate -m refused"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status "$1" || {
			echo "retort $cmd"
			return 1
		}
		expect_stdout "" || return 1
		expect_error "$2" || {
			echo "retort $cmd"
			return 1
		}
	done
	expect_eq "revision files" "$files" "$(rev_files)" || return 1
	expect_eq dump "$before" "$(db_dump)" || return 1
	expect_eq "scratch databases" "$scratch" "$(scratch_dbs)"
}

# at_head: one revision applied, so that a refused command has a database
# with something in it to leave alone.
at_head() {
	write_ddl_script
	cmd_config "./models.sh {dialect}"
	rt revision --autogenerate -m first
	expect_status 0 || return 1
	rt upgrade head
	expect_status 0 || return 1
	db_exec "INSERT INTO author (id, name) VALUES (1, 'Ann');"
}

@test "schema_command: its output is the declared schema, {dialect} substituted, run from the project folder; autogenerate, upgrade, check clean" {
	write_ddl_script
	cmd_config "./models.sh {dialect}"
	cd "$BATS_TEST_TMPDIR"
	rt -c "$PROJ/retort.ini" check
	expect_status 3
	expect_stdout "New upgrade operations detected:
  add table author
  add table book_$DB_DIALECT"
	rt -c "$PROJ/retort.ini" revision --autogenerate -m "from models"
	expect_status 0
	local rev
	rev="$(rev_files)"
	grep -q "^CREATE TABLE book_$DB_DIALECT " "$rev" || {
		cat "$rev"
		return 1
	}
	rt -c "$PROJ/retort.ini" upgrade head
	expect_status 0
	db_has_table "book_$DB_DIALECT"
	rt -c "$PROJ/retort.ini" check
	expect_status 0
	expect_stdout "No new upgrade operations detected."
	# a shell one-liner works as well, and %(here)s is interpolated
	cmd_config "./models.sh {dialect}; printf 'CREATE TABLE extra_%s (id INTEGER);' {dialect}"
	rt -c "$PROJ/retort.ini" check
	expect_status 3
	expect_stdout "New upgrade operations detected:
  add table extra_$DB_DIALECT"
}

@test "schema_command not found: exit status 127 and the shell's message, naming retort.ini:4; nothing changed" {
	at_head
	cmd_config "no-such-models-cmd --dialect {dialect}"
	expect_refused 2 "retort.ini:4: schema_command 'no-such-models-cmd --dialect $DB_DIALECT' failed with exit status 127: sh: 1: no-such-models-cmd: not found (127: the command was not found; is it installed and on PATH?)"
}

@test "schema_command failing: its exit status and the first lines of its stderr; nothing changed" {
	at_head
	cmd_config "echo 'Traceback (most recent call last):' >&2; echo 'ImportError: no module app' >&2; echo 'CREATE TABLE x (id INTEGER);'; exit 1"
	expect_refused 2 "retort.ini:4: schema_command 'echo 'Traceback (most recent call last):' >&2; echo 'ImportError: no module app' >&2; echo 'CREATE TABLE x (id INTEGER);'; exit 1' failed with exit status 1: Traceback (most recent call last): | ImportError: no module app"
	# killed by a signal
	cmd_config 'kill -9 $$'
	expect_refused 2 "retort.ini:4: schema_command 'kill -9 \$\$' was killed by signal 9 (nothing on standard error)"
}

@test "schema_command printing what is not DDL, or nothing: named as such; nothing changed" {
	at_head
	cmd_config "echo 'Usage: models [--dialect D]'"
	expect_refused 2 "retort.ini:4: schema_command 'echo 'Usage: models [--dialect D]'' printed something that does not load as $DB_DIALECT DDL: <stdout>:1: $(by_dialect \
		'near "Usage": syntax error' \
		'syntax error at or near "Usage" (SQLSTATE 42601)' \
		"You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version for the right syntax to use near 'Usage: models [--dialect D]' at line 1 (MySQL error 1064) (SQLSTATE 42000)")"
	cmd_config "printf '\\n  \\n'"
	expect_refused 2 "retort.ini:4: schema_command 'printf '\\n  \\n'' printed nothing; it must print the declared schema as $DB_DIALECT DDL on standard output"
}

@test "schema_command hanging: killed with its process group after schema_command_timeout; nothing changed" {
	at_head
	# a child in the background keeps the pipe open too: the whole group
	# is killed
	cmd_config "sleep 300 & echo \$! >'$BATS_TEST_TMPDIR/child'; sleep 300" "schema_command_timeout = 1"
	local t0=$SECONDS
	expect_refused 2 "retort.ini:4: schema_command 'sleep 300 & echo \$! >'$BATS_TEST_TMPDIR/child'; sleep 300' did not finish within 1 s and was killed (schema_command_timeout sets the limit)"
	[ $((SECONDS - t0)) -lt 30 ]
	local child
	child="$(cat "$BATS_TEST_TMPDIR/child")"
	[ -n "$child" ]
	# gone, or a zombie waiting for init to reap it
	local i
	for ((i = 0; i < 50; i++)); do
		kill -0 "$child" 2>/dev/null || break
		[ "$(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)" != Z ] || break
		sleep 0.1
	done
	[ "$i" -lt 50 ] || {
		echo "the command's child $child still runs"
		return 1
	}
	# one that closes both outputs and goes on: the timeout still holds
	cmd_config "exec >&- 2>&-; sleep 300" "schema_command_timeout = 1"
	t0=$SECONDS
	expect_refused 2 "retort.ini:4: schema_command 'exec >&- 2>&-; sleep 300' did not finish within 1 s and was killed (schema_command_timeout sets the limit)"
	[ $((SECONDS - t0)) -lt 30 ]
	cmd_config "true" "schema_command_timeout = 0"
	expect_refused 2 "retort.ini:5: schema_command_timeout must be a number of seconds above 0"
}

@test "schema and schema_command both set: one error naming both lines; nothing changed" {
	at_head
	cmd_config "./models.sh {dialect}" "schema = %(here)s/schema.sql"
	expect_refused 2 "retort.ini:4: schema_command and schema (line 5) are both set; the declared schema comes from one of them: remove the other"
}

@test "schema_command interrupted (SIGTERM): retort stops with 143 and the library's message, the command's process group is killed; nothing changed" {
	at_head
	cmd_config "echo \$\$ >'$BATS_TEST_TMPDIR/cmd.pid'; sleep 300; echo 'CREATE TABLE x (id INTEGER);'"
	local before
	before="$(db_dump)"
	"$RETORT" check >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" &
	local pid=$! i
	for ((i = 0; i < 100; i++)); do
		[ -s "$BATS_TEST_TMPDIR/cmd.pid" ] && break
		sleep 0.1
	done
	[ -s "$BATS_TEST_TMPDIR/cmd.pid" ]
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	expect_eq status 143 "$rc"
	expect_eq stderr "retort: interrupted while comparing the database with the declared schema; nothing changed" "$(cat "$BATS_TEST_TMPDIR/err")"
	local child
	child="$(cat "$BATS_TEST_TMPDIR/cmd.pid")"
	for ((i = 0; i < 50; i++)); do
		kill -0 "$child" 2>/dev/null || break
		[ "$(awk '{print $3}' "/proc/$child/stat" 2>/dev/null)" != Z ] || break
		sleep 0.1
	done
	[ "$i" -lt 50 ] || {
		echo "the command $child still runs"
		return 1
	}
	expect_eq dump "$before" "$(db_dump)"
}
