#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_interrupt.bats: Ctrl-C (SIGINT) and SIGTERM during a run, on
# SQLite and PostgreSQL: the statement in flight stops (sqlite3_interrupt,
# a PostgreSQL cancel request), the revision is rolled back and not
# recorded, retort names it and exits 130 or 143, and the next run
# completes. (pg_interrupt.bats checks the server side in detail.)

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

# a statement that runs for minutes
slow_sql() {
	case "$DB_DIALECT" in
	sqlite) echo "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5000000000)
SELECT count(*) FROM n;" ;;
	mysql) echo "SELECT SLEEP(600);" ;;
	*) echo "SELECT pg_sleep(600);" ;;
	esac
}

# start_slow ARGS...: retort ARGS in the background (PID, ERR), returning
# once its slow statement runs. A non-interactive shell starts background
# jobs with SIGINT ignored (and retort keeps an ignored signal ignored):
# restore the default first, as in a terminal.
start_slow() {
	ERR="$BATS_TEST_TMPDIR/slow.err"
	"$PY" -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$RETORT" "$@" >"$BATS_TEST_TMPDIR/slow.out" 2>"$ERR" 3>&- &
	PID=$!
	BG_PIDS="$PID"
	local i
	for ((i = 0; i < 200; i++)); do
		case "$DB_DIALECT" in
		sqlite) [ -e "$DB_FILE-journal" ] && break ;;
		mysql) [ -n "$(db_query "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(600)%'")" ] && break ;;
		*) [ -n "$(db_query "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(600)%'")" ] && break ;;
		esac
		sleep 0.05
	done
	# (SQLite: the journal appears with the CREATE TABLE just before it)
	sleep 0.3
}

# stop SIGNAL: send it to the run of start_slow and wait; status, stderr
# and took_ms describe the run.
stop() {
	local t0
	t0=$(date +%s%N)
	kill -"$1" "$PID"
	status=0
	wait "$PID" || status=$?
	took_ms=$((($(date +%s%N) - t0) / 1000000))
	BG_PIDS=
	stderr=$(cat "$ERR")
	output=$(cat "$BATS_TEST_TMPDIR/slow.out")
	[ "$took_ms" -le 5000 ] || {
		echo "retort took $took_ms ms to stop"
		return 1
	}
}

@test "SIGINT during a revision: exit 130, the revision named and rolled back; the next run completes" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$(slow_sql)"
	mkrev r003 r002
	rt upgrade r001
	expect_status 0
	start_slow upgrade head
	stop INT
	expect_eq status 130 "$status"
	expect_stdout ""
	expect_eq versions r001 "$(db_versions)"
	if db_transactional_ddl; then
		expect_error "interrupted while running upgrade r001 -> r002 ($(revfile r002):11); rolled back, nothing recorded"
		expect_eq "r002 table" "" "$(db_tables | grep t_r002 || true)"
	else
		# MySQL: the CREATE TABLE stays; the next run goes on after it
		expect_error "interrupted while running upgrade r001 -> r002 ($(revfile r002):11); MySQL cannot roll back DDL: the 1 statements before it ran and stay, and the database is now marked dirty at statement 2; run the same command again to go on from there, or undo them by hand and run 'retort repair'"
		expect_eq "r002 table" t_r002 "$(db_tables | grep t_r002 || true)"
	fi
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);"
	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq versions r003 "$(db_versions)"
}

@test "SIGTERM during a revision: exit 143, rolled back" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$(slow_sql)"
	rt upgrade r001
	expect_status 0
	start_slow upgrade head
	stop TERM
	expect_eq status 143 "$status"
	expect_eq versions r001 "$(db_versions)"
	if db_transactional_ddl; then
		expect_error "interrupted while running upgrade r001 -> r002 ($(revfile r002):11); rolled back, nothing recorded"
		expect_eq "r002 table" "" "$(db_tables | grep t_r002 || true)"
	else
		expect_error "interrupted while running upgrade r001 -> r002 ($(revfile r002):11); MySQL cannot roll back DDL: the 1 statements before it ran and stay, and the database is now marked dirty at statement 2; run the same command again to go on from there, or undo them by hand and run 'retort repair'"
		expect_eq "r002 table" t_r002 "$(db_tables | grep t_r002 || true)"
	fi
}

@test "SIGINT during a transaction:false section: exit 130, the database marked dirty" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$(slow_sql)"
	rt upgrade r001
	expect_status 0
	start_slow upgrade head
	stop INT
	expect_eq status 130 "$status"
	expect_error "interrupted while running upgrade r001 -> r002 ($(revfile r002):11); it ran outside a transaction (transaction:false): what it did before that statement stays, and the database is now marked dirty; check what it did, fix it by hand, then run 'retort repair'"
	expect_eq versions r001 "$(db_versions)"
	expect_eq "r002 table" t_r002 "$(db_tables | grep t_r002 || true)"
	# the interrupted statement did not complete: the row says 1 done
	expect_eq "log row" "failed|1" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	rt stamp head
	expect_status 1
	expect_contains "error" "$(error_lines)" "retort: the database is dirty: upgrade of revision r002 (transaction:false) failed at "
}
