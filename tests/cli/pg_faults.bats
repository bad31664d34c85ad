#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# pg_faults.bats: retort on PostgreSQL when things go wrong: unreachable or
# refusing servers, bad credentials, a missing database, failing
# revisions, a server restarted or a retort killed mid-run, the migration
# lock (waiting, lock_timeout, CREATE INDEX CONCURRENTLY in the holder),
# and eight deploys at once. Each test has its own database (see
# pg_helpers.bash); the database's state is checked with psql afterwards.

load pg_helpers

setup() {
	pg_setup
}

teardown() {
	pg_teardown
}

# child_pid PID: the (only) child process of PID.
child_pid() {
	ps -o pid= --ppid "$1" | tr -d ' ' | head -n 1
}

# hold_lock SECONDS [TABLE [SCHEMA]]: psql takes retort's advisory lock for
# SCHEMA.TABLE (default public.retort_version) in the test database and
# keeps it for SECONDS.
# Returns once the lock is held; HOLDER_PID is psql's backend pid.
hold_lock() {
	local key out="$BATS_TEST_TMPDIR/holder.out" n
	key=$(lock_key "${2:-retort_version}" "${3:-public}")
	rm -f "$out"
	psql_admin -A -t -d "$TEST_DB" \
		-c "SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock($key)) l" \
		-c "SELECT pg_sleep($1)" >"$out" 3>&- &
	BG_PIDS="$BG_PIDS $!"
	HOLDER_JOB=$!
	for ((n = 0; n < 200; n++)); do
		HOLDER_PID=$(head -n 1 "$out" 2>/dev/null || true)
		[ -n "$HOLDER_PID" ] && return 0
		sleep 0.05
	done
	echo "hold_lock: psql did not take the lock" >&2
	return 1
}

# ---------------------------------------------------------------------------
# connecting

@test "a refused connection (nothing listens on the port): one line, exit 1, for every command that connects" {
	chain r 2
	local url="postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:1/$TEST_DB"
	local msg="cannot connect to postgresql://$PG_USER:***@127.0.0.1:1/$TEST_DB: connection to server at \"127.0.0.1\", port 1 failed: Connection refused; Is the server running on that host and accepting TCP/IP connections?"
	local cmd
	for cmd in "upgrade head" "downgrade base" "stamp head" current "history -i" repair; do
		# shellcheck disable=SC2086
		rt --url "$url" $cmd
		expect_status 1
		expect_stdout ""
		expect_eq "stderr of $cmd" "retort: $msg" "$stderr"
	done
}

@test "a host that accepts but never answers: connect_timeout=1 bounds the wait" {
	local portfile="$BATS_TEST_TMPDIR/hang.port" port="" n t0 t1
	"$PY" -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
held = []
while True:
    held.append(s.accept()[0])
' "$portfile" 3>&- &
	BG_PIDS="$BG_PIDS $!"
	for ((n = 0; n < 100; n++)); do
		port=$(cat "$portfile" 2>/dev/null || true)
		[ -n "$port" ] && break
		sleep 0.05
	done
	mkrev r1 ""
	t0=$(date +%s)
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$TEST_DB?connect_timeout=1&sslmode=disable" upgrade head
	t1=$(date +%s)
	expect_status 1
	expect_stdout ""
	expect_eq stderr "retort: cannot connect to postgresql://$PG_USER:***@127.0.0.1:$port/$TEST_DB?connect_timeout=1&sslmode=disable: connection to server at \"127.0.0.1\", port $port failed: timeout expired" "$stderr"
	# libpq waits at least 2 s; well below the default of 10 s
	[ $((t1 - t0)) -le 6 ] || {
		echo "took $((t1 - t0)) s"
		return 1
	}
}

@test "a wrong password: one line, exit 1, neither password printed" {
	EXTRA_SECRETS=(wrong-pw-9d1c)
	mkrev r1 ""
	local cmd
	for cmd in "upgrade head" current; do
		# shellcheck disable=SC2086
		rt --url "postgresql://$PG_USER:wrong-pw-9d1c@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB" $cmd
		expect_status 1
		expect_stdout ""
		expect_eq "stderr of $cmd" "retort: cannot connect to $MASKED_URL: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: FATAL:  password authentication failed for user \"$PG_USER\"" "$stderr"
	done
	expect_eq tables "" "$(tables)"
}

@test "a missing database: one line, exit 1" {
	mkrev r1 ""
	local cmd
	for cmd in "upgrade head" current; do
		# shellcheck disable=SC2086
		rt --url "postgresql://$PG_USER:$PG_PASSWORD@$PG_TCP_HOST:$PG_TCP_PORT/${TEST_DB}_missing" $cmd
		expect_status 1
		expect_stdout ""
		expect_eq "stderr of $cmd" "retort: cannot connect to postgresql://$PG_USER:***@$PG_TCP_HOST:$PG_TCP_PORT/${TEST_DB}_missing: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: FATAL:  database \"${TEST_DB}_missing\" does not exist" "$stderr"
	done
	expect_eq "databases" "" "$(q "SELECT datname FROM pg_database WHERE datname = '${TEST_DB}_missing'")"
}

@test "a malformed url: exit 2, one line, the password masked" {
	mkrev r1 ""
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:99999/$TEST_DB" upgrade head
	expect_status 2
	expect_eq stderr "retort: invalid database url 'postgresql://$PG_USER:***@127.0.0.1:99999/$TEST_DB': bad port '99999'" "$stderr"
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:abc/$TEST_DB" current
	expect_status 2
	expect_eq stderr "retort: invalid database url 'postgresql://$PG_USER:***@127.0.0.1:abc/$TEST_DB': bad port 'abc'" "$stderr"
	# an unencoded '/' in the password
	EXTRA_SECRETS=(se/cret-pw)
	rt --url "postgresql://$PG_USER:se/cret-pw@127.0.0.1:$PG_TCP_PORT/$TEST_DB" upgrade head
	expect_status 2
	expect_eq stderr "retort: invalid database url 'postgresql://$PG_USER:***@127.0.0.1:$PG_TCP_PORT/$TEST_DB': bad port (write a '/' in the password as %2F)" "$stderr"
	rt --url "pgx://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_TCP_PORT/$TEST_DB" upgrade head
	expect_status 2
	expect_eq stderr "retort: unsupported database 'pgx' in url 'pgx://$PG_USER:***@127.0.0.1:$PG_TCP_PORT/$TEST_DB'" "$stderr"
	expect_eq tables "" "$(tables)"
}

# ---------------------------------------------------------------------------
# failing revisions

@test "a revision failing midway leaves the database exactly as before it; fixed, the next upgrade completes" {
	chain r 2
	rt upgrade head
	expect_status 0
	mkrev r03 r02 "CREATE TABLE t_r03 (id serial PRIMARY KEY, v text);
INSERT INTO t_r03 (v) VALUES ('a'), ('b');
ALTER TABLE t_r01 ADD COLUMN extra int;
UPDATE t_r03 SET v = v || '!';
INSERT INTO t_r03 (id, v) VALUES (1, 'duplicate');
CREATE TABLE t_r03b (id int);"
	mkrev r04 r03
	local before
	before=$(db_dump)
	rt upgrade head
	expect_status 1
	expect_stdout ""
	expect_eq progress "Running upgrade r02 -> r03, create r03 ... failed" "$(progress)"
	expect_error "$(revfile r03):14: duplicate key value violates unique constraint \"t_r03_pkey\": Key (id)=(1) already exists. (SQLSTATE 23505)"
	expect_eq dump "$before" "$(db_dump)"
	# the same, a second time: nothing was left half done
	rt upgrade head
	expect_status 1
	expect_eq dump "$before" "$(db_dump)"
	mkrev r03 r02 "CREATE TABLE t_r03 (id serial PRIMARY KEY, v text);
ALTER TABLE t_r01 ADD COLUMN extra int;"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade r02 -> r03, create r03 ... N ms
Running upgrade r03 -> r04, create r04 ... N ms" "$(progress)"
	expect_eq versions r04 "$(versions)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok r03:upgrade:ok r04:upgrade:ok" "$(log_rows)"
}

@test "the server restarted during a run: one line, exit 1, and the next upgrade head completes" {
	# a private server: restarting the shared one would break the tests
	# that run beside this one
	local dir exports url port
	dir=$(mktemp -d /tmp/retort-pg.XXXXXX)
	PRIVATE_SERVERS="$PRIVATE_SERVERS $dir"
	exports=$("$RETORT_SOURCE_DIR/tests/pg/server.sh" start "$dir" 3>&-)
	url=$(sed -n "s/^export RETORT_TEST_PG_URL='\(.*\)'$/\1/p" <<<"$exports")
	port=$(cat "$dir/port")
	[ -n "$url" ] && [ -n "$port" ]
	local masked
	masked=$(sed -E 's#^([a-z]+://[^:]+):[^@]*@#\1:***@#' <<<"$url")
	pq() {
		"$PG_BIN/psql" -X -q -A -t -h "$dir" -p "$port" -U postgres -d retort_test -c "$1"
	}
	mkrev r1 ""
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);
SELECT pg_sleep(4);"
	mkrev r3 r2
	rt_bg A --url "$url" upgrade head
	local n found=""
	for ((n = 0; n < 200; n++)); do
		found=$(pq "SELECT pid FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(4)%'" 2>/dev/null)
		[ -n "$found" ] && break
		sleep 0.05
	done
	[ -n "$found" ] || {
		echo "r2 never started"
		return 1
	}
	(
		cd "$dir" || exit 1
		if [ "$(id -u)" -eq 0 ]; then
			runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" restart -m fast -w
		else
			"$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" restart -m fast -w
		fi
	) >/dev/null 2>&1 3>&-
	rt_wait A
	expect_status 1
	expect_stdout ""
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... failed" "$(progress)"
	expect_error "$(revfile r2):11: terminating connection due to administrator command (SQLSTATE 57P01)"
	expect_eq versions r1 "$(pq "SELECT version_num FROM retort_version")"
	expect_eq "t_r2" "" "$(pq "SELECT tablename FROM pg_tables WHERE tablename = 't_r2'")"
	rt --url "$url" upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade r1 -> r2, create r2 ... N ms
Running upgrade r2 -> r3, create r3 ... N ms" "$(progress)"
	expect_eq versions r3 "$(pq "SELECT version_num FROM retort_version")"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok r3:upgrade:ok" \
		"$(pq "SELECT revision || ':' || direction || ':' || status FROM retort_log ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
	rt --url "$url" current -v
	expect_eq "current -v, line 1" "Current revision(s) for $masked:" "${lines[0]}"
}

@test "a retort killed during a revision: the revision is rolled back, the lock freed, the next upgrade completes" {
	mkrev r1 ""
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);
SELECT pg_sleep(1.5);"
	mkrev r3 r2
	rt_bg A upgrade head
	wait_for "SELECT pid FROM pg_stat_activity WHERE datname = '$TEST_DB' AND query LIKE 'SELECT pg_sleep(1.5)%'" >/dev/null
	local pid
	pid=$(child_pid "$BG_A")
	[ -n "$pid" ]
	kill -KILL "$pid"
	rt_wait A
	expect_status 137
	expect_eq versions r1 "$(versions)"
	rt upgrade head
	expect_status 0
	expect_eq "error lines" "" "$(error_lines | grep -v '^retort: waiting for the migration lock' || true)"
	expect_eq progress "Running upgrade r1 -> r2, create r2 ... N ms
Running upgrade r2 -> r3, create r3 ... N ms" "$(progress)"
	expect_eq versions r3 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok r3:upgrade:ok" "$(log_rows)"
}

@test "a retort killed during a transaction:false section leaves the database dirty (never finished) until repair" {
	mkrev r1 ""
	mkrev -o transaction:false r2 r1 "CREATE TABLE t_r2 (id int);
SELECT pg_sleep(1.5);"
	mkrev r3 r2
	rt_bg A upgrade head
	wait_for "SELECT pid FROM pg_stat_activity WHERE datname = '$TEST_DB' AND query LIKE 'SELECT pg_sleep(1.5)%'" >/dev/null
	local pid started
	pid=$(child_pid "$BG_A")
	[ -n "$pid" ]
	expect_eq "running row" "r2|running|$pid" "$(q "SELECT revision || '|' || status || '|' || pid FROM retort_log WHERE status <> 'ok'")"
	kill -KILL "$pid"
	rt_wait A
	expect_status 137
	started=$(q "SELECT started_at FROM retort_log WHERE revision = 'r2'")
	rt upgrade head
	expect_status 1
	expect_eq "error lines" "retort: the database is dirty: upgrade of revision r2 (transaction:false) started at $started by $(uname -n) pid $pid, which is no longer running, and never finished; check what it did, fix the database by hand, then run 'retort repair'" \
		"$(error_lines | grep -v '^retort: waiting for the migration lock' || true)"
	expect_eq versions r1 "$(versions)"
	# CREATE TABLE ran in its own transaction: it stays
	expect_eq tables "public.retort_log public.retort_version public.t_r1 public.t_r2" "$(tables)"
	q "DROP TABLE t_r2"
	rt repair
	expect_status 0
	expect_eq repair "marked the running upgrade of revision r2 (started $started) as repaired
the version table does not record that upgrade of r2: if you completed it by hand, stamp the revision it was moving to ('retort stamp REV'); otherwise the next run does it again" "$stderr"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r3 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:repaired r2:upgrade:ok r3:upgrade:ok" "$(log_rows)"
}

# ---------------------------------------------------------------------------
# the lock

@test "a second retort waits for the lock, names the holder's pid, then runs" {
	chain r 2
	hold_lock 2.5
	local t0 t1
	t0=$(date +%s%N)
	rt upgrade head
	t1=$(date +%s%N)
	expect_status 0
	expect_stdout ""
	expect_match "lock wait line" \
		"^retort: waiting for the migration lock on $(re_quote "$MASKED_URL"), held by pid $HOLDER_PID \\(psql, local, connected $STAMP_RE\\) \\(lock_timeout 60 s\\)\$" \
		"$(error_lines)"
	expect_eq progress "Running upgrade  -> r01, create r01 ... N ms
Running upgrade r01 -> r02, create r02 ... N ms" "$(progress)"
	# it ran once psql let go, not before
	[ $(((t1 - t0) / 1000000)) -ge 1500 ] || {
		echo "retort did not wait: $(((t1 - t0) / 1000000)) ms"
		return 1
	}
	expect_eq versions r02 "$(versions)"
}

@test "lock_timeout = 1: exit 1 with the lock message, nothing changed" {
	pg_config "lock_timeout = 1"
	chain r 2
	hold_lock 4
	rt upgrade head
	expect_status 1
	expect_stdout ""
	local who
	who="held by pid $HOLDER_PID \\(psql, local, connected $STAMP_RE\\)"
	expect_match "stderr" \
		"^retort: waiting for the migration lock on $(re_quote "$MASKED_URL"), $who \\(lock_timeout 1 s\\)
retort: could not take the migration lock on $(re_quote "$MASKED_URL") within 1 s \\(lock_timeout\\): $who\$" \
		"$stderr"
	expect_eq tables "" "$(tables)"
	# version_table_schema is part of the lock's name
	q "CREATE SCHEMA deploy"
	pg_config "lock_timeout = 1" "version_table_schema = deploy"
	hold_lock 4 retort_version deploy
	rt upgrade head
	expect_status 1
	expect_match "last line" "^retort: could not take the migration lock on $(re_quote "$MASKED_URL") within 1 s \\(lock_timeout\\): held by pid $HOLDER_PID " "$(error_lines | tail -n 1)"
	expect_eq tables "" "$(tables)"
}

@test "a waiting retort does not deadlock with CREATE INDEX CONCURRENTLY in the holder's transaction:false section" {
	mkrev r1 "" "CREATE TABLE big (id int);
INSERT INTO big SELECT generate_series(1, 5000);
SELECT pg_sleep(2);"
	mkrev -o transaction:false r2 r1 "CREATE INDEX CONCURRENTLY big_id ON big (id);" "DROP INDEX big_id;"
	rt_bg A upgrade head
	# A holds the lock (its backend's pid) while r1 sleeps
	local apid
	apid=$(wait_for "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
	                 AND database = (SELECT oid FROM pg_database WHERE datname = '$TEST_DB')")
	sleep 0.5
	rt_bg B upgrade head
	rt_wait A
	expect_status 0
	expect_no_error
	expect_eq "A's progress" "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... N ms" "$(progress)"
	rt_wait B
	expect_status 0
	expect_match "B's lock wait" \
		"^retort: waiting for the migration lock on $(re_quote "$MASKED_URL"), held by pid $apid \\(retort, 127\\.0\\.0\\.1, connected $STAMP_RE\\) \\(lock_timeout 60 s\\)\$" \
		"$(error_lines)"
	expect_eq "B's progress" "" "$(progress)"
	# B ended after A committed r2 (A's process itself may take longer to
	# exit than B: it ran more)
	local a_done b_end
	a_done=$(q "SELECT (extract(epoch FROM started_at) * 1000 + duration_ms)::bigint
	            FROM retort_log WHERE revision = 'r2'")
	b_end=$(($(cat "$BATS_TEST_TMPDIR/B.end") / 1000000))
	[ "$b_end" -gt "$a_done" ] || {
		echo "B ended at $b_end, before A finished r2 at $a_done"
		return 1
	}
	expect_eq "index valid" t "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_id'::regclass")"
	expect_eq versions r2 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok" "$(log_rows)"
}

@test "8 concurrent upgrade head on 30 revisions: all exit 0, each revision applied exactly once" {
	local prev="" id n
	for ((n = 1; n <= 30; n++)); do
		printf -v id 'c%02d' "$n"
		mkrev "$id" "$prev" "CREATE TABLE t_$id (id int PRIMARY KEY);
INSERT INTO t_$id VALUES (1);"
		prev="$id"
	done
	for n in 1 2 3 4 5 6 7 8; do
		rt_bg "P$n" upgrade head
	done
	local total=0
	for n in 1 2 3 4 5 6 7 8; do
		rt_wait "P$n"
		expect_status 0
		expect_stdout ""
		expect_eq "P$n error lines" "" "$(error_lines | grep -v '^retort: waiting for the migration lock on ' || true)"
		total=$((total + $(progress | grep -c . || true)))
	done
	expect_eq "revisions run" 30 "$total"
	expect_eq versions c30 "$(versions)"
	expect_eq "log rows" 30 "$(q "SELECT count(*) FROM retort_log")"
	expect_eq "revisions not applied exactly once" "" \
		"$(q "SELECT revision FROM retort_log GROUP BY revision HAVING count(*) <> 1")"
	expect_eq "distinct revisions" 30 "$(q "SELECT count(DISTINCT revision) FROM retort_log WHERE status = 'ok' AND direction = 'upgrade'")"
	expect_eq "tables" 30 "$(q "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_c%'")"
	expect_eq "rows" 30 "$(q "SELECT $(for ((n = 1; n <= 30; n++)); do printf '(SELECT count(*) FROM t_c%02d) + ' "$n"; done) 0")"
}
