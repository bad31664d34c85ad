#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_test.bats: `retort test`, the stairway on a scratch database
# (SQLite in memory; PostgreSQL and MySQL a temporary database on the
# server): a
# correct history passes, a downgrade that forgets an index is reported
# with the difference, seed data is kept, multiple heads fail, and the
# configured database is never touched.

load online_helpers

# json EXPR: a Python expression over the JSON in $output (as `d`).
json() {
	printf '%s' "$output" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r))' "$1"
}

setup() {
	online_setup
}

teardown() {
	db_drop_others
	online_teardown
}

# r1 -> r2 -> r3 -> r4, r3 adding an index on r2's table; with `forget`,
# r3's downgrade leaves the index behind.
history() {
	mkrev r1 "" "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);" \
		"DROP TABLE author;"
	mkrev r2 r1 "CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT);" \
		"DROP TABLE book;"
	if [ "${1:-}" = forget ]; then
		mkrev r3 r2 "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT);
CREATE INDEX book_title ON book (title);" "DROP TABLE tag;"
	else
		mkrev r3 r2 "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT);
CREATE INDEX book_title ON book (title);" "$(drop_index book_title book)
DROP TABLE tag;"
	fi
	mkrev r4 r3 "ALTER TABLE author ADD COLUMN born INTEGER;" \
		"ALTER TABLE author DROP COLUMN born;"
}

# drop_index NAME TABLE: the dialect's DROP INDEX.
drop_index() {
	case "$DB_DIALECT" in
	mysql) echo "DROP INDEX $1 ON $2;" ;;
	*) echo "DROP INDEX $1;" ;;
	esac
}

# PostgreSQL and MySQL: the scratch databases retort pid $1 left (named
# retort_scratch_<pid>_<n>)
scratch_dbs() {
	case "$DB_DIALECT" in
	postgresql) db_query "SELECT count(*) FROM pg_catalog.pg_database WHERE datname LIKE 'retort\_scratch\_$1\_%'" ;;
	mysql) db_query "SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'retort\_scratch\_$1\_%'" ;;
	esac
}

@test "test: a correct history passes, the database untouched, the scratch database dropped" {
	history
	before="$(db_dump)"
	"$RETORT" test >"$BATS_TEST_TMPDIR/out" 2>&1 &
	pid=$!
	wait "$pid"
	expect_eq "scratch databases left" "$( [ "$DB_DIALECT" != sqlite ] && echo 0)" "$(scratch_dbs "$pid")"
	rt test
	expect_status 0
	expect_contains stdout "$output" "ok     r1, create r1"
	expect_contains stdout "$output" "ok     r4, create r4"
	expect_contains stdout "$output" "4 revisions passed"
	expect_eq "the database" "$before" "$(db_dump)"
	db_is_fresh
}

@test "test: a downgrade that forgets an index is reported with the difference, exit 3" {
	history forget
	before="$(db_dump)"
	rt test
	expect_status 3
	expect_contains stdout "$output" "ok     r2"
	expect_contains stdout "$output" "FAILED r3, create r3"
	expect_contains stdout "$output" "the downgrade did not restore the schema before the upgrade (1 difference; below: what it also needs to do); then the second upgrade failed: $(revfile r3):11: "
	expect_contains stdout "$output" "    drop index book_title"
	# the re-upgrade then fails on the index that is still there: the
	# stairway stops, r4 untested
	expect_contains stdout "$output" "stopped at revision r3"
	expect_contains stdout "$output" "1 revision above it was not tested"
	expect_not_contains stdout "$output" "r4, create r4"
	expect_error "the migration test found 2 problems"
	expect_eq "the database" "$before" "$(db_dump)"
}

@test "test --json: the verdicts and the differences" {
	history forget
	rt --json test
	expect_status 3
	expect_eq "r3 ok" "false" "$(json 'd["revisions"][2]["ok"]')"
	expect_contains "r3 details" "$(json 'd["revisions"][2]["details"]')" "book_title"
	expect_eq "problems" '["stopped"]' "$(json '[p["kind"] for p in d["problems"]]')"
}

@test "test: seed data is kept through every later step" {
	history
	cat >seed.sql <<'SQL'
INSERT INTO author (id, name) VALUES (1, 'Ann'), (2, 'Bo');
INSERT INTO book (id, author_id, title) VALUES (1, 1, 'A');
SQL
	online_config "test.data = %(here)s/seed.sql"
	rt test
	expect_status 0
	expect_contains stdout "$output" "seed data loaded after r2"
}

@test "test: a downgrade that loses seed rows fails" {
	history
	# r4 rebuilds author on the way down without copying its rows
	mkrev r4 r3 "CREATE TABLE extra (id INTEGER);" \
		"DROP TABLE extra;
DELETE FROM author;"
	printf 'INSERT INTO author (id, name) VALUES (1, %s);\n' "'Ann'" >seed.sql
	rt test --data seed.sql
	expect_status 3
	expect_contains stdout "$output" "FAILED r4"
	expect_contains stdout "$output" "lost or added rows of the seed data (1 table)"
	expect_contains stdout "$output" "table author: 1 row before the downgrade, 0 after upgrading again"
}

@test "test: seed rows are counted over the tables each revision has (one sorting first, one dropped)" {
	mkrev r1 "" "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);" \
		"DROP TABLE author;"
	mkrev r2 r1 "CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT);" \
		"DROP TABLE book;"
	# aa sorts before author, and r4 drops a table: the counts before
	# and after each step must be of the same tables
	mkrev r3 r2 "CREATE TABLE aa (id INTEGER PRIMARY KEY);" "DROP TABLE aa;"
	mkrev r4 r3 "DROP TABLE book;" \
		"CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT);"
	printf 'INSERT INTO author (id, name) VALUES (1, %s);\n' "'Ann'" >seed.sql
	rt test --data seed.sql
	expect_status 0
	expect_contains stdout "$output" "seed data loaded after r1"
	expect_not_contains stdout "$output" "FAILED"
}

@test "test: seed data that never loads is a problem" {
	history
	echo "INSERT INTO nowhere VALUES (1);" >seed.sql
	rt test --data seed.sql
	expect_status 3
	expect_contains stdout "$output" "the seed data seed.sql never loaded"
	expect_contains stdout "$output" "nowhere"
}

@test "test: multiple heads fail" {
	mkrev a1 ""
	mkrev b1 ""
	rt test
	expect_status 3
	expect_contains stdout "$output" "Multiple heads are present: "
}

@test "test: an empty downgrade fails unless --allow-irreversible" {
	mkrev r1 ""
	mkrev r2 r1 "CREATE TABLE x (id INTEGER);" -
	rt test
	expect_status 3
	expect_contains stdout "$output" "the downgrade section is empty"
	rt test --allow-irreversible
	expect_status 0
	expect_contains stdout "$output" "(irreversible: only upgraded)"
}

@test "test: per-dialect sections: the database's own are tested; one without a downgrade for it is irreversible" {
	local other=sqlite f="$PROJ/migrations/versions/a1_split.sql"
	[ "$DB_DIALECT" = sqlite ] && other=postgresql
	# the other dialect's sections come first and their downgrade forgets
	# a table: only this dialect's run here
	cat >"$f" <<EOF2
-- split
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade dialect:$other
CREATE TABLE t (id INTEGER);
CREATE TABLE forgotten (id INTEGER);

-- migrate:upgrade dialect:$DB_DIALECT
CREATE TABLE t (id INTEGER);

-- migrate:downgrade dialect:$other
DROP TABLE t;

-- migrate:downgrade dialect:$DB_DIALECT
DROP TABLE t;
EOF2
	rt test
	expect_status 0
	expect_contains stdout "$output" "ok     a1, split"
	sed -i "/^-- migrate:downgrade dialect:$DB_DIALECT\$/,\$d" "$f"
	rt test
	expect_status 3
	expect_contains stdout "$output" "$f: revision a1 has no downgrade section for $DB_DIALECT: nothing undoes the upgrade there, which was not tested"
	db_is_fresh
}

@test "test: an upgrade that fails names file:line" {
	mkrev r1 ""
	mkrev r2 r1 "CREATE TABLE y (id INTEGER);
SELECT * FROM missing_table;" "DROP TABLE y;"
	rt test
	expect_status 3
	expect_contains stdout "$output" "the upgrade failed: $(revfile r2):11: "
}

@test "test: the declared schema at head is compared" {
	history
	cat >schema.sql <<'SQL'
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT, born INTEGER);
CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER, title TEXT);
CREATE INDEX book_title ON book (title);
SQL
	online_config "schema = %(here)s/schema.sql"
	rt test
	expect_status 3
	expect_contains stdout "$output" "the migrations at head differ from the declared schema:"
	expect_contains stdout "$output" "tag"
	echo "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT);" >>schema.sql
	rt test
	expect_status 0
}

@test "test: bad inputs" {
	history
	rt test extra
	expect_status 2
	expect_error "test takes no arguments"
	rt test --data nowhere.sql
	expect_status 2
	expect_error "cannot read the seed data 'nowhere.sql' (test.data): No such file or directory"
	mkrev r5 r4 "COMMIT;" "-"
	rt test
	expect_status 2
	expect_contains stderr "$stderr" "COMMIT in a transactional section"
	rm "$(revfile r5)"
	online_config "test.data = %(here)s/missing.sql"
	rt test
	expect_status 2
	expect_error "cannot read the seed data '$PROJ/missing.sql' (test.data): No such file or directory"
	# a folder, a named pipe: refused, not read as empty nor waited on
	mkdir "$PROJ/folder.sql"
	mkfifo "$PROJ/pipe.sql"
	rt test --data "$PROJ/folder.sql"
	expect_status 2
	expect_error "cannot read the seed data '$PROJ/folder.sql' (test.data): Is a directory"
	run --separate-stderr timeout 20 "$RETORT" test --data "$PROJ/pipe.sql"
	expect_status 2
	expect_error "cannot read the seed data '$PROJ/pipe.sql' (test.data): not a regular file (a named pipe)"
	db_is_fresh
}

@test "test: PostgreSQL dev_url is the scratch database, emptied first, its mark cleared" {
	require_postgresql "dev_url is PostgreSQL's"
	history
	db_other dev
	"$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$OTHER_PSQL_URL" \
		-c "CREATE TABLE leftover (id INTEGER)" \
		-c "COMMENT ON DATABASE ${TEST_DB}_dev IS 'retort:stale'"
	online_config "dev_url = ${OTHER_URL//%/%%}"
	rt test
	expect_status 0
	expect_contains stdout "$output" "4 revisions passed"
	tables="$("$PG_BIN/psql" -X -A -t -d "$OTHER_PSQL_URL" -c "SELECT string_agg(relname, ' ' ORDER BY relname) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")"
	expect_eq "dev tables (at head)" "author book tag" "$tables"
	comment="$("$PG_BIN/psql" -X -A -t -d "$OTHER_PSQL_URL" -c "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = current_database()")"
	expect_eq "mark" "" "$comment"
	db_is_fresh
}
