#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_faults.bats: what retort does when the database or a revision goes
# wrong: unusable database files, a revision failing midway, version rows
# naming unknown revisions, the dirty state of transaction:false sections,
# a lock held by another process, and a run killed with SIGKILL.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

file_sum() {
	sha256sum "$1" | cut -d' ' -f1
}

# make_readonly PATH: make a file or folder unwritable, also for root
# (chattr +i); returns 1 (with a message on stdout) when it cannot.
make_readonly() {
	if [ "$(id -u)" != 0 ]; then
		if [ -d "$1" ]; then chmod 555 "$1"; else chmod 444 "$1"; fi
		return 0
	fi
	# root ignores permissions: use the immutable attribute
	if command -v chattr >/dev/null 2>&1 && chattr +i "$1" 2>/dev/null; then
		return 0
	fi
	echo "running as root and chattr +i does not work here"
	return 1
}

# ---------------------------------------------------------------------------
# unusable database files

@test "database in a folder that does not exist: exit 1, nothing created" {
	require_sqlite "file paths"
	table_chain r 2
	dir="$BATS_TEST_TMPDIR/missing"
	url="sqlite:///$dir/app.db"
	for cmd in "upgrade head" "downgrade base" "stamp head" repair; do
		# shellcheck disable=SC2086
		rt --url "$url" $cmd
		expect_status 1
		expect_stdout ""
		expect_error "cannot open database $url: folder '$dir' does not exist"
		[ ! -e "$dir" ]
	done
	# reading commands report an empty database, still creating nothing
	rt --url "$url" current
	expect_status 0
	expect_stdout ""
	[ ! -e "$dir" ]
}

@test "database folder not writable: exit 1, nothing created" {
	require_sqlite "file paths"
	table_chain r 2
	dir="$BATS_TEST_TMPDIR/ro"
	mkdir "$dir"
	why="$(make_readonly "$dir")" || skip "$why"
	url="sqlite:///$dir/app.db"
	rt --url "$url" upgrade head
	expect_status 1
	expect_error "cannot create database $url: folder '$dir' is not writable"
	rt --url "$url" stamp head
	expect_status 1
	expect_error "cannot create database $url: folder '$dir' is not writable"
	expect_eq "folder contents" "" "$(ls -A "$dir")"
}

@test "read-only database file: exit 1 naming the database, file unchanged" {
	require_sqlite "file permissions"
	table_chain r 2
	rt upgrade r001
	expect_status 0
	why="$(make_readonly "$DB_FILE")" || skip "$why"
	sum="$(file_sum "$DB_FILE")"
	for cmd in "upgrade head" "stamp head" "downgrade base"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 1
		expect_eq "error line count" 1 "$(error_lines | wc -l)"
		expect_contains "error" "$(error_lines)" "cannot write to database $TEST_URL: the file is read-only"
		# the problem is the database, not a revision: name it
		expect_contains "error" "$(error_lines)" "$TEST_URL"
		expect_eq "file checksum" "$sum" "$(file_sum "$DB_FILE")"
	done
	rt current
	expect_status 0
	expect_stdout "r001"
}

@test "a file that is not a database: exit 1, file unchanged" {
	require_sqlite "file contents"
	table_chain r 2
	for i in $(seq 1 100); do
		echo "this is not a database, line $i"
	done >"$DB_FILE"
	sum="$(file_sum "$DB_FILE")"
	for cmd in "upgrade head" "downgrade base" "stamp head" current "history -i" repair; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 1
		expect_error "cannot read database $TEST_URL: file is not a database"
		expect_eq "file checksum ($cmd)" "$sum" "$(file_sum "$DB_FILE")"
	done
}

# ---------------------------------------------------------------------------
# a revision that fails

@test "a revision failing midway: one error line with file and line, earlier revisions kept, it rolls back" {
	table_chain r 2
	mkrev r003 r002 "-- the second statement fails
CREATE TABLE t_r003 (id INTEGER);

INSERT INTO no_such_table VALUES (1);
CREATE TABLE t_r003b (id INTEGER);"
	rt upgrade head
	expect_status 1
	expect_stdout ""
	# the failing revision's line is written when it starts, and ends
	# with "failed" before the error
	expect_eq progress "Running upgrade  -> r001, create r001 ... N ms
Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... failed" "$(progress)"
	expect_eq versions r002 "$(db_versions)"
	if ! db_transactional_ddl; then
		# MySQL: the first statement stays, the database is dirty at
		# the second; the same command resumes there
		expect_error "$(revfile r003):13: $(db_msg_no_table no_such_table)$(ddl_kept 1 3 r003)"
		expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
		expect_eq "log" "r001|upgrade|ok|1
r002|upgrade|ok|1
r003|upgrade|failed|1" "$(db_query "SELECT revision, direction, status, statements_done FROM retort_log ORDER BY id")"
		db_exec "CREATE TABLE no_such_table (id INTEGER)"
		rt upgrade head
		expect_status 0
		expect_eq tables "no_such_table t_r001 t_r002 t_r003 t_r003b" "$(db_tables | grep -v retort_ | tr '\n' ' ' | sed 's/ $//')"
		expect_eq versions r003 "$(db_versions)"
		return
	fi
	expect_error "$(revfile r003):13: $(db_msg_no_table no_such_table)"
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
	expect_eq "log" "r001|upgrade|ok
r002|upgrade|ok" "$(db_query "SELECT revision, direction, status FROM retort_log ORDER BY id")"

	# again: the same error, the same state
	before="$(db_dump)"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r003):13: $(db_msg_no_table no_such_table)"
	expect_eq dump "$before" "$(db_dump)"
}

@test "a failing statement spanning lines is reported at a line inside it" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
CREATE TABLE t_r002b (
    id INTEGER,
    , broken
);"
	rt upgrade head
	expect_status 1
	expect_eq "error line count" 1 "$(error_lines | wc -l)"
	line="$(error_lines | sed -nE "s#^retort: $(revfile r002):([0-9]+): .*#\1#p")"
	[ -n "$line" ] || { show_run; return 1; }
	[ "$line" -ge 11 ] && [ "$line" -le 14 ] || {
		echo "line $line is not in the failing statement (11-14)"
		show_run
		return 1
	}
	# (MySQL: the first statement stays)
	if db_transactional_ddl; then
		expect_eq tables "t_r001" "$(app_tables)"
	else
		expect_eq tables "t_r001 t_r002" "$(app_tables)"
	fi
	expect_eq versions r001 "$(db_versions)"
}

@test "a downgrade failing midway rolls that revision back and keeps the ones reverted before it" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);" "DROP TABLE t_r002;
DROP TABLE no_such_table;"
	mkrev r003 r002
	rt upgrade head
	expect_status 0
	rt downgrade base
	expect_status 1
	expect_eq progress "Running downgrade r003 -> r002, create r003 ... N ms
Running downgrade r002 -> r001, create r002 ... failed" "$(progress)"
	expect_eq versions r002 "$(db_versions)"
	if ! db_transactional_ddl; then
		# MySQL: the DROP TABLE stays, dirty at the second statement
		expect_error "$(revfile r002):14: $(db_msg_no_table no_such_table drop)$(ddl_kept 1 2 r002)"
		expect_eq tables "t_r001" "$(app_tables)"
		return
	fi
	expect_error "$(revfile r002):14: $(db_msg_no_table no_such_table drop)"
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
}

# ---------------------------------------------------------------------------
# version rows naming revisions that are not in the files

@test "the version table names a revision whose file was deleted" {
	table_chain r 3
	rt upgrade head
	expect_status 0
	rm "$(revfile r003)"
	before="$(db_dump)"
	msg="Can't locate revision identified by 'r003' (the database is at revision 'r003', which is not in the revision files: was the file deleted, or is this the wrong project? 'retort stamp --purge REV' resets the version table)"
	for cmd in current "upgrade head" "downgrade -1" "stamp head"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 2
		expect_stdout ""
		expect_error "$msg"
	done
	expect_eq dump "$before" "$(db_dump)"
	# the way out: stamp --purge
	rt stamp --purge r002
	expect_status 0
	rt current
	expect_status 0
	expect_stdout "r002 (head)"
}

@test "the version table names a revision that never existed" {
	table_chain r 2
	rt upgrade head
	expect_status 0
	db_exec "UPDATE retort_version SET version_num = 'x'"
	msg="Can't locate revision identified by 'x' (the database is at revision 'x', which is not in the revision files: was the file deleted, or is this the wrong project? 'retort stamp --purge REV' resets the version table)"
	rt current
	expect_status 2
	expect_error "$msg"
	rt upgrade head
	expect_status 2
	expect_error "$msg"
	expect_eq versions x "$(db_versions)"
}

# ---------------------------------------------------------------------------
# transaction:false and the dirty state

@test "a failing transaction:false section leaves the database dirty until 'retort repair'" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO no_such_table VALUES (1);"
	mkrev r003 r002
	f="$(revfile r002)"
	rt upgrade head
	expect_status 1
	expect_error "$f:11: $(db_msg_no_table no_such_table) (it ran outside a transaction: 1 of its 2 statements ran and stay; the database is now marked dirty at statement 2; fix the cause and run the same command again to go on from there, or fix it by hand and run 'retort repair')"
	expect_eq versions r001 "$(db_versions)"
	# it ran outside a transaction: its first statement stays
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
	expect_eq "log row" "r002|upgrade|failed|$f:11: $(db_msg_no_table no_such_table)" \
		"$(db_query "SELECT revision, direction, status, message FROM retort_log WHERE revision = 'r002'")"
	when="$(db_query "SELECT started_at FROM retort_log WHERE revision = 'r002'")"

	# every write command but the same upgrade refuses, naming the
	# revision and 'retort repair'
	before="$(db_dump)"
	dirty="the database is dirty: upgrade of revision r002 (transaction:false) failed at $when: $f:11: $(db_msg_no_table no_such_table); fix the database by hand, then run 'retort repair'"
	for cmd in "downgrade -1" "downgrade base" \
		"stamp head" "stamp r001" "stamp --purge base"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 1
		expect_error "$dirty"
		expect_eq "progress of $cmd" "" "$(progress)"
	done
	expect_eq dump "$before" "$(db_dump)"

	# the same upgrade, the cause not fixed: it resumes at the failed
	# statement (not the first, which would fail on t_r002), which fails
	# again; nothing else changes
	for cmd in "upgrade head" "upgrade +1"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 1
		expect_eq "error lines of $cmd" "retort: $f:11: $(db_msg_no_table no_such_table) (it ran outside a transaction: 1 of its 2 statements ran and stay; the database is now marked dirty at statement 2; fix the cause and run the same command again to go on from there, or fix it by hand and run 'retort repair')" "$(error_lines)"
		expect_contains "stderr of $cmd" "$stderr" "resuming upgrade of revision r002 at statement 2: the 1 before it ran and are unchanged in $f"
		expect_eq versions r001 "$(db_versions)"
		expect_eq tables "t_r001 t_r002" "$(app_tables)"
		expect_eq "log rows of r002" "failed|1" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	done
	when="$(db_query "SELECT started_at FROM retort_log WHERE revision = 'r002'")"

	# reading commands still work
	rt current
	expect_status 0
	expect_stdout "r001"
	rt history -i
	expect_status 0
	expect_stdout "r002 -> r003 (head), create r003
r001 -> r002, create r002
<base> -> r001 (current), create r001"

	# fix by hand, repair, go on
	db_exec "DROP TABLE t_r002"
	mkrev -o transaction:false r002 r001
	rt repair
	expect_status 0
	expect_stdout ""
	expect_stderr "marked the failed upgrade of revision r002 (started $when) as repaired
the version table does not record that upgrade of r002: if you completed it by hand, stamp the revision it was moving to ('retort stamp REV'); otherwise the next run does it again"
	rt repair
	expect_status 0
	expect_stderr "nothing to repair"
	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq versions r003 "$(db_versions)"
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
	expect_eq "log rows of r002" "upgrade|repaired
upgrade|ok" "$(db_query "SELECT direction, status FROM retort_log WHERE revision = 'r002' ORDER BY id")"
}

@test "a transaction:false section that succeeds leaves an ok log row" {
	table_chain r 1
	mkrev -o transaction:false r002 r001
	rt upgrade head
	expect_status 0
	expect_eq "error lines" "" "$(error_lines)"
	expect_eq versions r002 "$(db_versions)"
	expect_eq "log rows" "r001|ok
r002|ok" "$(db_query "SELECT revision, status FROM retort_log ORDER BY id")"
	rt downgrade base
	expect_status 0
	expect_eq tables "" "$(app_tables)"
}

@test "a run killed inside a transaction:false section: others wait for it while it lives, refuse after" {
	table_chain r 1
	# a section that runs for minutes
	slow="$(db_sleep_sql 600)"
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
$slow"
	rt upgrade r001
	expect_status 0
	"$RETORT" upgrade head 2>"$BATS_TEST_TMPDIR/slow.err" 3>&- &
	pid=$!
	BG_PIDS="$pid"
	for ((i = 0; i < 200; i++)); do
		[ "$(db_query "SELECT count(*) FROM retort_log WHERE status = 'running'")" = 1 ] && break
		sleep 0.05
	done
	expect_eq "running rows" 1 "$(db_query "SELECT count(*) FROM retort_log WHERE status = 'running'")"

	# while it lives, another run waits for it, up to lock_timeout (on
	# PostgreSQL it holds the migration lock all along: the other run
	# waits for that)
	online_config "lock_timeout = 1"
	rt upgrade head
	expect_status 1
	if [ "$DB_DIALECT" = sqlite ]; then
		expect_match "error lines of stderr" \
			"^retort: gave up after lock_timeout \\(1 s\\) waiting: upgrade of revision r002 \\(transaction:false\\) is being run by pid $pid on this host since [^;]*; if that process is stuck, stop it: the database is then dirty and 'retort repair' clears it after you check its work\$" \
			"$(error_lines)"
	else
		expect_match "error lines of stderr" \
			"^$(lock_wait_re 1 retort)
$(lock_fail_re 1 retort)\$" "$(error_lines)"
	fi

	kill -9 "$pid" || { cat "$err"; false; }
	wait "$pid" || true
	BG_PIDS=
	# PostgreSQL: the server session would sleep on; end it, as the
	# server does once it notices its client is gone
	db_end_sessions
	when="$(db_query "SELECT started_at FROM retort_log WHERE status = 'running'")"
	host="$(db_query "SELECT host FROM retort_log WHERE status = 'running'")"
	expect_eq "logged pid" "$pid" "$(db_query "SELECT pid FROM retort_log WHERE status = 'running'")"
	rt upgrade head
	expect_status 1
	expect_error "the database is dirty: upgrade of revision r002 (transaction:false) started at $when by $host pid $pid, which is no longer running, and never finished; check what it did, fix the database by hand, then run 'retort repair'"

	db_exec "DROP TABLE t_r002"
	mkrev -o transaction:false r002 r001
	rt repair
	expect_status 0
	expect_contains stderr "$stderr" "marked the running upgrade of revision r002 (started $when) as repaired"
	rt upgrade head
	expect_status 0
	expect_eq versions r002 "$(db_versions)"
}

# ---------------------------------------------------------------------------
# the lock

@test "a lock held past lock_timeout: retort says it waits, then fails with exit 1, nothing changed" {
	table_chain r 3
	rt upgrade r001
	expect_status 0
	online_config "lock_timeout = 1"
	before="$(db_dump)"
	hold_lock 60
	for cmd in "upgrade head" "downgrade base" "stamp head" repair; do
		t0=$SECONDS
		# shellcheck disable=SC2086
		rt $cmd
		took=$((SECONDS - t0))
		expect_status 1
		expect_stdout ""
		expect_match "stderr of $cmd" "^$(lock_wait_re 1)
$(lock_fail_re 1)\$" "$stderr"
		[ "$took" -lt 15 ] || {
			echo "$cmd took $took s with lock_timeout = 1"
			return 1
		}
	done
	# reading does not need the lock
	rt current
	expect_status 0
	expect_stdout "r001"
	expect_eq "stderr of current" "" "$stderr"

	kill "$LOCK_PID"
	wait "$LOCK_PID" || true
	expect_eq dump "$before" "$(db_dump)"
	rt upgrade head
	expect_status 0
	expect_eq versions r003 "$(db_versions)"
}

@test "a lock released within lock_timeout: retort waits, then runs" {
	table_chain r 2
	rt upgrade r001
	expect_status 0
	online_config "lock_timeout = 30"
	hold_lock 1.5
	t0=$(date +%s%N)
	rt upgrade head
	took_ms=$((($(date +%s%N) - t0) / 1000000))
	expect_status 0
	expect_match "error lines of stderr" "^$(lock_wait_re 30)\$" "$(error_lines)"
	expect_eq progress "Running upgrade r001 -> r002, create r002 ... N ms" "$(progress)"
	expect_eq versions r002 "$(db_versions)"
	[ "$took_ms" -ge 500 ] || {
		echo "did not wait: $took_ms ms"
		return 1
	}
}

# ---------------------------------------------------------------------------
# SIGKILL

@test "a run killed with SIGKILL: the next upgrade completes, each revision applied once" {
	table_chain r 200 2000
	err="$BATS_TEST_TMPDIR/killed.err"
	"$RETORT" upgrade head 2>"$err" 3>&- &
	pid=$!
	BG_PIDS="$pid"
	for ((i = 0; i < 400; i++)); do
		# finished revisions (a line is written when one starts, and
		# ends with its time)
		[ "$(grep -c '^Running .* ms$' "$err" 2>/dev/null)" -ge 5 ] && break
		sleep 0.02
	done
	kill -9 "$pid" || { cat "$err"; false; }
	rc=0
	wait "$pid" || rc=$?
	BG_PIDS=
	expect_eq "exit status of the killed run" 137 "$rc"
	# PostgreSQL: its server session rolls back and ends on its own
	db_wait_idle
	done_before="$(db_query "SELECT count(*) FROM retort_log WHERE direction = 'upgrade' AND status = 'ok'")"
	[ "$done_before" -ge 5 ] && [ "$done_before" -lt 200 ] || {
		echo "killed after $done_before of 200 revisions"
		return 1
	}
	expect_eq "version row" "$(printf 'r%03d' "$done_before")" "$(db_versions)"
	if ! db_transactional_ddl; then
		# MySQL: the revision in flight could not be rolled back, so
		# its log row stays "running" and the next run refuses, naming
		# it; a person undoes what it did, repairs, and goes on
		local rev
		rev="$(printf 'r%03d' $((done_before + 1)))"
		expect_eq "running row" "$rev" "$(db_query "SELECT revision FROM retort_log WHERE status = 'running'")"
		rt upgrade head
		expect_status 1
		expect_contains "error" "$(error_lines)" "the database is dirty: upgrade of revision $rev (no transactional DDL on MySQL) started at "
		db_exec "DROP TABLE IF EXISTS t_$rev"
		rt repair
		expect_status 0
		db_exec "DELETE FROM retort_log WHERE status = 'repaired'"
	fi

	rt -q upgrade head
	expect_status 0
	expect_eq "stderr" "" "$stderr"
	expect_eq versions r200 "$(db_versions)"
	expect_eq "revision tables" 200 "$(db_tables | grep -c '^t_r[0-9]*$')"
	expect_eq "upgrade log rows" "200|200" \
		"$(db_query "SELECT count(*), count(DISTINCT revision) FROM retort_log WHERE direction = 'upgrade'")"
	expect_eq "unfinished log rows" 0 \
		"$(db_query "SELECT count(*) FROM retort_log WHERE status <> 'ok'")"
	expect_eq "rows of the last table" 2000 "$(db_query "SELECT count(*) FROM t_r200")"
}

# ---------------------------------------------------------------------------
# statement-level progress and resume

@test "a failed transaction:false section resumes at the failed statement once the cause is fixed; nothing runs twice" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO t_r002 VALUES (1);
INSERT INTO t_late VALUES (1);
INSERT INTO t_r002 VALUES (2);"
	f="$(revfile r002)"
	rt upgrade head
	expect_status 1
	expect_contains "error" "$(error_lines)" "$f:12: $(db_msg_no_table t_late) (it ran outside a transaction: 2 of its 4 statements ran and stay; the database is now marked dirty at statement 3;"
	expect_eq "log row" "failed|2" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	# the cause, fixed by hand: the file is unchanged
	db_exec "CREATE TABLE t_late (id INTEGER)"
	rt upgrade head
	expect_status 0
	expect_stderr "resuming upgrade of revision r002 at statement 3: the 2 before it ran and are unchanged in $f
Running upgrade r001 -> r002, create r002 ... ${stderr##*create r002 ... }"
	expect_eq versions r002 "$(db_versions)"
	# statements 1 and 2 ran once, 3 and 4 once
	expect_eq "rows" "1
2" "$(db_query "SELECT id FROM t_r002 ORDER BY id")"
	expect_eq "t_late" "1" "$(db_query "SELECT id FROM t_late")"
	expect_eq "log rows" "ok|4" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	db_exec "DROP TABLE t_late"
}

@test "a failed section whose completed statements changed in the file does not resume" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO t_late VALUES (1);"
	f="$(revfile r002)"
	rt upgrade head
	expect_status 1
	when="$(db_query "SELECT started_at FROM retort_log WHERE revision = 'r002'")"
	# the failed statement edited: still resumes (statement 1 unchanged)
	# ... but statement 1 edited: refused, the database unchanged
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER, v INTEGER);
INSERT INTO t_r002 VALUES (1, 1);"
	before="$(db_dump)"
	rt upgrade head
	expect_status 1
	expect_error "the database is dirty: upgrade of revision r002 (transaction:false) failed at $when: $f:11: $(db_msg_no_table t_late); fix the database by hand, then run 'retort repair' (it does not resume by itself: $f changed in the 1 statements that ran)"
	expect_eq dump "$before" "$(db_dump)"
	# only the failed statement edited: it resumes there
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO t_r002 VALUES (7);"
	rt upgrade head
	expect_status 0
	expect_eq versions r002 "$(db_versions)"
	expect_eq rows 7 "$(db_query "SELECT id FROM t_r002")"
}
