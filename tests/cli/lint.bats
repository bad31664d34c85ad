#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# lint.bats: `retort lint` without a database: every rule firing and
# passing on each dialect it applies to (read with --dialect: the rules
# are static), nolint comments, retort.ini settings, the output formats,
# exit statuses, --base with git, and bad input. The default range (the
# revisions the database has not applied) is in online_lint.bats.

load helpers

# lrev ID PARENT UPGRADE [DOWNGRADE] [UPGRADE-OPTIONS]: a revision file
# whose sections hold the SQL as given (DOWNGRADE "-": empty).
lrev() {
	local down="${4-SELECT 1;}"
	[ "$down" = - ] && down=""
	{
		echo "-- rev $1"
		echo "--"
		echo "-- Revision ID: $1"
		echo "-- Revises: $2"
		echo "-- Create Date: 2024-01-02 03:04:05.000000"
		echo
		echo "-- migrate:upgrade${5:+ $5}"
		printf '%s\n' "$3"
		echo
		echo "-- migrate:downgrade"
		if [ -n "$down" ]; then printf '%s\n' "$down"; fi
	} >"migrations/versions/$1_rev.sql"
}

# The table every case starts from: t, created by revision a.
base() {
	lrev a "" "CREATE TABLE t (id integer PRIMARY KEY, name varchar(100), email text);" \
		"DROP TABLE t;"
}

# lint_b DIALECT [ARGS...]: lint revision b alone.
lint_b() {
	local d="$1"
	shift
	run --separate-stderr "$RETORT" lint --no-database --dialect "$d" "$@" b:b
}

# fires DIALECT RULE UPGRADE [DOWNGRADE] [OPTIONS]: revision b reports RULE.
fires() {
	base
	lrev b a "$3" "${4-SELECT 1;}" "${5:-}"
	lint_b "$1"
	if ! grep -q "\[$2\]" <<<"$output"; then
		echo "$1: [$2] did not fire on: $3"
		show
		return 1
	fi
}

# passes DIALECT RULE UPGRADE [DOWNGRADE] [OPTIONS]: revision b does not.
passes() {
	base
	lrev b a "$3" "${4-SELECT 1;}" "${5:-}"
	lint_b "$1"
	if grep -q "\[$2\]" <<<"$output" || [ "$status" -gt 3 ] ||
		[ "$status" -eq 1 ] || [ "$status" -eq 2 ]; then
		echo "$1: [$2] fired (or lint failed) on: $3"
		show
		return 1
	fi
}

# lacks PATTERN: $output does not match (a bare `! grep` cannot fail a
# bats test).
lacks() {
	if grep -q -- "$1" <<<"$output"; then
		echo "unexpected: $1"
		show
		return 1
	fi
}

@test "drop-table: an existing table, not one this revision created, not in a downgrade" {
	for d in sqlite postgresql; do
		fires $d drop-table "DROP TABLE t;"
		passes $d drop-table "CREATE TABLE u (id int);
DROP TABLE u;"
		passes $d drop-table "SELECT 1;" "DROP TABLE t;"
	done
	fires mysql drop-table "DROP TABLE IF EXISTS t;"
}

@test "drop-column" {
	for d in sqlite postgresql mysql; do
		fires $d drop-column "ALTER TABLE t DROP COLUMN email;"
		passes $d drop-column "CREATE TABLE u (id int, x int);
ALTER TABLE u DROP COLUMN x;"
	done
	fires postgresql drop-column "ALTER TABLE t DROP IF EXISTS email;"
}

@test "drop-schema" {
	for d in sqlite postgresql mysql; do
		fires $d drop-schema "DROP SCHEMA s CASCADE;"
		passes $d drop-schema "CREATE SCHEMA s;"
	done
	fires mysql drop-schema "DROP DATABASE app;"
}

@test "truncate" {
	for d in sqlite postgresql mysql; do
		fires $d truncate "TRUNCATE TABLE t;"
		passes $d truncate "CREATE TABLE u (id int);
TRUNCATE u;"
	done
}

@test "delete-without-where and update-without-where" {
	for d in sqlite postgresql mysql; do
		fires $d delete-without-where "DELETE FROM t;"
		passes $d delete-without-where "DELETE FROM t WHERE id = 1;"
		fires $d update-without-where "UPDATE t SET name = 'where';"
		passes $d update-without-where "UPDATE t SET name = 'x' WHERE id = 1;"
		passes $d update-without-where "-- UPDATE t SET name = 'x';
SELECT 'UPDATE t SET a = 1';"
	done
}

@test "add-not-null-column: PostgreSQL on existing rows, SQLite always" {
	fires postgresql add-not-null-column "ALTER TABLE t ADD COLUMN c integer NOT NULL;"
	passes postgresql add-not-null-column "ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 0;"
	passes postgresql add-not-null-column "CREATE TABLE u (id int);
ALTER TABLE u ADD COLUMN c integer NOT NULL;"
	passes postgresql add-not-null-column "ALTER TABLE t ADD COLUMN c bigserial NOT NULL;"
	fires sqlite add-not-null-column "ALTER TABLE t ADD COLUMN c integer NOT NULL;"
	fires sqlite add-not-null-column "CREATE TABLE u (id int);
ALTER TABLE u ADD COLUMN c integer NOT NULL;"
	passes sqlite add-not-null-column "ALTER TABLE t ADD COLUMN c integer NOT NULL DEFAULT 0;"
	passes mysql add-not-null-column "ALTER TABLE t ADD COLUMN c integer NOT NULL;"
}

@test "narrow-type: the type the earlier revision created is known" {
	fires postgresql narrow-type "ALTER TABLE t ALTER COLUMN name TYPE varchar(50);"
	passes postgresql narrow-type "ALTER TABLE t ALTER COLUMN name TYPE varchar(200);"
	passes postgresql narrow-type "ALTER TABLE t ALTER COLUMN name TYPE text;"
	fires postgresql narrow-type "ALTER TABLE t ALTER COLUMN id SET DATA TYPE smallint;"
	fires mysql narrow-type "ALTER TABLE t MODIFY COLUMN name varchar(20) NOT NULL;"
	fires mysql narrow-type "ALTER TABLE t CHANGE name title varchar(20);"
	passes mysql narrow-type "ALTER TABLE t MODIFY name varchar(255);"
	# an earlier revision widened it: the tracked type follows
	base
	lrev b a "ALTER TABLE t ALTER COLUMN name TYPE varchar(300);"
	lrev c b "ALTER TABLE t ALTER COLUMN name TYPE varchar(200);"
	run "$RETORT" lint --no-database --dialect postgresql c:c
	grep -q "\[narrow-type\] column name of table 't' (created by revision a) goes from varchar(300) to the narrower varchar(200)" <<<"$output"
}

@test "add-unique: a constraint or unique index on existing rows" {
	for d in sqlite postgresql mysql; do
		fires $d add-unique "CREATE UNIQUE INDEX t_email ON t (email);"
		passes $d add-unique "CREATE TABLE u (id int);
CREATE UNIQUE INDEX u_id ON u (id);"
	done
	fires postgresql add-unique "ALTER TABLE t ADD CONSTRAINT t_email UNIQUE (email);"
	fires postgresql add-unique "ALTER TABLE t ADD PRIMARY KEY (email);"
	passes postgresql add-unique "ALTER TABLE t ADD CONSTRAINT t_email UNIQUE USING INDEX t_email_idx;"
	fires mysql add-unique "ALTER TABLE t ADD UNIQUE (email);"
}

@test "create-index-not-concurrent: PostgreSQL only, existing tables only" {
	fires postgresql create-index-not-concurrent "CREATE INDEX t_email ON t (email);"
	fires postgresql create-index-not-concurrent "CREATE INDEX IF NOT EXISTS t_email ON ONLY public.t USING btree (email);"
	passes postgresql create-index-not-concurrent "CREATE INDEX CONCURRENTLY t_email ON t (email);" "SELECT 1;" transaction:false
	passes postgresql create-index-not-concurrent "CREATE TABLE u (id int);
CREATE INDEX u_id ON u (id);"
	passes sqlite create-index-not-concurrent "CREATE INDEX t_email ON t (email);"
	passes mysql create-index-not-concurrent "CREATE INDEX t_email ON t (email);"
}

@test "add-foreign-key-not-valid and add-check-not-valid" {
	fires postgresql add-foreign-key-not-valid "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES t (id);"
	passes postgresql add-foreign-key-not-valid "ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (id) REFERENCES t (id) NOT VALID;"
	fires postgresql add-check-not-valid "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0);"
	fires postgresql add-check-not-valid "ALTER TABLE t ADD CHECK (id > 0);"
	passes postgresql add-check-not-valid "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0) NOT VALID;"
	passes postgresql add-check-not-valid "CREATE TABLE u (id int);
ALTER TABLE u ADD CONSTRAINT c CHECK (id > 0);"
	passes mysql add-check-not-valid "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0);"
}

@test "set-not-null: needs a validated CHECK (col IS NOT NULL) first, in this revision or an earlier one" {
	fires postgresql set-not-null "ALTER TABLE t ALTER COLUMN email SET NOT NULL;"
	# NOT VALID and never validated is not enough
	fires postgresql set-not-null "ALTER TABLE t ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE t ALTER COLUMN email SET NOT NULL;"
	passes postgresql set-not-null "ALTER TABLE t ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE t VALIDATE CONSTRAINT nn;
ALTER TABLE t ALTER COLUMN email SET NOT NULL;"
	# the check and its validation in earlier revisions
	base
	lrev b a "ALTER TABLE t ADD CONSTRAINT nn CHECK (email IS NOT NULL) NOT VALID;"
	lrev c b "ALTER TABLE t VALIDATE CONSTRAINT nn;"
	lrev d c "ALTER TABLE t ALTER COLUMN email SET NOT NULL;"
	run "$RETORT" lint --no-database --dialect postgresql d:d
	show
	lacks "set-not-null"
	rm migrations/versions/c_rev.sql
	lrev d b "ALTER TABLE t ALTER COLUMN email SET NOT NULL;"
	run "$RETORT" lint --no-database --dialect postgresql d:d
	grep -q "\[set-not-null\]" <<<"$output"
}

@test "alter-column-type: rewrites unless PostgreSQL changes it in place" {
	fires postgresql alter-column-type "ALTER TABLE t ALTER COLUMN id TYPE bigint;"
	fires postgresql alter-column-type "ALTER TABLE t ALTER email TYPE jsonb USING email::jsonb;"
	passes postgresql alter-column-type "ALTER TABLE t ALTER COLUMN name TYPE text;"
	passes postgresql alter-column-type "ALTER TABLE t ALTER COLUMN name TYPE varchar(200);"
	passes postgresql alter-column-type "CREATE TABLE u (id int);
ALTER TABLE u ALTER COLUMN id TYPE bigint;"
}

@test "volatile-default: PostgreSQL 11+ only rewrites for volatile defaults" {
	fires postgresql volatile-default "ALTER TABLE t ADD COLUMN u uuid DEFAULT gen_random_uuid();"
	fires postgresql volatile-default "ALTER TABLE t ADD COLUMN r float8 DEFAULT random();"
	fires postgresql volatile-default "ALTER TABLE t ADD COLUMN at timestamptz DEFAULT clock_timestamp();"
	fires postgresql volatile-default "ALTER TABLE t ADD COLUMN n bigserial;"
	passes postgresql volatile-default "ALTER TABLE t ADD COLUMN at timestamptz NOT NULL DEFAULT now();"
	passes postgresql volatile-default "ALTER TABLE t ADD COLUMN k integer DEFAULT 0;"
	passes postgresql volatile-default "CREATE TABLE u (id int);
ALTER TABLE u ADD COLUMN g uuid DEFAULT gen_random_uuid();"
}

@test "concurrently-in-transaction and enum-value-in-transaction" {
	fires postgresql concurrently-in-transaction "CREATE INDEX CONCURRENTLY t_email ON t (email);"
	fires postgresql concurrently-in-transaction "DROP INDEX CONCURRENTLY IF EXISTS t_email;"
	fires postgresql concurrently-in-transaction "REINDEX INDEX CONCURRENTLY t_email;"
	passes postgresql concurrently-in-transaction "CREATE INDEX CONCURRENTLY t_email ON t (email);" "SELECT 1;" transaction:false
	fires postgresql enum-value-in-transaction "ALTER TYPE mood ADD VALUE 'meh';"
	passes postgresql enum-value-in-transaction "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh';" "SELECT 1;" transaction:false
	passes postgresql enum-value-in-transaction "ALTER TYPE mood RENAME VALUE 'a' TO 'b';"
}

@test "lock-timeout: a warning, once per section, satisfied by SET or pg_settings" {
	fires postgresql lock-timeout "ALTER TABLE t ADD COLUMN c integer;"
	[ "$status" -eq 0 ]
	grep -q "warning: \[lock-timeout\]" <<<"$output"
	passes postgresql lock-timeout "SET lock_timeout = '2s';
ALTER TABLE t ADD COLUMN c integer;"
	passes postgresql lock-timeout "SELECT set_config('lock_timeout', '2s', true);
ALTER TABLE t ADD COLUMN c integer;"
	passes postgresql lock-timeout "CREATE TABLE u (id int);
ALTER TABLE u ADD COLUMN c integer;"
	fires mysql lock-timeout "ALTER TABLE t ADD COLUMN c integer;"
	passes mysql lock-timeout "SET SESSION lock_wait_timeout = 5;
ALTER TABLE t ADD COLUMN c integer;"
	passes sqlite lock-timeout "ALTER TABLE t ADD COLUMN c integer;"
	fires postgresql lock-timeout "ALTER TABLE t ADD COLUMN c integer;
ALTER TABLE t ADD COLUMN d integer;"
	[ "$(grep -c "lock-timeout" <<<"$output")" -eq 1 ]
	write_config "pg_settings = lock_timeout=2s, statement_timeout=0"
	passes postgresql lock-timeout "ALTER TABLE t ADD COLUMN c integer;"
}

@test "missing-downgrade: an empty downgrade section without noop" {
	for d in sqlite postgresql; do
		fires $d missing-downgrade "SELECT 1;" -
		[ "$status" -eq 0 ]
		passes $d missing-downgrade "SELECT 1;"
	done
	base
	lrev b a "SELECT 1;" -
	sed -i 's/^-- migrate:downgrade$/-- migrate:downgrade noop/' migrations/versions/b_rev.sql
	lint_b sqlite
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "require-if-not-exists: off unless lint.require_if_not_exists is set" {
	passes sqlite require-if-not-exists "CREATE TABLE u (id int);"
	write_config "lint.require_if_not_exists = true"
	for d in sqlite postgresql; do
		fires $d require-if-not-exists "CREATE TABLE u (id int);"
		[ "$status" -eq 3 ]
		fires $d require-if-not-exists "CREATE INDEX t_email ON t (email);"
		fires $d require-if-not-exists "DROP INDEX t_email;"
		passes $d require-if-not-exists "CREATE TABLE IF NOT EXISTS u (id int);
CREATE INDEX IF NOT EXISTS u_id ON u (id);
DROP INDEX IF EXISTS u_id;
DROP TABLE IF EXISTS u;"
	done
	write_config "lint.enable = require-if-not-exists"
	fires sqlite require-if-not-exists "CREATE TABLE u (id int);"
}

@test "sqlite-alter: what SQLite's ALTER TABLE cannot do" {
	fires sqlite sqlite-alter "ALTER TABLE t ALTER COLUMN name SET DEFAULT 'x';"
	fires sqlite sqlite-alter "ALTER TABLE t ADD CONSTRAINT c CHECK (id > 0);"
	fires sqlite sqlite-alter "ALTER TABLE t DROP CONSTRAINT c;"
	fires sqlite sqlite-alter "ALTER TABLE t ADD COLUMN a int, ADD COLUMN b int;"
	fires sqlite sqlite-alter "ALTER TABLE t ADD COLUMN a int UNIQUE;"
	fires sqlite sqlite-alter "ALTER TABLE t ADD COLUMN at text DEFAULT CURRENT_TIMESTAMP;"
	passes sqlite sqlite-alter "ALTER TABLE t ADD COLUMN c integer DEFAULT 0;
ALTER TABLE t RENAME COLUMN c TO d;
ALTER TABLE t RENAME TO t2;
ALTER TABLE t2 DROP COLUMN d;"
	passes postgresql sqlite-alter "ALTER TABLE t ALTER COLUMN name SET DEFAULT 'x';"
}

@test "nolint: silences the next statement only; a reason is required" {
	base
	lrev b a "-- retort:nolint drop-table the table moved to the archive database
DROP TABLE t;
UPDATE t SET name = 'x';"
	lint_b sqlite
	show
	lacks "drop-table"
	grep -q "b_rev.sql:10: error: \[update-without-where\]" <<<"$output"
	# two rules, and a comment inside a statement is for the next one
	lrev b a "-- retort:nolint drop-table,truncate both on purpose
DROP TABLE t;
TRUNCATE t /* retort:nolint delete-without-where cleanup */;
DELETE FROM t;"
	lint_b postgresql
	show
	lacks "drop-table\|delete-without-where"
	grep -q "\[truncate\]" <<<"$output"
	# without a reason: silenced, and a finding of its own
	fires sqlite nolint-reason "-- retort:nolint drop-table
DROP TABLE t;"
	lacks "\[drop-table\]"
	grep -q "b_rev.sql:8: error: \[nolint-reason\] retort:nolint without a reason" <<<"$output"
	# in an empty downgrade section, for missing-downgrade
	lrev b a "SELECT 1;" "-- retort:nolint missing-downgrade the data cannot come back"
	lint_b sqlite
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "retort.ini: lint.disable, lint.severity.RULE" {
	base
	lrev b a "DROP TABLE t;"
	write_config "lint.disable = drop-table, lock-timeout"
	lint_b postgresql
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	write_config "lint.severity.drop-table = warning"
	lint_b sqlite
	show
	[ "$status" -eq 0 ]
	grep -q "b_rev.sql:8: warning: \[drop-table\]" <<<"$output"
	write_config "lint.severity.drop-table = off"
	lint_b sqlite
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	write_config "lint.severity.missing-downgrade = error"
	lrev b a "SELECT 1;" -
	lint_b sqlite
	[ "$status" -eq 3 ]
	grep -q "error: \[missing-downgrade\]" <<<"$output"
}

@test "text output, the summary, and exit 0 for warnings only, 3 for an error" {
	base
	lrev b a "ALTER TABLE t ADD COLUMN c integer;"
	lint_b postgresql
	show
	[ "$status" -eq 0 ]
	[ "$output" = "migrations/versions/b_rev.sql:8: warning: [lock-timeout] ALTER TABLE waits for its lock with no lock timeout, and every query on the table queues behind it (start the section with SET lock_timeout = '2s' (or set it in pg_settings), and retry when it times out)" ]
	[ "$stderr" = "0 errors, 1 warning in 1 revision" ]
	lrev b a "SET lock_timeout = '1s';
DROP TABLE t;"
	lint_b postgresql
	[ "$status" -eq 3 ]
	grep -q "^migrations/versions/b_rev.sql:9: error: \[drop-table\] DROP TABLE deletes table 't' (created by revision a) and its rows (" <<<"$output"
	[ "$stderr" = "1 error, 0 warnings in 1 revision" ]
	run --separate-stderr "$RETORT" -q lint --no-database --dialect postgresql b:b
	[ "$status" -eq 3 ]
	[ "$stderr" = "" ]
	# clean
	lrev b a "SELECT 1;"
	lint_b sqlite
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "0 errors, 0 warnings in 1 revision" ]
}

@test "--json and --format json" {
	base
	lrev b a "DELETE FROM t;" -
	for f in --json "--format json"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$RETORT" lint --no-database --dialect sqlite $f b:b
		show
		[ "$status" -eq 3 ]
		[ "$(json 'd["revisions"], d["errors"], d["warnings"]')" = "[1, 1, 1]" ]
		[ "$(json '[f["rule"] for f in d["findings"]]')" = '["delete-without-where", "missing-downgrade"]' ]
		[ "$(json 'd["findings"][0]["severity"], d["findings"][0]["revision"], d["findings"][0]["line"], d["findings"][0]["section"], d["findings"][0]["dialect"]')" = '["error", "b", 8, "upgrade", "sqlite"]' ]
		[ "$(json 'd["findings"][0]["path"]')" = "migrations/versions/b_rev.sql" ]
		[ "$(json 'd["findings"][1]["section"], d["findings"][1]["line"]')" = '["downgrade", 10]' ]
		[ "$(json 'd["findings"][0]["hint"]')" = "add a WHERE clause (WHERE true when every row is meant)" ]
	done
}

@test "--format github: workflow annotations, escaped" {
	base
	lrev b a "UPDATE t SET name = 'x';
ALTER TABLE t ADD COLUMN c integer;"
	run --separate-stderr "$RETORT" lint --no-database --dialect postgresql --format github b:b
	show
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = "::error file=migrations/versions/b_rev.sql,line=8,title=update-without-where::UPDATE without WHERE changes every row of table 't' (created by revision a) (add a WHERE clause (WHERE true when every row is meant))" ]
	[ "${lines[1]}" = "::warning file=migrations/versions/b_rev.sql,line=9,title=lock-timeout::ALTER TABLE waits for its lock with no lock timeout, and every query on the table queues behind it (start the section with SET lock_timeout = '2s' (or set it in pg_settings), and retry when it times out)" ]
	# a file name holding ',' and ':' is escaped in the properties
	mv migrations/versions/b_rev.sql "migrations/versions/b_a,b:c.sql"
	run --separate-stderr "$RETORT" lint --no-database --dialect postgresql --format github b:b
	[[ "${lines[0]}" == "::error file=migrations/versions/b_a%2Cb%3Ac.sql,line=8,"* ]]
}

@test "ranges: RANGE as history takes it, all revisions by default without a database" {
	base
	lrev b a "DELETE FROM t;"
	lrev c b "UPDATE t SET id = 1;"
	run --separate-stderr "$RETORT" lint --no-database
	show
	[ "$status" -eq 3 ]
	[ "$stderr" = "2 errors, 0 warnings in 3 revisions" ]
	run --separate-stderr "$RETORT" lint --no-database c:
	[ "$stderr" = "1 error, 0 warnings in 1 revision" ]
	grep -q "c_rev.sql:8: error: \[update-without-where\]" <<<"$output"
	run --separate-stderr "$RETORT" lint --no-database :b
	[ "$stderr" = "1 error, 0 warnings in 2 revisions" ]
	run --separate-stderr "$RETORT" lint --no-database nosuch:
	[ "$status" -eq 2 ]
	grep -q "nosuch" <<<"$stderr"
	run --separate-stderr "$RETORT" lint --no-database a:b c:
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: lint takes at most one RANGE (START:END)" ]
}

@test "--base REF: the revision files changed since a git ref, untracked ones included" {
	command -v git >/dev/null || skip "git not installed"
	base
	lrev b a "DELETE FROM t;"
	git init -q . && git add -A &&
		git -c user.email=t@example.org -c user.name=t commit -qm one
	lrev c b "UPDATE t SET id = 1;"
	run --separate-stderr "$RETORT" lint --base HEAD --dialect sqlite
	show
	[ "$status" -eq 3 ]
	[ "$stderr" = "1 error, 0 warnings in 1 revision" ]
	grep -q "^migrations/versions/c_rev.sql:8: error: \[update-without-where\]" <<<"$output"
	git add -A && git -c user.email=t@example.org -c user.name=t commit -qm two
	run --separate-stderr "$RETORT" lint --base HEAD
	[ "$status" -eq 0 ]
	[ "$stderr" = "0 errors, 0 warnings in 0 revisions" ]
	run --separate-stderr "$RETORT" lint --base HEAD~1
	[ "$status" -eq 3 ]
	[ "$stderr" = "1 error, 0 warnings in 1 revision" ]
	# from a sub-folder, with -c
	mkdir sub && cd sub
	run --separate-stderr "$RETORT" -c ../retort.ini lint --base HEAD~1 --format github
	[ "$status" -eq 3 ]
	[[ "${lines[0]}" == "::error file=$TEST_DIR/migrations/versions/c_rev.sql,line=8,title=update-without-where::"* ]]
}

@test "bad input: a bad --base ref, no git work tree, an unknown format or dialect" {
	base
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" lint --base HEAD
	show
	[ "$status" -eq 2 ]
	[[ "$stderr" == "retort: --base HEAD: $TEST_DIR is not in a git work tree (fatal: not a git repository"* ]]
	command -v git >/dev/null || skip "git not installed"
	git init -q . && git add -A &&
		git -c user.email=t@example.org -c user.name=t commit -qm one
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" lint --base no-such-ref
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[[ "$stderr" == "retort: --base no-such-ref: git diff failed: fatal: "*"no-such-ref"* ]]
	run --separate-stderr "$RETORT" lint --base HEAD a:
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: give either a RANGE or --base, not both" ]
	run --separate-stderr "$RETORT" lint --no-database --format xml
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: --format xml: expected text, json or github" ]
	run --separate-stderr "$RETORT" lint --no-database --dialect oracle
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: unknown dialect 'oracle' (expected sqlite, postgresql or mysql)" ]
	[ "$(tree_sum)" = "$before" ]
}

# bad_config TEXT STDERR [LINES...]: with retort.ini holding LINES, lint
# fails with exit 2 and STDERR, and nothing changes (no database either).
bad_config() {
	local want="$1" before
	shift
	write_config "$@"
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" lint --no-database
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "$want" ]
	[ "$(tree_sum)" = "$before" ]
	[ ! -e app.db ]
}

@test "bad input: unknown rules and severities in retort.ini, unknown rules in nolint" {
	base
	local before
	bad_config "retort: retort.ini:4: unknown lint rule 'drop-tabel' in lint.disable (retort lint --list-rules lists them)" \
		"lint.disable = drop-table, drop-tabel"
	bad_config "retort: retort.ini:4: unknown lint rule 'x' in lint.enable (retort lint --list-rules lists them)" \
		"lint.enable = x"
	bad_config "retort: retort.ini:5: unknown lint rule 'nosuch' in lint.severity.nosuch (retort lint --list-rules lists them)" \
		"" "lint.severity.nosuch = error"
	bad_config "retort: retort.ini:4: lint.severity.drop-table = 'fatal': expected error, warning or off" \
		"lint.severity.drop-table = fatal"
	bad_config "retort: retort.ini:4: unknown key 'lint.severities.drop-table' in [retort]" \
		"lint.severities.drop-table = off"
	write_config "lint.require_if_not_exists = maybe"
	run --separate-stderr "$RETORT" lint --no-database
	[ "$status" -eq 2 ]
	[[ "$stderr" == "retort: retort.ini:4: "*"maybe"* ]]
	write_config
	lrev b a "SELECT 1;
-- retort:nolint drop-tabel typo
DROP TABLE t;"
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" lint --no-database
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: $TEST_DIR/migrations/versions/b_rev.sql:9: unknown lint rule 'drop-tabel' in retort:nolint (retort lint --list-rules lists them)" ]
	[ "$(tree_sum)" = "$before" ]
	lrev b a "-- retort:nolint
DROP TABLE t;"
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" lint --no-database
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: $TEST_DIR/migrations/versions/b_rev.sql:8: retort:nolint names no rule (write: -- retort:nolint RULE reason)" ]
	[ "$(tree_sum)" = "$before" ]
	[ ! -e app.db ]
}

@test "bad input: a project that cannot be read, no dialect" {
	rm retort.ini
	run --separate-stderr "$RETORT" lint --no-database
	[ "$status" -eq 2 ]
	grep -q "retort.ini" <<<"$stderr"
	write_config
	printf -- '-- broken\n--\n-- Revision ID: q\n' >migrations/versions/q_broken.sql
	run --separate-stderr "$RETORT" lint --no-database
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	grep -q "q_broken.sql" <<<"$stderr"
	rm migrations/versions/q_broken.sql
	base
	{ echo "[retort]"; echo "script_location = %(here)s/migrations"; echo 'url = ${NO_SUCH_VAR_FOR_LINT}'; } >retort.ini
	run --separate-stderr "$RETORT" lint --no-database
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"NO_SUCH_VAR_FOR_LINT"*"; lint needs the url's dialect, or --dialect" ]]
	run --separate-stderr "$RETORT" lint --no-database --dialect sqlite
	[ "$status" -eq 0 ]
}

@test "--list-rules: every rule is documented in docs/lint.md and man/retort-lint.1.scd" {
	run --separate-stderr "$RETORT" lint --list-rules
	show
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -ge 20 ]
	local id
	while read -r id _; do
		grep -q "^### \`$id\`" "$RETORT_SOURCE_DIR/docs/lint.md" || {
			echo "$id is not in docs/lint.md"
			return 1
		}
		grep -q "$id" "$RETORT_SOURCE_DIR/man/retort-lint.1.scd" || {
			echo "$id is not in man/retort-lint.1.scd"
			return 1
		}
	done <<<"$output"
	run --separate-stderr "$RETORT" --json lint --list-rules
	[ "$(json 'd["rules"][0]')" = '{"rule": "drop-table", "severity": "error", "summary": "DROP TABLE of a table that holds data"}' ]
}

@test "existing tables come from the revision's own ancestry, not from another branch" {
	lrev r "" "SELECT 1;"
	lrev x r "CREATE TABLE s (id int);"
	lrev y r "CREATE INDEX s_id ON s (id);"
	sed -i 's/^-- Revises: r$/-- Revises: r\n-- Branch Labels: ybranch/' migrations/versions/y_rev.sql
	run --separate-stderr "$RETORT" lint --no-database --dialect postgresql y:y
	show
	grep -q "\[create-index-not-concurrent\] CREATE INDEX on existing table 's' blocks" <<<"$output"
	lacks "created by revision x"
	# in x's line the same index names x
	lrev x2 x "CREATE INDEX s_id ON s (id);"
	run --separate-stderr "$RETORT" lint --no-database --dialect postgresql x2:x2
	grep -q "existing table 's' (created by revision x) blocks" <<<"$output"
}

@test "retort.ini: a [retort.lint] section, its keys checked as lint.KEY" {
	base
	lrev b a "DROP TABLE t;
UPDATE t SET id = 1;"
	{
		echo "[retort.lint]"
		echo "disable = update-without-where"
		echo "severity.drop-table = warning"
	} >>retort.ini
	lint_b sqlite
	show
	[ "$status" -eq 0 ]
	[ "$output" = "migrations/versions/b_rev.sql:8: warning: [drop-table] DROP TABLE deletes table 't' (created by revision a) and its rows (rename it and drop it in a later revision, once nothing reads it and a backup exists)" ]
	echo "severity.drop-column = fatal" >>retort.ini
	lint_b sqlite
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: retort.ini:7: lint.severity.drop-column = 'fatal': expected error, warning or off" ]
	write_config "lint.disable = truncate"
	printf '[retort.lint]\ndisable = drop-table\n' >>retort.ini
	lint_b sqlite
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: retort.ini:6: duplicate key 'disable' in [retort.lint] (lint.disable first set on line 4)" ]
	write_config
	printf '[retort.lint]\ndisabel = drop-table\n' >>retort.ini
	lint_b sqlite
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: retort.ini:5: unknown key 'disabel' in [retort.lint]" ]
}

@test "per-dialect sections: each is read as its own dialect; a dialect without a section of its own reads the untagged one" {
	base
	cat >migrations/versions/b_rev.sql <<'SQL'
-- rev b
--
-- Revision ID: b
-- Revises: a
-- Create Date: 2024-01-02 03:04:05.000000

-- migrate:upgrade dialect:postgresql
SET lock_timeout = '2s';
CREATE INDEX t_email ON t (email);

-- migrate:upgrade
CREATE INDEX t_email ON t (email);

-- migrate:downgrade dialect:postgresql
DROP INDEX t_email;

-- migrate:downgrade
SQL
	# linting for SQLite: the PostgreSQL section is read as PostgreSQL,
	# the untagged sections as SQLite (their downgrade is empty)
	lint_b sqlite
	[ "$status" -eq 3 ]
	grep -q '^migrations/versions/b_rev.sql:9: error: \[create-index-not-concurrent\]' <<<"$output"
	grep -q '^migrations/versions/b_rev.sql:17: warning: \[missing-downgrade\]' <<<"$output"
	[ "$(wc -l <<<"$output")" -eq 2 ]
	lint_b sqlite --json
	grep -q '"rule": "create-index-not-concurrent", "severity": "error", "revision": "b", "path": "[^"]*", "line": 9, "section": "upgrade", "dialect": "postgresql"' <<<"$output"
	grep -q '"rule": "missing-downgrade", "severity": "warning", "revision": "b", "path": "[^"]*", "line": 17, "section": "downgrade", "dialect": "sqlite"' <<<"$output"
	# linting for PostgreSQL: its own sections only (the untagged ones
	# are no other dialect's)
	lint_b postgresql
	[ "$status" -eq 3 ]
	[ "$output" = "migrations/versions/b_rev.sql:9: error: [create-index-not-concurrent] $(sed -n 's/^.*b_rev.sql:9: error: \[create-index-not-concurrent\] //p' <<<"$output")" ]
}
