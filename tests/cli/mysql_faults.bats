#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# mysql_faults.bats: MySQL/MariaDB only (CTest's cli-mysql/, under
# tests/mysql/server.sh): what a failure leaves behind on a database
# without transactional DDL, and the faults of a real server: a failure
# mid-revision resumed at its statement, a server restart mid-run,
# concurrent deploys, a lock holder killed, a wrong password, a missing
# database, and the URL forms SQLAlchemy writes.

load online_helpers

setup() {
	online_setup
	[ "$DB_DIALECT" = mysql ] || skip "MySQL only (RETORT_TEST_DIALECT=mysql)"
}

teardown() {
	if [ -n "${OWN_SERVER:-}" ]; then
		"$RETORT_SOURCE_DIR/tests/mysql/server.sh" stop "$OWN_SERVER" || true
		OWN_SERVER=
		TEST_DB="$SHARED_DB"
		MY_ARGS=("${SHARED_ARGS[@]}")
	fi
	online_teardown
}

@test "a revision failing at statement 3 of 4: dirty at that statement; after the fix the same upgrade resumes there, nothing runs twice" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO t_r002 VALUES (1);
ALTER TABLE t_late ADD COLUMN c INTEGER;
INSERT INTO t_r002 VALUES (2);"
	mkrev r003 r002
	f="$(revfile r002)"
	rt upgrade head
	expect_status 1
	expect_error "$f:12: Table '$TEST_DB.t_late' doesn't exist (MySQL error 1146) (SQLSTATE 42S02)$(ddl_kept 2 4 r002)"
	expect_eq versions r001 "$(db_versions)"
	expect_eq rows 1 "$(db_query "SELECT id FROM t_r002")"
	expect_eq "log row" "failed|2" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	# other commands refuse; reading ones work
	rt stamp head
	expect_status 1
	expect_contains "error" "$(error_lines)" "the database is dirty: upgrade of revision r002"
	rt current
	expect_status 0
	expect_stdout r001

	db_exec "CREATE TABLE t_late (id INTEGER)"
	rt upgrade head
	expect_status 0
	expect_contains stderr "$stderr" "resuming upgrade of revision r002 at statement 3: the 2 before it ran and are unchanged in $f"
	expect_eq versions r003 "$(db_versions)"
	expect_eq rows "1
2" "$(db_query "SELECT id FROM t_r002 ORDER BY id")"
	expect_eq columns "id c" "$(db_query "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 't_late' ORDER BY ordinal_position" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "log" "r001|ok|1
r002|ok|4
r003|ok|1" "$(db_query "SELECT revision, status, statements_done FROM retort_log ORDER BY id")"
}

@test "data changes after DDL share a transaction: a failure among them rolls them back and resumes at the first" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER PRIMARY KEY);
INSERT INTO t_r002 VALUES (1);
INSERT INTO t_r002 VALUES (1);"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r002):12: Duplicate entry '1' for key 'PRIMARY' (MySQL error 1062) (SQLSTATE 23000)$(ddl_kept 1 3 r002)"
	# the first INSERT was rolled back with the failing one
	expect_eq rows 0 "$(db_query "SELECT count(*) FROM t_r002")"
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER PRIMARY KEY);
INSERT INTO t_r002 VALUES (1);
INSERT INTO t_r002 VALUES (2);"
	rt upgrade head
	expect_status 0
	expect_eq rows "1 2" "$(db_query "SELECT id FROM t_r002 ORDER BY id" | tr '\n' ' ' | sed 's/ $//')"
	# a revision of data changes only is one transaction: all or nothing,
	# never dirty
	mkrev r003 r002 "INSERT INTO t_r002 VALUES (3);
INSERT INTO t_r002 VALUES (3);"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r003):11: Duplicate entry '3' for key 'PRIMARY' (MySQL error 1062) (SQLSTATE 23000)"
	expect_eq rows 2 "$(db_query "SELECT count(*) FROM t_r002")"
	expect_eq unfinished 0 "$(db_query "SELECT count(*) FROM retort_log WHERE status IN ('running', 'failed')")"
}

@test "a first statement that fails changes nothing and leaves no dirty state" {
	mkrev r001 "" "CREATE TABLE t_r001 (id INTEGER, , x);"
	rt upgrade head
	expect_status 1
	expect_eq "error lines" 1 "$(error_lines | wc -l)"
	expect_not_contains stderr "$stderr" "dirty"
	expect_eq unfinished 0 "$(db_query "SELECT count(*) FROM retort_log WHERE status IN ('running', 'failed')")"
	mkrev r001 ""
	rt upgrade head
	expect_status 0
	expect_eq versions r001 "$(db_versions)"
}

@test "DELIMITER blocks: a procedure and a trigger from one revision, error lines from the file" {
	mkrev r001 "" "CREATE TABLE t_r001 (id INTEGER, n INTEGER);
DELIMITER \$\$
CREATE PROCEDURE p_r001(IN k INT)
BEGIN
  IF k > 0 THEN INSERT INTO t_r001 VALUES (k, 0); END IF;
END\$\$
CREATE TRIGGER tr_r001 BEFORE INSERT ON t_r001 FOR EACH ROW
BEGIN
  SET NEW.n = NEW.id * 10;
END\$\$
DELIMITER ;
CALL p_r001(4);" "DROP TABLE t_r001;
DROP PROCEDURE p_r001;"
	rt upgrade head
	expect_status 0
	expect_eq rows "4|40" "$(db_query "SELECT id, n FROM t_r001")"
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
SELECT 1;
SELECT nosuch
  FROM t_r002;"
	rt upgrade head
	expect_status 1
	expect_contains "error" "$(error_lines)" "$(revfile r002):12: Unknown column 'nosuch'"
}

@test "a server restart mid-run: a clear error, then the database says where it stopped" {
	# a server of its own: the shared one serves other tests meanwhile
	SHARED_DB="$TEST_DB"
	SHARED_ARGS=("${MY_ARGS[@]}")
	OWN_SERVER="$BATS_TEST_TMPDIR/server"
	eval "$("$RETORT_SOURCE_DIR/tests/mysql/server.sh" start "$OWN_SERVER")"
	TEST_URL="$RETORT_TEST_MYSQL_URL"
	MY_ARGS=(--no-defaults -h 127.0.0.1 -P "$RETORT_TEST_MYSQL_PORT" -u retort --password=secret-pw)
	TEST_DB=retort_test
	online_config
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
SELECT SLEEP(600);
CREATE TABLE t_r002b (id INTEGER);"
	mkrev r003 r002
	"$RETORT" upgrade head >"$BATS_TEST_TMPDIR/run.out" 2>"$BATS_TEST_TMPDIR/run.err" 3>&- &
	pid=$!
	BG_PIDS="$pid"
	for ((i = 0; i < 200; i++)); do
		[ -n "$(db_query "SELECT id FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(600)%'")" ] && break
		sleep 0.05
	done
	"$RETORT_SOURCE_DIR/tests/mysql/server.sh" restart "$OWN_SERVER"
	rc=0
	wait "$pid" || rc=$?
	BG_PIDS=
	expect_eq "exit status" 1 "$rc"
	expect_match "error" "^retort: lost the connection to mysql://retort:\\*\\*\\*@127\\.0\\.0\\.1:$RETORT_TEST_MYSQL_PORT/retort_test: .*\\(MySQL error [0-9]+\\)" "$(grep '^retort: ' "$BATS_TEST_TMPDIR/run.err")"
	# the run could not record the failure: its row says statement 2 was
	# in flight, so the next one refuses instead of guessing
	expect_eq "log row" "running|1" "$(db_query "SELECT status, statements_done FROM retort_log WHERE revision = 'r002'")"
	rt upgrade head
	expect_status 1
	expect_contains "error" "$(error_lines)" "the database is dirty: upgrade of revision r002 (no transactional DDL on MySQL) started at "
	expect_contains "error" "$(error_lines)" "which is no longer running, and never finished"
	# undo by hand, repair, go on (without the long statement): each
	# revision once
	db_exec "DROP TABLE t_r002"
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
SELECT 1;
CREATE TABLE t_r002b (id INTEGER);"
	rt repair
	expect_status 0
	rt upgrade head
	expect_status 0
	expect_eq versions r003 "$(db_versions)"
	expect_eq tables "t_r001 t_r002 t_r002b t_r003" "$(app_tables)"
}

@test "8 concurrent 'upgrade head': all succeed, each revision applied once" {
	db_exec "CREATE TABLE applied (rev VARCHAR(16))"
	prev=""
	for ((i = 1; i <= 20; i++)); do
		printf -v id 'r%03d' "$i"
		mkrev "$id" "$prev" "CREATE TABLE t_$id (id INTEGER);
INSERT INTO applied VALUES ('$id');"
		prev="$id"
	done
	pids=()
	for ((k = 0; k < 8; k++)); do
		"$RETORT" upgrade head >/dev/null 2>"$BATS_TEST_TMPDIR/up$k.err" 3>&- &
		pids+=("$!")
	done
	BG_PIDS="${pids[*]}"
	bad=0
	for k in "${!pids[@]}"; do
		wait "${pids[$k]}" || { echo "run $k failed:"; cat "$BATS_TEST_TMPDIR/up$k.err"; bad=1; }
	done
	BG_PIDS=
	[ "$bad" = 0 ]
	expect_eq versions r020 "$(db_versions)"
	expect_eq "applied" "20 20" "$(db_query "SELECT count(*), count(DISTINCT rev) FROM applied" | tr '|' ' ')"
	expect_eq "log rows" 20 "$(db_query "SELECT count(*) FROM retort_log WHERE status = 'ok'")"
}

@test "a lock holder killed: the waiting run names it, then runs" {
	table_chain r 2
	online_config "lock_timeout = 30"
	hold_lock 60
	"$RETORT" upgrade head >"$BATS_TEST_TMPDIR/run.out" 2>"$BATS_TEST_TMPDIR/run.err" 3>&- &
	pid=$!
	BG_PIDS="$BG_PIDS $pid"
	for ((i = 0; i < 200; i++)); do
		grep -q "waiting for the migration lock" "$BATS_TEST_TMPDIR/run.err" && break
		sleep 0.05
	done
	expect_match "wait line" "^$(lock_wait_re 30)\$" "$(grep '^retort: ' "$BATS_TEST_TMPDIR/run.err")"
	# the server ends the holder's session: its lock goes with it
	db_exec "KILL $HOLDER_PID"
	rc=0
	wait "$pid" || rc=$?
	expect_eq "exit status" 0 "$rc"
	expect_eq versions r002 "$(db_versions)"
}

@test "a wrong password: one line naming the url with the password masked, nothing created" {
	[[ "$TEST_URL" == *:secret-pw@* ]] || skip "needs tests/mysql/server.sh's url (password secret-pw)"
	bad="${TEST_URL/secret-pw/wrong-pw-123}"
	rt --url "$bad" upgrade head
	expect_status 1
	expect_match "error" "^retort: cannot connect to mysql://retort:\\*\\*\\*@[^ ]+/$TEST_DB: Access denied for user 'retort'@'[^']+' \\(using password: YES\\) \\(MySQL error 1045\\); check the user and password in the url\$" "$(error_lines)"
	expect_not_contains "output" "$output$stderr" "wrong-pw-123"
	expect_not_contains "output" "$output$stderr" "secret-pw"
	db_is_fresh
}

@test "a missing database: a clear error with the statement that creates it" {
	url="${TEST_URL%/*}/${TEST_DB}_missing"
	rt --url "$url" upgrade head
	expect_status 1
	expect_error "cannot connect to $(masked_url "$url"): database '${TEST_DB}_missing' does not exist (MySQL error 1049); create it first (CREATE DATABASE \`${TEST_DB}_missing\`)"
	rt --url "$url" current
	expect_status 1
	expect_eq "databases" "" "$(db_query "SHOW DATABASES LIKE '${TEST_DB}\\_missing'")"
}

@test "SQLAlchemy's url forms: drivers, unix_socket, charset; an unknown parameter is refused" {
	mkrev r001 ""
	[ -n "${RETORT_TEST_MYSQL_SOCKET:-}" ] || skip "the server's socket is not known (RETORT_TEST_MYSQL_SOCKET)"
	rest="${TEST_URL#*://}"
	userinfo="${rest%%@*}"
	sock="$(printf '%s' "$RETORT_TEST_MYSQL_SOCKET" | sed 's#/#%2F#g')"
	for url in "mysql+pymysql://$rest" "mysql+mysqldb://$rest?charset=utf8mb4" \
		"mariadb://$rest" "mariadb+mariadbconnector://$userinfo@localhost/$TEST_DB?unix_socket=$sock"; do
		rt --url "$url" current
		expect_status 0
	done
	rt --url "mysql://$rest?charset=utf8mb4&unix_socket=$sock" upgrade head
	expect_status 0
	expect_eq versions r001 "$(db_versions)"
	rt --url "mysql://$rest?autocommit=true" current
	expect_status 2
	expect_contains "error" "$(error_lines)" "unknown parameter 'autocommit' in url mysql://retort:***@"
	rt --url "mysql://$rest?ssl_mode=sometimes" current
	expect_status 2
	expect_contains "error" "$(error_lines)" "invalid value for 'ssl_mode' in url"
}

@test "a version table whose lock name would pass 64 characters: the lock is a hash of it" {
	# "retort:" + the database + "." + 50 characters: past the 64 that
	# MySQL 8 allows (MariaDB takes longer names, so the test holds the
	# hashed name and checks that retort waits for it)
	long="version_table_with_a_long_name_for_the_lock_of_xyz"
	full="retort:$TEST_DB.$long"
	[ "${#full}" -gt 64 ]
	# FNV-1a 64 of the full name, as lock_name() in mysql.c
	hashed="$("$PY" -c '
import sys
h = 14695981039346656037
for b in sys.argv[1].encode():
    h = ((h ^ b) * 1099511628211) % (1 << 64)
print("retort:%016x" % h)' "$full")"
	online_config "version_table = $long" "lock_timeout = 30"
	table_chain r 2
	hold_lock 1.5 "$hashed"
	rt upgrade head
	expect_status 0
	expect_contains "stderr" "$stderr" "retort: waiting for the migration lock on $(masked_url "$TEST_URL"), held by connection $HOLDER_PID"
	expect_eq versions r002 "$(db_versions "$long")"
}

@test "a downgrade failing midway resumes at its failed statement too" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);
CREATE TABLE t_r002b (id INTEGER);" "DROP TABLE t_r002b;
DROP TABLE t_gone;
DROP TABLE t_r002;"
	rt upgrade head
	expect_status 0
	rt downgrade r001
	expect_status 1
	expect_error "$(revfile r002):15: Unknown table '$TEST_DB.t_gone' (MySQL error 1051) (SQLSTATE 42S02)$(ddl_kept 1 3 r002)"
	expect_eq versions r002 "$(db_versions)"
	# an upgrade is not the failed step: it refuses
	rt upgrade head
	expect_status 1
	expect_contains "error" "$(error_lines)" "the database is dirty: downgrade of revision r002 (no transactional DDL on MySQL) failed at "
	db_exec "CREATE TABLE t_gone (id INTEGER)"
	rt downgrade r001
	expect_status 0
	expect_contains stderr "$stderr" "resuming downgrade of revision r002 at statement 2"
	expect_eq versions r001 "$(db_versions)"
	expect_eq tables "t_r001" "$(app_tables)"
}

@test "the dirty message names why the section ran outside a transaction from MySQL's own section, not the file's default one" {
	table_chain r 1
	cat >"$PROJ/migrations/versions/r002_split.sql" <<'EOF2'
-- split
--
-- Revision ID: r002
-- Revises: r001

-- migrate:upgrade
CREATE TABLE t_r002 (id INTEGER);

-- migrate:upgrade dialect:mysql transaction:false
CREATE TABLE t_r002 (id INTEGER);
INSERT INTO t_gone VALUES (1);

-- migrate:downgrade
DROP TABLE t_r002;
EOF2
	rt upgrade head
	expect_status 1
	rt downgrade base
	expect_status 1
	expect_contains "error" "$(error_lines)" "the database is dirty: upgrade of revision r002 (transaction:false) failed at "
	expect_eq versions r001 "$(db_versions)"
}
