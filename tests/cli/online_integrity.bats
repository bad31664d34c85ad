#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_integrity.bats: nothing is recorded that did not happen. SQL that
# would end retort's transaction or wait for client data is refused before
# anything runs; bookkeeping survives a revision that moves search_path;
# repair refuses to touch a live run; a stale "running" row is told from a
# live one. Runs on SQLite and on PostgreSQL.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

# ---------------------------------------------------------------------------
# transaction control and COPY in sections

@test "ROLLBACK in a transactional section: refused with file:line, nothing runs" {
	mkrev r0 ""
	rt upgrade head
	expect_status 0
	before=$(db_dump)
	mkrev r1 r0 "CREATE TABLE t_r1 (id INTEGER PRIMARY KEY);
INSERT INTO t_r1 VALUES (1);
ROLLBACK;"
	rt upgrade head
	expect_status 2
	expect_error "$(revfile r1):12: ROLLBACK in a transactional section: it would end the transaction that revision r1 runs and is recorded in; remove it (retort wraps each revision in a transaction), or mark the section transaction:false"
	expect_eq "database" "$before" "$(db_dump)"
}

@test "a pasted BEGIN ... COMMIT script is refused at the BEGIN; earlier state kept" {
	mkrev r0 ""
	rt upgrade head
	expect_status 0
	before=$(db_dump)
	mkrev r1 r0 "BEGIN TRANSACTION;
CREATE TABLE t_r1 (id INTEGER PRIMARY KEY);
COMMIT;"
	rt upgrade head
	expect_status 2
	expect_error "$(revfile r1):10: BEGIN TRANSACTION in a transactional section: it would end the transaction that revision r1 runs and is recorded in; remove it (retort wraps each revision in a transaction), or mark the section transaction:false"
	expect_eq "database" "$before" "$(db_dump)"
	expect_eq "versions" "r0" "$(db_versions)"
}

@test "COMMIT is refused in --sql output too, and in downgrade sections" {
	mkrev r0 "" "CREATE TABLE t_r0 (id INTEGER);" "DROP TABLE t_r0;
COMMIT;"
	rt upgrade head --sql
	expect_status 0
	rt upgrade head
	expect_status 0
	rt downgrade --sql r0:base
	expect_status 2
	expect_contains stderr "$stderr" "$(revfile r0):14: COMMIT in a transactional section"
	rt downgrade base
	expect_status 2
	expect_eq "versions" "r0" "$(db_versions)"
	db_has_table t_r0
}

@test "savepoints, ROLLBACK TO and words in strings and trigger bodies are fine" {
	mkrev r0 "" "CREATE TABLE t_r0 (id INTEGER, note TEXT);
SAVEPOINT a;
INSERT INTO t_r0 VALUES (1, 'COMMIT; ROLLBACK; BEGIN');
ROLLBACK TO SAVEPOINT a;
RELEASE SAVEPOINT a;
-- COMMIT in a comment
INSERT INTO t_r0 VALUES (2, 'end');"
	rt upgrade head
	expect_status 0
	expect_eq "rows" "2|end" "$(db_query "SELECT id, note FROM t_r0")"
	expect_eq "versions" "r0" "$(db_versions)"
}

@test "transaction control runs in a transaction:false section" {
	mkrev -o transaction:false r0 "" "BEGIN;
CREATE TABLE t_r0 (id INTEGER);
COMMIT;"
	rt upgrade head
	expect_status 0
	expect_eq "versions" "r0" "$(db_versions)"
	db_has_table t_r0
}

@test "COPY FROM stdin: refused at its line within a second, lock released" {
	require_postgresql "COPY"
	mkrev r0 "" "CREATE TABLE t_r0 (id INTEGER, v TEXT);
COPY t_r0 (id, v) FROM stdin;
1	one
\\.
"
	run --separate-stderr timeout 10 "$RETORT" upgrade head
	expect_status 2
	expect_error "$(revfile r0):11: COPY with data from the client (FROM STDIN or TO STDOUT) cannot run from a revision file (revision r0); use INSERT statements, or COPY from a file on the database server"
	run db_is_fresh
	[ "$status" -eq 0 ]
	mkrev -o transaction:false r0 "" "COPY t_x FROM STDIN;"
	run --separate-stderr timeout 10 "$RETORT" upgrade head
	expect_status 2
	expect_contains stderr "$stderr" "$(revfile r0):10: COPY with data from the client"
}

# ---------------------------------------------------------------------------
# the resolved version table: lock key and bookkeeping

@test "two spellings of the version table take one lock: a backfill runs once (4 deploys, 10 rounds)" {
	require_postgresql "the advisory lock"
	cp "$PROJ/retort.ini" "$PROJ/plain.ini"
	online_config "version_table_schema = public"
	mv "$PROJ/retort.ini" "$PROJ/qualified.ini"
	mkrev r0 "" "CREATE TABLE runs (n INTEGER);" "DROP TABLE runs;"
	mkrev -o transaction:false r1 r0 "INSERT INTO runs VALUES (1);
SELECT pg_sleep(0.2);" "DELETE FROM runs;"
	for round in 1 2 3 4 5 6 7 8 9 10; do
		db_reset
		pids=()
		for cfg in plain qualified plain qualified; do
			"$RETORT" -c "$PROJ/$cfg.ini" -q upgrade head \
				>/dev/null 2>"$BATS_TEST_TMPDIR/$round-$cfg-${#pids[@]}.err" 3>&- &
			pids+=("$!")
		done
		for p in "${pids[@]}"; do
			wait "$p" || { cat "$BATS_TEST_TMPDIR"/$round-*.err; false; }
		done
		expect_eq "round $round backfill runs" 1 "$(db_query "SELECT count(*) FROM runs")"
		expect_eq "round $round versions" r1 "$(db_versions)"
	done
}

@test "a revision that moves search_path: the bookkeeping still finds its tables" {
	require_postgresql "search_path"
	mkrev r0 "" "CREATE SCHEMA app;
SET search_path = app;
CREATE TABLE t_r0 (id INTEGER);" "DROP SCHEMA app CASCADE;"
	mkrev r1 r0 "CREATE TABLE t_r1 (id INTEGER);" "DROP TABLE app.t_r1;"
	rt upgrade head
	expect_status 0
	expect_eq "versions" r1 "$(db_versions)"
	expect_eq "app tables" "t_r0|t_r1" \
		"$(db_query "SELECT string_agg(tablename, '|' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'app'")"
	expect_eq "log rows" 2 "$(db_query "SELECT count(*) FROM public.retort_log WHERE status = 'ok'")"
	rt downgrade base
	expect_status 0
	expect_eq "versions after downgrade" "" "$(db_versions)"
}

# ---------------------------------------------------------------------------
# live runs and dead ones: repair and the dirty check

# slow_sql SECONDS: a statement that keeps the database busy that long.
slow_sql() {
	case "$DB_DIALECT" in
	sqlite) echo "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $(($1 * 4000000))) SELECT count(*) FROM n;" ;;
	postgresql) echo "SELECT pg_sleep($1);" ;;
	esac
}

@test "repair refuses while the run that owns the running row is alive; the section runs once" {
	# (PostgreSQL's session lock makes repair wait for the run instead)
	require_sqlite "repair next to a live run"
	mkrev r0 "" "CREATE TABLE runs (n INTEGER);" "DROP TABLE runs;"
	mkrev -o transaction:false r1 r0 "INSERT INTO runs VALUES (1);
$(slow_sql 3)" "DELETE FROM runs;"
	"$RETORT" -q upgrade head >"$BATS_TEST_TMPDIR/up.out" 2>"$BATS_TEST_TMPDIR/up.err" 3>&- &
	up=$!
	BG_PIDS="${BG_PIDS:-} $up"
	for ((n = 0; n < 200; n++)); do
		[ "$(db_query "SELECT count(*) FROM retort_log WHERE status = 'running'" 2>/dev/null)" = 1 ] && break
		sleep 0.05
	done
	rt repair
	expect_status 1
	expect_contains stderr "$stderr" "retort: not repairing: upgrade of revision r1 (transaction:false) is still being run by pid $up on this host (started "
	wait "$up" || { cat "$BATS_TEST_TMPDIR/up.err"; false; }
	expect_eq "versions" r1 "$(db_versions)"
	rt upgrade head
	expect_status 0
	expect_eq "backfill runs" 1 "$(db_query "SELECT count(*) FROM runs")"
	expect_eq "unfinished rows" 0 "$(db_query "SELECT count(*) FROM retort_log WHERE status <> 'ok'")"
}

@test "a running row whose pid now belongs to another process: dirty at once, naming revision, pid and repair" {
	online_config "lock_timeout = 20"
	mkrev r0 ""
	mkrev -o transaction:false r1 r0 "CREATE TABLE t_r1 (id INTEGER);"
	rt upgrade r0
	expect_status 0
	# this shell's pid is alive, but it is not the process that wrote
	# the row (its start time differs): a pid reused after a crash
	db_exec "INSERT INTO retort_log (revision, direction, from_revisions, to_revisions, status, started_at, retort_version, host, pid, message)
	         VALUES ('r1', 'upgrade', 'r0', 'r1', 'running', '2026-01-01 00:00:00', '0.1.0', '$(hostname)', $$, 'boot 00000000-0000-0000-0000-000000000000 start 1')"
	SECONDS=0
	rt upgrade head
	expect_status 1
	[ "$SECONDS" -lt 10 ] || { echo "took ${SECONDS}s"; false; }
	stamp="2026-01-01 00:00:00"
	[ "$DB_DIALECT" = postgresql ] && stamp+="+00"
	[ "$DB_DIALECT" = mysql ] && stamp+=".000000" # DATETIME(6), UTC
	expect_error "the database is dirty: upgrade of revision r1 (transaction:false) started at $stamp by $(hostname) pid $$, which is no longer running, and never finished; check what it did, fix the database by hand, then run 'retort repair'"
	rt repair
	expect_status 0
	rt upgrade head
	expect_status 0
	expect_eq "versions" r1 "$(db_versions)"
}

# ---------------------------------------------------------------------------
# a hot journal after a crash (SQLite)

# crash_mid_write: a writer changes many rows of t_r0 with a small page
# cache (so the database file is changed before the commit) and is killed
# with SIGKILL before it commits, leaving a hot journal.
crash_mid_write() {
	"$PY" - "$DB_FILE" <<'PY'
import os, signal, sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA cache_size = 1")
db.execute("BEGIN")
db.execute("UPDATE t_r0 SET v = 'half-written'")
db.execute("INSERT INTO t_r0 (v) SELECT 'new' FROM t_r0")
os.kill(os.getpid(), signal.SIGKILL)
PY
}

@test "after a writer crashed mid-transaction, reading commands roll the journal back and work" {
	require_sqlite "hot journals"
	mkrev r0 "" "CREATE TABLE t_r0 (id INTEGER PRIMARY KEY, v TEXT);
WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 20000)
INSERT INTO t_r0 (v) SELECT 'row ' || x || ' ' || hex(randomblob(40)) FROM n;"
	mkrev r1 r0
	rt upgrade r0
	expect_status 0
	# each reading command on its own freshly crashed database
	crash_mid_write || true
	[ -e "$DB_FILE-journal" ] || { echo "no hot journal was left"; false; }
	rt current
	expect_status 0
	expect_eq "current" "r0" "$output"
	crash_mid_write || true
	rt current --check-heads
	expect_status 3
	expect_error "Database is not on all head revisions"
	crash_mid_write || true
	rt validate
	expect_status 0
	crash_mid_write || true
	rt history -i
	expect_status 0
	expect_contains stdout "$output" "r0 (current)"
	expect_eq "rows" "20000|0" "$(db_query "SELECT count(*), sum(v = 'half-written') FROM t_r0")"
}
