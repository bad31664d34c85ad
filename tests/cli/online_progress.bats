#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_progress.bats: live progress on stderr: the "Running upgrade A ->
# B, message ..." line is written when a revision starts, and a revision
# running longer than RETORT_PROGRESS_INTERVAL seconds gets lines with
# its elapsed time and the statement in flight (stderr is not a terminal
# here: one line per interval), then its line again with its time.

load online_helpers

setup() {
	online_setup
	export RETORT_PROGRESS_INTERVAL=0.3
}

teardown() {
	online_teardown
}

# a statement that runs for about a second
slow_sql() {
	case "$DB_DIALECT" in
	sqlite)
		echo "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 8000000)
SELECT count(*) FROM n;"
		;;
	mysql) echo "SELECT SLEEP(1.2);" ;;
	*) echo "SELECT pg_sleep(1.2);" ;;
	esac
}

@test "progress: a slow revision shows its elapsed time and statement while it runs" {
	table_chain r 1
	mkrev -m "slow one" r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$(slow_sql)" "DROP TABLE t_r002;"
	rt upgrade head
	expect_status 0
	# the fast one: one line, as before
	expect_eq "first line" "Running upgrade  -> r001, create r001 ... N ms" \
		"$(printf '%s\n' "$stderr" | head -1 | sed -E 's/ [0-9]+ ms$/ N ms/')"
	# the slow one: started, ticking with the statement, then its time
	expect_eq "second line" "Running upgrade r001 -> r002, slow one ..." \
		"$(printf '%s\n' "$stderr" | sed -n 2p)"
	ticks="$(printf "%s\n" "$stderr" | grep -c '^ *\.\.\. upgrade r001 -> r002, slow one: [0-9.]* s, running line 11: ' || true)"
	[ "$ticks" -ge 1 ] || { show_run; false; }
	expect_eq "last line" "Running upgrade r001 -> r002, slow one ... N ms" \
		"$(printf '%s\n' "$stderr" | tail -1 | sed -E 's/ [0-9]+ ms$/ N ms/')"
}

@test "progress: a slow revision that only reads or changes rows (one transaction, also on MySQL) shows its statement too" {
	table_chain r 1
	mkrev -m "slow one" r002 r001 "$(slow_sql)" "SELECT 1;"
	rt upgrade head
	expect_status 0
	ticks="$(printf "%s\n" "$stderr" | grep -c '^ *\.\.\. upgrade r001 -> r002, slow one: [0-9.]* s, running line 10: ' || true)"
	[ "$ticks" -ge 1 ] || { show_run; false; }
}

@test "progress: fast revisions print no ticks, -q prints nothing" {
	table_chain r 3
	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade  -> r001, create r001 ... N ms
Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq "other lines" "" "$(printf '%s\n' "$stderr" | grep -v '^Running ' || true)"
	rt -q downgrade base
	expect_status 0
	expect_eq stderr "" "$stderr"
}

@test "progress: the Running line is out before the revision ends" {
	table_chain r 1
	mkrev -m "slow one" r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$(slow_sql)" "DROP TABLE t_r002;"
	export RETORT_PROGRESS_INTERVAL=100
	"$RETORT" upgrade head 2>"$BATS_TEST_TMPDIR/err" &
	pid=$!
	# r002's line appears while it still runs
	for _ in $(seq 1 100); do
		grep -q "^Running upgrade r001 -> r002, slow one \.\.\.$" "$BATS_TEST_TMPDIR/err" && break
		sleep 0.02
	done
	run cat "$BATS_TEST_TMPDIR/err"
	kill -0 "$pid" || { echo "retort ended before its line was seen"; cat "$BATS_TEST_TMPDIR/err"; false; }
	expect_contains stderr "$output" "Running upgrade r001 -> r002, slow one ..."
	wait "$pid"
}
