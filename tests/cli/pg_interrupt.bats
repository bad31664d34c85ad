#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# pg_interrupt.bats: Ctrl-C (SIGINT) and SIGTERM on PostgreSQL. retort
# must not leave its statement running on the server (holding an ACCESS
# EXCLUSIVE lock and the migration lock): it cancels it, rolls the
# revision back, releases the lock, names the revision and exits 130 or
# 143. The same for the scratch database of `check`, which must not stay
# behind, and one left by a retort that died is dropped by the next run.

load pg_helpers

setup() {
	pg_setup
	EXTRA_DBS=
	# A non-interactive shell starts background jobs with SIGINT ignored
	# (and retort keeps an ignored signal ignored): run retort with the
	# default restored, as in a terminal.
	local real="$RETORT"
	RETORT="$BATS_TEST_TMPDIR/retort-sigint"
	printf '#!%s\nimport os, signal, sys\nsignal.signal(signal.SIGINT, signal.SIG_DFL)\nos.execv(%s, [%s] + sys.argv[1:])\n' \
		"$PY" "'$real'" "'$real'" >"$RETORT"
	chmod +x "$RETORT"
}

teardown() {
	local d
	for d in $EXTRA_DBS; do
		psql_admin -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" 2>/dev/null || true
	done
	pg_teardown
}

# child_pid PID: the (only) child process of PID: retort, under rt_bg.
child_pid() {
	ps -o pid= --ppid "$1" | tr -d ' ' | head -n 1
}

# start_slow NAME ARGS...: rt_bg NAME ARGS, then wait until its session
# runs `SELECT pg_sleep(30)` (in any database); RT_PID is retort's pid.
start_slow() {
	local name="$1"
	shift
	rt_bg "$name" "$@"
	local n found=""
	for ((n = 0; n < 200; n++)); do
		found=$(psql_admin -A -t -d postgres -c "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(30)%' AND application_name = 'retort' AND (datname = '$TEST_DB' OR datname LIKE 'retort\\_scratch\\_%')" 2>/dev/null) || found=
		[ -n "$found" ] && break
		sleep 0.05
	done
	[ -n "$found" ] || {
		echo "the slow statement never started"
		return 1
	}
	eval "RT_PID=\$(child_pid \$BG_$name)"
	[ -n "$RT_PID" ]
}

# stop SIGNAL NAME: send SIGNAL to the retort of start_slow, wait for it;
# took_ms is how long it took to exit.
stop() {
	local t0
	t0=$(date +%s%N)
	kill -"$1" "$RT_PID"
	rt_wait "$2"
	took_ms=$((($(date +%s%N) - t0) / 1000000))
}

expect_fast() {
	[ "$took_ms" -le "$1" ] || {
		echo "retort took $took_ms ms to stop (at most $1 expected)"
		show_run
		return 1
	}
}

# expect_released: no retort session on the server, no advisory lock. A
# client that has exited leaves its backend to finish asynchronously (and
# a late cancel request may cancel retort's own unlock, which the session's
# end then does): wait up to 3 s for the server to catch up.
expect_released() {
	# this test's sessions only: other test files run at the same time on
	# the same server (ctest -j), each in its own database
	local mine="application_name = 'retort' AND (datname = '$TEST_DB' OR datname LIKE 'retort\\_scratch\\_${RT_PID:-0}\\_%')"
	local locks="SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
	local n
	for ((n = 0; n < 60; n++)); do
		[ -z "$(psql_admin -A -t -d postgres -c "SELECT 1 FROM pg_stat_activity WHERE $mine")" ] &&
			[ "$(q "$locks")" = 0 ] && break
		sleep 0.05
	done
	expect_eq "retort sessions" "" "$(psql_admin -A -t -d postgres -c "SELECT pid || ' ' || coalesce(datname, '') || ' ' || query FROM pg_stat_activity WHERE $mine")"
	expect_eq "advisory locks" 0 "$(q "$locks")"
}

slow_revisions() {
	mkrev r1 "" "CREATE TABLE t (id int);"
	mkrev r2 r1 "ALTER TABLE t ADD COLUMN x int;
SELECT pg_sleep(30);
ALTER TABLE t ADD COLUMN y int;"
	mkrev r3 r2
}

columns() {
	q "SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0"
}

# after_stop: the database is as r1 left it; with the sleep edited out,
# upgrade head completes.
expect_resumable() {
	expect_eq versions r1 "$(versions)"
	expect_eq log "r1:upgrade:ok" "$(log_rows)"
	expect_eq columns "id" "$(columns)"
	mkrev r2 r1 "ALTER TABLE t ADD COLUMN x int;
ALTER TABLE t ADD COLUMN y int;"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade r1 -> r2, create r2 ... N ms
Running upgrade r2 -> r3, create r3 ... N ms" "$(progress)"
	expect_eq versions r3 "$(versions)"
	expect_eq columns "id x y" "$(columns)"
}

@test "SIGINT during a revision: cancelled on the server, rolled back, lock released, exit 130 naming the revision" {
	slow_revisions
	start_slow A upgrade head
	# it holds ACCESS EXCLUSIVE on t while it sleeps
	expect_eq "lock on t" AccessExclusiveLock "$(q "SELECT mode FROM pg_locks WHERE relation = 't'::regclass AND granted AND mode = 'AccessExclusiveLock'")"
	stop INT A
	expect_status 130
	expect_fast 5000
	expect_stdout ""
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... interrupted" "$(progress)"
	expect_error "interrupted while running upgrade r1 -> r2 ($(revfile r2):11); rolled back, nothing recorded"
	expect_released
	expect_resumable
}

@test "SIGTERM during a revision: the same, exit 143" {
	slow_revisions
	start_slow A upgrade head
	stop TERM A
	expect_status 143
	expect_fast 5000
	expect_error "interrupted while running upgrade r1 -> r2 ($(revfile r2):11); rolled back, nothing recorded"
	expect_released
	expect_resumable
}

@test "SIGINT during a downgrade: rolled back, exit 130" {
	mkrev r1 "" "CREATE TABLE t (id int);"
	mkrev r2 r1 "ALTER TABLE t ADD COLUMN x int;" "ALTER TABLE t DROP COLUMN x;
SELECT pg_sleep(30);"
	rt upgrade head
	expect_status 0
	start_slow A downgrade r1
	stop INT A
	expect_status 130
	expect_fast 5000
	expect_error "interrupted while running downgrade r2 -> r1 ($(revfile r2):14); rolled back, nothing recorded"
	expect_released
	expect_eq versions r2 "$(versions)"
	expect_eq columns "id x" "$(columns)"
}

@test "SIGINT with transaction_per_migration = false: every revision of the run rolled back" {
	pg_config "transaction_per_migration = false"
	slow_revisions
	start_slow A upgrade head
	stop INT A
	expect_status 130
	expect_fast 5000
	expect_error "interrupted while running upgrade r1 -> r2 ($(revfile r2):11); rolled back, nothing recorded (transaction_per_migration = false: every revision of this run was rolled back)"
	expect_released
	expect_eq tables "" "$(tables)"
}

@test "SIGINT during a transaction:false section: what ran stays, the database is marked dirty, exit 130 saying so" {
	mkrev r1 "" "CREATE TABLE t (id int);"
	mkrev -o transaction:false r2 r1 "CREATE INDEX CONCURRENTLY t_id ON t (id);
SELECT pg_sleep(30);
ALTER TABLE t ADD COLUMN y int;"
	start_slow A upgrade head
	stop INT A
	expect_status 130
	expect_fast 5000
	expect_error "interrupted while running upgrade r1 -> r2 ($(revfile r2):11); it ran outside a transaction (transaction:false): what it did before that statement stays, and the database is now marked dirty; check what it did, fix it by hand, then run 'retort repair'"
	expect_released
	expect_eq versions r1 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:failed" "$(log_rows)"
	expect_eq "index" t_id "$(q "SELECT indexname FROM pg_indexes WHERE tablename = 't'")"
	expect_eq "failure" "$(revfile r2):11: canceling statement due to user request (SQLSTATE 57014)" "$(q "SELECT message FROM retort_log WHERE status = 'failed'")"
	# the cancelled statement did not complete: the next upgrade would
	# resume there; other writes refuse
	expect_eq "progress" 1 "$(q "SELECT statements_done FROM retort_log WHERE status = 'failed'")"
	rt stamp head
	expect_status 1
	expect_match "dirty" "^retort: the database is dirty: upgrade of revision r2 \\(transaction:false\\) failed at " "$(error_lines)"
}

@test "SIGINT while waiting for the migration lock: exit 130 at once, nothing changed" {
	mkrev r1 ""
	local key out="$BATS_TEST_TMPDIR/holder.out" n
	key=$(lock_key retort_version)
	psql_admin -A -t -d "$TEST_DB" -c "SELECT pg_advisory_lock($key)" -c "SELECT pg_sleep(30)" >"$out" 3>&- &
	BG_PIDS="$BG_PIDS $!"
	wait_for "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted" >/dev/null
	rt_bg A upgrade head
	for ((n = 0; n < 200; n++)); do
		grep -q 'waiting for the migration lock' "$OUT_DIR"/run.*.err 2>/dev/null && break
		sleep 0.05
	done
	RT_PID=$(child_pid "$BG_A")
	stop INT A
	expect_status 130
	expect_fast 3000
	expect_eq "last line" "retort: interrupted while waiting for the migration lock on $MASKED_URL; nothing changed" "$(error_lines | tail -n 1)"
	expect_eq tables "" "$(tables)"
}

# ---------------------------------------------------------------------------
# check: the scratch database

@test "SIGINT while check loads the declared schema: the scratch database is dropped, exit 130" {
	mkrev r1 "" -
	rt upgrade head
	expect_status 0
	printf 'CREATE TABLE a (id int);\nSELECT pg_sleep(30);\nCREATE TABLE b (id int);\n' >"$PROJ/schema.sql"
	pg_config "schema = %(here)s/schema.sql"
	start_slow A check
	local scratch
	scratch=$(q "SELECT datname FROM pg_database WHERE datname LIKE 'retort\\_scratch\\_$RT_PID\\_%'")
	[ -n "$scratch" ] || {
		echo "no scratch database for pid $RT_PID"
		return 1
	}
	stop INT A
	expect_status 130
	expect_fast 5000
	expect_error "interrupted while loading the declared schema $PROJ/schema.sql into a scratch database; it is dropped, nothing else changed"
	expect_eq "scratch database" "" "$(q "SELECT datname FROM pg_database WHERE datname = '$scratch'")"
	expect_released
}

@test "a scratch database left by a check that died is dropped by the next check; nothing else is" {
	mkrev r1 "" -
	rt upgrade head
	expect_status 0
	printf 'CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n' >"$PROJ/schema.sql"
	pg_config "schema = %(here)s/schema.sql"
	start_slow A check
	local stale
	stale=$(q "SELECT datname FROM pg_database WHERE datname LIKE 'retort\\_scratch\\_$RT_PID\\_%'")
	[ -n "$stale" ]
	EXTRA_DBS="$stale"
	kill -KILL "$RT_PID"
	rt_wait A
	expect_status 137
	# its server session ends once the server notices; do it now
	psql_admin -d postgres -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$stale'" >/dev/null
	wait_for "SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '$stale')" >/dev/null
	expect_eq "left behind" "$stale" "$(q "SELECT datname FROM pg_database WHERE datname = '$stale'")"
	# look-alikes that must stay: a live pid, another host, no comment,
	# a name that is not exactly retort_scratch_<pid>_<n>
	local dead live=$$ host
	host=$(uname -n)
	dead=$(sh -c 'echo $$')
	local live_db="retort_scratch_${live}_1" other_db="retort_scratch_${dead}_2"
	local bare_db="retort_scratch_${dead}_3" odd_db="retort_scratch_${dead}_4x"
	EXTRA_DBS="$EXTRA_DBS $live_db $other_db $bare_db $odd_db"
	psql_admin -d postgres -q -c "CREATE DATABASE $live_db" -c "COMMENT ON DATABASE $live_db IS 'retort scratch database of pid $live on host $host'" \
		-c "CREATE DATABASE $other_db" -c "COMMENT ON DATABASE $other_db IS 'retort scratch database of pid $dead on host not-$host'" \
		-c "CREATE DATABASE $bare_db" \
		-c "CREATE DATABASE $odd_db" -c "COMMENT ON DATABASE $odd_db IS 'retort scratch database of pid $dead on host $host'"
	printf 'CREATE TABLE a (id int);\n' >"$PROJ/schema.sql"
	rt check
	expect_status 3
	expect_eq "dropped" "dropped the scratch database $stale left behind by retort pid $RT_PID, which is no longer running" \
		"$(printf '%s\n' "$stderr" | grep '^dropped ')"
	expect_eq "stale" "" "$(q "SELECT datname FROM pg_database WHERE datname = '$stale'")"
	expect_eq "look-alikes" "$(printf '%s\n' "$live_db" "$other_db" "$bare_db" "$odd_db" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')" \
		"$(q "SELECT string_agg(datname, ' ' ORDER BY datname COLLATE \"C\") FROM pg_database WHERE datname IN ('$live_db', '$other_db', '$bare_db', '$odd_db')")"
}
