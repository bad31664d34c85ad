#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_setups.bats: what real teams' setups tripped on (issue 10):
# validate reports what makes `upgrade head` fail, the database at a
# revision whose file is gone, and the hints that say what to run.
# Runs on SQLite and on PostgreSQL.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

UNKNOWN_B="Can't locate revision identified by 'b' (the database is at revision 'b', which is not in the revision files: was the file deleted, or is this the wrong project? 'retort stamp --purge REV' resets the version table)"

@test "a second root: validate --no-database reports it (upgrade head would fail), labelled roots pass" {
	mkrev a ""
	mkrev b ""
	rt validate --no-database
	expect_status 3
	expect_stdout "Multiple head revisions are present: a, b (separate roots: 'upgrade head' fails on them; merge them with 'retort merge heads -m ...', or give each root a branch label and upgrade with 'heads' or 'LABEL@head')"
	rt upgrade head
	expect_status 2
	mkrev -l one a ""
	mkrev -l two b ""
	rt validate --no-database
	expect_status 0
}

@test "the database at a revision whose file was deleted: validate, check, history -i and upgrade all name it" {
	mkrev a ""
	mkrev b a
	rt upgrade head
	expect_status 0
	before=$(db_dump)
	rm "$(revfile b)"
	rt validate
	expect_status 3
	expect_stdout "$UNKNOWN_B"
	rt history -i
	expect_status 2
	expect_error "$UNKNOWN_B"
	rt current
	expect_status 2
	expect_error "$UNKNOWN_B"
	rt upgrade head
	expect_status 2
	expect_error "$UNKNOWN_B"
	echo "CREATE TABLE t_a (id INTEGER PRIMARY KEY, v TEXT);" >"$PROJ/schema.sql"
	online_config "schema = %(here)s/schema.sql"
	rt check
	expect_status 2
	expect_error "$UNKNOWN_B"
	expect_eq "database" "$before" "$(db_dump)"
}

@test "check on an unversioned database that has tables: the hint names stamp" {
	mkrev a ""
	echo "CREATE TABLE t_a (id INTEGER PRIMARY KEY, v TEXT);" >"$PROJ/schema.sql"
	online_config "schema = %(here)s/schema.sql"
	db_exec "CREATE TABLE t_a (id INTEGER PRIMARY KEY, v TEXT)"
	before=$(db_dump)
	rt check
	expect_status 1
	expect_error "Target database is not up to date. (it has 1 table but no version rows: if they match a revision, 'retort stamp REV' records it; otherwise run 'retort upgrade head')"
	expect_eq "database" "$before" "$(db_dump)"
}

@test "relation already exists on upgrade: the hint names stamp" {
	mkrev a ""
	db_exec "CREATE TABLE t_a (id INTEGER PRIMARY KEY, v TEXT)"
	rt upgrade head
	expect_status 1
	case "$DB_DIALECT" in
	sqlite) msg="table t_a already exists" ;;
	postgresql) msg="relation \"t_a\" already exists (SQLSTATE 42P07)" ;;
	mysql) msg="Table 't_a' already exists (MySQL error 1050) (SQLSTATE 42S01)" ;;
	esac
	expect_error "$(revfile a):10: $msg (if the database got this before retort managed it, 'retort stamp REV' records the revision it is at instead of running it)"
	expect_eq "versions" "" "$(db_versions)"
}

@test "a scratch database that cannot be created keeps its reason (no CREATEDB, no dev_url)" {
	require_postgresql "scratch databases"
	local role="${TEST_DB}_nocreate"
	psql_admin "CREATE ROLE $role LOGIN PASSWORD 'pw' NOCREATEDB" \
		"ALTER DATABASE $TEST_DB OWNER TO $role"
	mkrev a "" "CREATE TABLE t_a (id INTEGER);"
	echo "CREATE TABLE t_a (id INTEGER);" >"$PROJ/schema.sql"
	local url
	url=$(printf '%s' "$TEST_URL" | sed -E "s#://[^@/]*@#://$role:pw@#")
	online_config "schema = %(here)s/schema.sql"
	rt --url "$url" upgrade head
	expect_status 0
	rt --url "$url" check
	expect_status 2
	expect_contains stderr "$stderr" "to load the declared schema into (permission denied to create database); set dev_url to a database retort may use for that"
	db_end_sessions
	psql_admin "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" "DROP ROLE $role"
	DB_CREATED=
}
