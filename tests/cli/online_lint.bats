#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_lint.bats: `retort lint`'s default range, the revisions the
# database has not applied, on SQLite and PostgreSQL (the url's dialect
# chooses the rules); lint only reads the database, so it is checked
# unchanged after every run. The rules themselves are in lint.bats.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

# a: CREATE TABLE t; b: an index on t; c: DELETE without WHERE.
three() {
	mkrev a "" "CREATE TABLE t (id integer PRIMARY KEY, email text);" "DROP TABLE t;"
	mkrev b a "CREATE INDEX t_email ON t (email);" "DROP INDEX t_email;"
	mkrev c b "DELETE FROM t;" "SELECT 1;"
}

@test "lint: a database with nothing applied lints every revision, and stays fresh" {
	three
	rt lint
	show_run
	expect_status 3
	if [ "$DB_DIALECT" = postgresql ]; then
		# b's index on a's table and its lock timeout (a's downgrade
		# drops a's own table: not a busy-table lock)
		expect_stderr "2 errors, 1 warning in 3 revisions"
	else
		expect_stderr "1 error, 0 warnings in 3 revisions"
	fi
	expect_contains stdout "$output" "c_rev.sql:10: error: [delete-without-where]"
	db_is_fresh
}

@test "lint: only the revisions not applied yet, the earlier ones tracked" {
	three
	rt upgrade a
	expect_status 0
	local before
	before="$(db_dump)"
	rt lint
	show_run
	expect_status 3
	expect_contains stdout "$output" "c_rev.sql:10: error: [delete-without-where] DELETE without WHERE changes every row of table 't' (created by revision a)"
	expect_not_contains stdout "$output" "a_rev.sql"
	if [ "$DB_DIALECT" = postgresql ]; then
		expect_contains stdout "$output" "b_rev.sql:10: error: [create-index-not-concurrent] CREATE INDEX on existing table 't' (created by revision a)"
		expect_stderr "2 errors, 1 warning in 2 revisions"
	else
		expect_not_contains stdout "$output" "create-index"
		expect_stderr "1 error, 0 warnings in 2 revisions"
	fi
	[ "$(db_dump)" = "$before" ]
	rt upgrade head
	before="$(db_dump)"
	rt lint
	expect_status 0
	expect_stdout ""
	expect_stderr "0 errors, 0 warnings in 0 revisions"
	[ "$(db_dump)" = "$before" ]
	# a range still lints what it names, applied or not
	rt --json lint b:c
	[ "$(printf '%s' "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["revisions"])')" = 2 ]
	[ "$(db_dump)" = "$before" ]
}

@test "lint: a database that cannot be read is exit 1; --no-database does not read it" {
	three
	rt --url "postgresql://nobody:secret@127.0.0.1:1/none" lint
	show_run
	expect_status 1
	expect_not_contains stdout "$output" "secret"
	[[ "$stderr" != *secret* ]]
	rt --url "postgresql://nobody:secret@127.0.0.1:1/none" lint --no-database
	expect_status 3
	expect_contains stdout "$output" "[create-index-not-concurrent]"
	db_is_fresh
}

@test "lint: the safe alternatives the hints give pass lint and run" {
	mkrev a "" "CREATE TABLE t (id integer PRIMARY KEY, email text);
INSERT INTO t (id, email) VALUES (1, 'a@example.org');" "DROP TABLE t;"
	if [ "$DB_DIALECT" = postgresql ]; then
		mkrev -o transaction:false b a "SET lock_timeout = '2s';
CREATE INDEX CONCURRENTLY t_email ON t (email);" "DROP INDEX t_email;"
		mkrev c b "SET lock_timeout = '2s';
ALTER TABLE t ADD CONSTRAINT t_email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_email_nn;
ALTER TABLE t ALTER COLUMN email SET NOT NULL;
ALTER TABLE t ADD COLUMN n integer NOT NULL DEFAULT 0;
ALTER TABLE t ADD COLUMN at timestamptz DEFAULT now();
ALTER TABLE t ALTER COLUMN email TYPE text;
ALTER TABLE t ADD CONSTRAINT t_self FOREIGN KEY (id) REFERENCES t (id) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT t_self;" "SET lock_timeout = '2s';
ALTER TABLE t DROP CONSTRAINT t_self;
ALTER TABLE t DROP COLUMN at;
ALTER TABLE t DROP COLUMN n;
ALTER TABLE t ALTER COLUMN email DROP NOT NULL;
ALTER TABLE t DROP CONSTRAINT t_email_nn;"
	elif [ "$DB_DIALECT" = mysql ]; then
		# MySQL: a lock wait timeout first; the table rebuilt by hand
		mkrev b a "SET SESSION lock_wait_timeout = 5;
CREATE TABLE t_new (id integer PRIMARY KEY, email varchar(200) NOT NULL);
INSERT INTO t_new (id, email) SELECT id, email FROM t;
-- retort:nolint drop-table the rows were copied to t_new just above
DROP TABLE t;
ALTER TABLE t_new RENAME TO t;
ALTER TABLE t ADD COLUMN n integer NOT NULL DEFAULT 0;" "SELECT 1;"
		mkrev c b "SET SESSION lock_wait_timeout = 5;
CREATE INDEX t_email ON t (email);" "SET SESSION lock_wait_timeout = 5;
DROP INDEX t_email ON t;"
	else
		# SQLite: the table rebuilt instead of ALTER COLUMN
		mkrev b a "CREATE TABLE t_new (id integer PRIMARY KEY, email text NOT NULL);
INSERT INTO t_new (id, email) SELECT id, email FROM t;
-- retort:nolint drop-table the rows were copied to t_new just above
DROP TABLE t;
ALTER TABLE t_new RENAME TO t;
ALTER TABLE t ADD COLUMN n integer NOT NULL DEFAULT 0;" "SELECT 1;"
		mkrev c b "CREATE INDEX t_email ON t (email);" "DROP INDEX t_email;"
	fi
	rt lint
	show_run
	expect_status 0
	expect_stdout ""
	rt upgrade head
	show_run
	expect_status 0
	expect_eq versions "c" "$(db_versions)"
}
