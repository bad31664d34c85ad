#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_autogen_dialects.bats: `autogenerate_dialects = sqlite, postgresql`:
# revision --autogenerate writes a section per dialect, each diff computed
# for that dialect (the url's database at head; the other dialect's head
# built from the revisions on a scratch database: SQLite in memory,
# PostgreSQL dev_url.postgresql), the declared schema printed per dialect
# by schema_command; the revision applies on both; check verifies each.
#
# Under RETORT_TEST_DIALECT=postgresql the url is PostgreSQL and the other
# dialect SQLite; under sqlite the other is PostgreSQL, which needs the
# server of RETORT_TEST_PG_URL (tests/pg/server.sh); without one the
# two-dialect tests are skipped there, the error tests still run.

load online_helpers

setup() {
	online_setup
	VERSIONS="$PROJ/migrations/versions"
	PG_EXTRA_DBS=
}

teardown() {
	local db
	for db in $PG_EXTRA_DBS; do
		psql_admin "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
	done
	db_drop_others
	online_teardown
}

rev_files() {
	find "$VERSIONS" -maxdepth 1 -name '*.sql' | LC_ALL=C sort
}

# pg_extra NAME: a fresh PostgreSQL database on the test server; its url
# in PG_EXTRA_URL. Skips when there is no server.
pg_extra() {
	if [ "$DB_DIALECT" = postgresql ]; then
		db_other "$1" || return 1
		PG_EXTRA_URL="$OTHER_URL"
		return 0
	fi
	[ -n "${RETORT_TEST_PG_URL:-}" ] ||
		skip "needs a PostgreSQL server (run under tests/pg/server.sh)"
	local keep_url="$TEST_URL"
	pg_online_setup "$RETORT_TEST_PG_URL" || return 1
	psql_admin "CREATE DATABASE $TEST_DB${PG_OWNER:+ OWNER \"$PG_OWNER\"}" ||
		return 1
	PG_EXTRA_DBS="$PG_EXTRA_DBS $TEST_DB"
	PG_EXTRA_URL="$TEST_URL"
	TEST_URL="$keep_url"
	TEST_DB=
}

# two_dialects: retort.ini with both dialects; OTHER (the dialect that is
# not the url's), OTHER_APPLY (a database of that dialect to apply the
# revisions on) and SERVER (the pair's server dialect: PostgreSQL, or
# MySQL as the url's dialect with SQLite).
two_dialects() {
	write_models
	if [ "$DB_DIALECT" = mysql ]; then
		# MySQL is the url's dialect (its scratch database a temporary
		# one on the server), SQLite the other
		OTHER=sqlite SERVER=mysql
		OTHER_APPLY="sqlite:///$BATS_TEST_TMPDIR/other.db"
		# the MySQL database a SQLite url's check builds mysql's head in
		db_other dev || return 1
		online_config "schema_command = ./models.sh {dialect}" \
			"autogenerate_dialects = sqlite, mysql" \
			"dev_url.mysql = ${OTHER_URL//%/%%}"
		return
	fi
	SERVER=postgresql
	pg_extra dev || return 1
	local dev="$PG_EXTRA_URL"
	case "$DB_DIALECT" in
	sqlite)
		OTHER=postgresql
		pg_extra apply || return 1
		OTHER_APPLY="$PG_EXTRA_URL"
		;;
	*)
		OTHER=sqlite
		OTHER_APPLY="sqlite:///$BATS_TEST_TMPDIR/other.db"
		;;
	esac
	online_config "schema_command = ./models.sh {dialect}" \
		"autogenerate_dialects = sqlite, postgresql" \
		"dev_url.postgresql = ${dev//%/%%}"
}

# models.sh DIALECT: the declared schema of model version $PROJ/version.
write_models() {
	echo 1 >"$PROJ/version"
	cat >"$PROJ/models.sh" <<'EOF2'
#!/bin/sh
v=$(cat version)
echo "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL$([ "$v" -ge 3 ] && echo ', email TEXT'));"
if [ "$v" -ge 2 ]; then
	echo "CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT, author_id INTEGER REFERENCES author (id));"
else
	echo "CREATE TABLE book (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER REFERENCES author (id));"
fi
EOF2
	chmod +x "$PROJ/models.sh"
}

# autogen MESSAGE: one new revision file, REV.
autogen() {
	local before
	before="$(rev_files)"
	rt revision --autogenerate -m "$1"
	expect_status 0 || return 1
	REV="$(comm -13 <(printf '%s\n' "$before") <(rev_files) | grep .)"
	[ "$(printf '%s\n' "$REV" | wc -l)" -eq 1 ]
}

# section FILE upgrade|downgrade DIALECT: the text of that section.
section() {
	awk -v want="-- migrate:$2 dialect:$3" '
		/^-- migrate:/ { insec = ($0 == want || index($0, want " ") == 1); next }
		insec' "$1"
}

# type_text DIALECT: TEXT as the dialect's catalog prints it.
type_text() {
	case "$1" in sqlite) echo TEXT ;; *) echo text ;; esac
}

# The statement that makes book.title nullable on SERVER.
title_nullable() {
	case "$SERVER" in
	mysql) echo "ALTER TABLE book MODIFY COLUMN title text NULL;" ;;
	*) echo "ALTER TABLE book ALTER COLUMN title DROP NOT NULL;" ;;
	esac
}

expect_clean_on() {
	rt check ${1:+--url "$1"}
	expect_status 0 || return 1
	expect_stdout "No new upgrade operations detected."
}

@test "two dialects: autogenerate writes both sections, each applies on its database, check clean on both; a SQLite rebuild keeps its PRAGMA, PostgreSQL's section has none" {
	two_dialects
	rt check
	expect_status 3
	expect_stdout "New upgrade operations detected:
  $DB_DIALECT: add table author
  $DB_DIALECT: add table book
  $OTHER: add table author
  $OTHER: add table book"
	autogen v1
	expect_eq markers "-- migrate:upgrade dialect:sqlite
-- migrate:upgrade dialect:$SERVER
-- migrate:downgrade dialect:sqlite
-- migrate:downgrade dialect:$SERVER" "$(grep '^-- migrate:' "$REV")"
	rt upgrade head
	expect_status 0
	rt upgrade head --url "$OTHER_APPLY"
	expect_status 0
	expect_clean_on ""
	expect_clean_on "$OTHER_APPLY"
	db_exec "INSERT INTO author (id, name) VALUES (1, 'Ann');
	         INSERT INTO book (id, title, author_id) VALUES (1, 'Dune', 1);"

	# v2: book.title nullable: a table rebuild on SQLite
	echo 2 >"$PROJ/version"
	autogen v2
	section "$REV" upgrade sqlite | grep -q '^PRAGMA foreign_key_check(book);$' || {
		cat "$REV"
		return 1
	}
	! section "$REV" upgrade $SERVER | grep -qi 'pragma' || {
		cat "$REV"
		return 1
	}
	expect_contains "$SERVER section" "$(section "$REV" upgrade $SERVER)" \
		"$(title_nullable)"
	rt upgrade head
	expect_status 0
	rt upgrade head --url "$OTHER_APPLY"
	expect_status 0
	expect_clean_on ""
	expect_clean_on "$OTHER_APPLY"
	expect_eq rows "1|Dune" "$(db_query "SELECT id, title FROM book")"
	# and back down on both
	rt downgrade base --url "$OTHER_APPLY"
	expect_status 0
	rt downgrade -1
	expect_status 0
	rt upgrade head
	expect_status 0
}

@test "check fails per dialect: a model changed without a revision on both; a hand edit to one dialect's section on that dialect only; nothing changes" {
	two_dialects
	autogen v1
	rt upgrade head
	expect_status 0
	local before files
	before="$(db_dump)"
	files="$(rev_files)"
	echo 3 >"$PROJ/version"
	rt check
	expect_status 3
	# (version 3 has version 2's nullable title too)
	expect_stdout "New upgrade operations detected:
  $DB_DIALECT: add column author.email $(type_text "$DB_DIALECT")
  $DB_DIALECT: drop NOT NULL on book.title
  $OTHER: add column author.email $(type_text "$OTHER")
  $OTHER: drop NOT NULL on book.title"
	expect_stderr ""
	echo 1 >"$PROJ/version"
	expect_clean_on ""
	# the other dialect's section gets a table the models do not have
	sed -i "/^-- migrate:upgrade dialect:$OTHER\$/a CREATE TABLE stray (id INTEGER);" "$REV"
	rt check
	expect_status 3
	expect_stdout "New upgrade operations detected:
  $OTHER: drop table stray"
	expect_eq dump "$before" "$(db_dump)"
	expect_eq "revision files" "$files" "$(rev_files)"
}

@test "the other dialect's head fails to build: the revision's file:line and the database's message, nothing changed" {
	two_dialects
	autogen v1
	rt upgrade head
	expect_status 0
	local line before
	line="$(grep -n "^-- migrate:upgrade dialect:$OTHER\$" "$REV" | cut -d: -f1)"
	sed -i "/^-- migrate:upgrade dialect:$OTHER\$/a CREATE TABLE stray (,);" "$REV"
	before="$(db_dump)"
	rt check
	expect_status 1
	expect_contains stderr "$stderr" "retort: $REV:$((line + 1)): revision $(basename "$REV" | cut -d_ -f1) does not run on a scratch $OTHER database (building the revisions' head for autogenerate_dialects): "
	expect_eq dump "$before" "$(db_dump)"
}

@test "a revision with no section for a listed dialect: check and autogenerate name it, nothing written" {
	two_dialects
	mkrev a1 "" "CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT NOT NULL);" "DROP TABLE author;"
	sed -i "s/^-- migrate:upgrade\$/-- migrate:upgrade dialect:$DB_DIALECT/; s/^-- migrate:downgrade\$/-- migrate:downgrade dialect:$DB_DIALECT/" "$(revfile a1)"
	rt upgrade head
	expect_status 0
	local files
	files="$(rev_files)"
	for cmd in check "revision --autogenerate -m x"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 2
		expect_error "$(revfile a1):9: revision a1 has no upgrade section for $OTHER (it has dialect:$DB_DIALECT); add a '-- migrate:upgrade dialect:$OTHER' section, or one without dialect: for every database; nothing was run"
	done
	expect_eq "revision files" "$files" "$(rev_files)"
}

@test "autogenerate_dialects: an unknown or repeated dialect, or one without the url's, is a configuration error naming retort.ini:LINE; nothing written" {
	write_models
	local other
	case "$DB_DIALECT" in sqlite) other=postgresql ;; *) other=sqlite ;; esac
	local files before
	files="$(rev_files)"
	before="$(db_dump)"
	for v in "sqlite, oracle|unknown dialect 'oracle' (sqlite, postgresql, mysql)" \
		"$DB_DIALECT $DB_DIALECT|$DB_DIALECT is listed twice" \
		"$other|the url's dialect, $DB_DIALECT, is not listed (its database is the one compared at head)"; do
		online_config "schema_command = ./models.sh {dialect}" "autogenerate_dialects = ${v%%|*}"
		for cmd in check "revision --autogenerate -m x"; do
			# shellcheck disable=SC2086
			rt $cmd
			expect_status 2
			expect_error "retort.ini:5: autogenerate_dialects: ${v#*|}"
		done
	done
	expect_eq "revision files" "$files" "$(rev_files)"
	expect_eq dump "$before" "$(db_dump)"
}

@test "SQLite url listing postgresql or mysql without its dev_url.<dialect>, or with one of another dialect: the error says what to set; nothing written" {
	require_sqlite "a PostgreSQL url has its own server"
	write_models
	online_config "schema_command = ./models.sh {dialect}" "autogenerate_dialects = sqlite, postgresql"
	local files before
	files="$(rev_files)"
	before="$(db_dump)"
	for cmd in check "revision --autogenerate -m x"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 2
		expect_error "retort.ini:5: autogenerate_dialects lists postgresql, which needs a database to build the revisions' head and load the declared schema in: set dev_url.postgresql to a postgresql database retort may empty (the url is not a postgresql database, so there is no server to make a temporary one on)"
	done
	online_config "schema_command = ./models.sh {dialect}" "autogenerate_dialects = sqlite, postgresql" "dev_url.postgresql = sqlite:///x.db"
	rt check
	expect_status 2
	expect_error "retort.ini:6: dev_url.postgresql must be a postgresql database"
	# the same for mysql
	online_config "schema_command = ./models.sh {dialect}" "autogenerate_dialects = sqlite, mysql"
	rt check
	expect_status 2
	expect_error "retort.ini:5: autogenerate_dialects lists mysql, which needs a database to build the revisions' head and load the declared schema in: set dev_url.mysql to a mysql database retort may empty (the url is not a mysql database, so there is no server to make a temporary one on)"
	online_config "schema_command = ./models.sh {dialect}" "autogenerate_dialects = sqlite, mysql" "dev_url.mysql = postgresql://u@127.0.0.1:1/x"
	rt check
	expect_status 2
	expect_error "retort.ini:6: dev_url.mysql must be a mysql database"
	expect_eq "revision files" "$files" "$(rev_files)"
	expect_eq dump "$before" "$(db_dump)"
}

@test "a server url: dev_url.<dialect> serves as its dev_url when dev_url is unset (the loaded schema's mark lands there)" {
	require_server "the url's own dialect must have a server"
	write_models
	db_other dev
	online_config "schema_command = ./models.sh {dialect}" \
		"dev_url.$DB_DIALECT = ${OTHER_URL//%/%%}"
	rt check
	expect_status 3
	local mark sum
	sum="$(./models.sh "$DB_DIALECT" | sha256sum | cut -d' ' -f1)"
	if [ "$DB_DIALECT" = mysql ]; then
		mark="$(my_admin "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$OTHER_DB'" | tail -n +2)"
		expect_eq mark "retort:$sum search_path=" "$mark"
		return
	fi
	mark="$("$PG_BIN/psql" -X -A -t -v ON_ERROR_STOP=1 -d "$OTHER_PSQL_URL" -c \
		"SELECT pg_catalog.shobj_description(oid, 'pg_database')
		 FROM pg_catalog.pg_database WHERE datname = current_database()")"
	expect_eq mark "retort:$sum search_path=public" "$mark"
}
