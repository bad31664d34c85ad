#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_dialects.bats: per-dialect sections (`-- migrate:upgrade
# dialect:sqlite` / `dialect:postgresql` / `dialect:mysql`): each database
# runs the section of its dialect, or the untagged default; a revision with
# neither is refused at plan time naming file:line, nothing run; checksums
# are per section; validate --no-database checks every section. On SQLite,
# PostgreSQL and MySQL (see online_helpers.bash).

load online_helpers

setup() {
	online_setup
	VERSIONS="$PROJ/migrations/versions"
}

teardown() {
	online_teardown
}

# OTHER: a dialect that is not the one under test.
other_dialect() {
	case "$DB_DIALECT" in
	sqlite) echo postgresql ;;
	*) echo sqlite ;;
	esac
}

# A revision whose upgrade differs per dialect: the SQLite one ends with
# the PRAGMA PostgreSQL rejects, the PostgreSQL one uses SERIAL, the MySQL
# one AUTO_INCREMENT.
write_split() {
	cat >"$VERSIONS/a1_split.sql" <<'EOF2'
-- split
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade dialect:sqlite
CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
CREATE TABLE only_sqlite (id INTEGER);
PRAGMA foreign_key_check;

-- migrate:upgrade dialect:postgresql
CREATE TABLE t (id SERIAL PRIMARY KEY, v TEXT);
CREATE TABLE only_postgresql (id INTEGER);

-- migrate:upgrade dialect:mysql
CREATE TABLE t (id INTEGER AUTO_INCREMENT PRIMARY KEY, v TEXT);
CREATE TABLE only_mysql (id INTEGER);

-- migrate:downgrade dialect:sqlite
DROP TABLE only_sqlite;
DROP TABLE t;

-- migrate:downgrade dialect:postgresql
DROP TABLE only_postgresql;
DROP TABLE t;

-- migrate:downgrade dialect:mysql
DROP TABLE only_mysql;
DROP TABLE t;
EOF2
}

@test "one revision, a section per dialect: each database runs its own, up and down; the log records that section's checksum" {
	write_split
	rt upgrade head
	expect_status 0
	db_has_table "only_$DB_DIALECT"
	! db_has_table "only_$(other_dialect)"
	local start
	start="$(awk -v d="dialect:$DB_DIALECT" '$0 == "-- migrate:upgrade " d {print NR}' "$VERSIONS/a1_split.sql")"
	local want
	want="$(sed -n "$((start + 1)),/^-- migrate:/p" "$VERSIONS/a1_split.sql" | sed '$d' |
		sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed '${/^$/d}')"
	want="$(printf '%s' "$want" | sha256sum | cut -d' ' -f1)"
	expect_eq checksum "$want" "$(db_query "SELECT checksum FROM retort_log WHERE revision = 'a1' AND direction = 'upgrade'")"
	rt downgrade base
	expect_status 0
	expect_eq tables "" "$(app_tables)"
	# --sql renders the section of the url's dialect
	rt upgrade head --sql
	expect_status 0
	expect_contains stdout "$output" "CREATE TABLE only_$DB_DIALECT (id INTEGER);"
	expect_not_contains stdout "$output" "only_$(other_dialect)"
}

@test "an untagged section is the default, a tagged one overrides it for its dialect" {
	cat >"$VERSIONS/a1_default.sql" <<'EOF2'
-- default and override
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade
CREATE TABLE everywhere (id INTEGER);

-- migrate:upgrade dialect:sqlite
CREATE TABLE everywhere (id INTEGER);
CREATE TABLE lite_extra (id INTEGER);

-- migrate:downgrade
DROP TABLE everywhere;

-- migrate:downgrade dialect:sqlite
DROP TABLE lite_extra;
DROP TABLE everywhere;
EOF2
	rt upgrade head
	expect_status 0
	db_has_table everywhere
	if [ "$DB_DIALECT" = sqlite ]; then
		db_has_table lite_extra
	else
		! db_has_table lite_extra
	fi
	rt downgrade base
	expect_status 0
	expect_eq tables "" "$(app_tables)"
}

@test "a revision without a section for this dialect: upgrade, --sql and downgrade refuse at plan time naming file:line, nothing run" {
	mkrev a1 ""
	local other f
	other="$(other_dialect)"
	f="$VERSIONS/b2_rev.sql"
	mkrev -f "$f" b2 a1
	sed -i "s/^-- migrate:upgrade\$/-- migrate:upgrade dialect:$other/" "$f"
	rt upgrade a1
	expect_status 0
	local before
	before="$(db_dump)"
	rt upgrade head
	expect_status 2
	expect_error "$f:9: revision b2 has no upgrade section for $DB_DIALECT (it has dialect:$other); add a '-- migrate:upgrade dialect:$DB_DIALECT' section, or one without dialect: for every database; nothing was run"
	expect_eq dump "$before" "$(db_dump)"
	expect_eq versions a1 "$(db_versions)"
	rt upgrade a1:head --sql
	expect_status 2
	expect_stdout ""
	expect_error "$f:9: revision b2 has no upgrade section for $DB_DIALECT (it has dialect:$other); add a '-- migrate:upgrade dialect:$DB_DIALECT' section, or one without dialect: for every database; nothing was run"
	expect_eq dump "$before" "$(db_dump)"
	# downgrade: b2 applied, its downgrade for this dialect missing
	sed -i "s/^-- migrate:upgrade dialect:$other\$/-- migrate:upgrade/; s/^-- migrate:downgrade\$/-- migrate:downgrade dialect:$other/" "$f"
	rt upgrade head
	expect_status 0
	before="$(db_dump)"
	rt downgrade base
	expect_status 2
	expect_error "$f:12: revision b2 has no downgrade section for $DB_DIALECT (it has dialect:$other); add a '-- migrate:downgrade dialect:$DB_DIALECT' section, or one without dialect: for every database; nothing was run"
	expect_eq dump "$before" "$(db_dump)"
}

@test "checksums are per section: editing another dialect's section is no problem here, editing this one's is" {
	write_split
	rt upgrade head
	expect_status 0
	local f="$VERSIONS/a1_split.sql" other
	other="$(other_dialect)"
	sed -i "s/^CREATE TABLE only_$other (id INTEGER);\$/CREATE TABLE only_$other (id BIGINT);/" "$f"
	rt validate
	expect_status 0
	expect_stderr "no problems found"
	sed -i "s/^CREATE TABLE only_$DB_DIALECT (id INTEGER);\$/CREATE TABLE only_$DB_DIALECT (id BIGINT);/" "$f"
	rt validate
	expect_status 3
	local line
	line="$(grep -n "^-- migrate:upgrade dialect:$DB_DIALECT\$" "$f" | cut -d: -f1)"
	expect_contains stdout "$output" "$f:$line: revision a1 was edited after it was applied"
}

@test "validate --no-database: bad dialect markers, and a dialect with a section in one direction only" {
	cat >"$VERSIONS/a1_x.sql" <<'EOF2'
-- one-sided
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade dialect:sqlite
CREATE TABLE t (id INTEGER);
-- migrate:upgrade dialect:postgresql
CREATE TABLE t (id INTEGER);
-- migrate:downgrade dialect:sqlite
DROP TABLE t;
EOF2
	cat >"$VERSIONS/b2_x.sql" <<'EOF2'
-- bad marker
--
-- Revision ID: b2
-- Revises: a1

-- migrate:upgrade dialect:oracle
-- migrate:downgrade
EOF2
	local before
	before="$(db_dump)"
	rt validate --no-database
	expect_status 3
	expect_contains stdout "$output" "$VERSIONS/a1_x.sql:8: revision a1 has an upgrade section for postgresql but no downgrade section for it (add '-- migrate:downgrade dialect:postgresql', or one without dialect:)"
	expect_contains stdout "$output" "$VERSIONS/b2_x.sql:6: unknown dialect 'oracle' (expected dialect:sqlite, dialect:postgresql or dialect:mysql)"
	expect_eq dump "$before" "$(db_dump)"
}

@test "--json history -v: irreversible when one dialect's downgrade section is empty without noop" {
	cat >"$VERSIONS/a1_x.sql" <<'EOF2'
-- one dialect cannot undo
--
-- Revision ID: a1
-- Revises:

-- migrate:upgrade
CREATE TABLE t (id INTEGER);
-- migrate:downgrade dialect:postgresql
DROP TABLE t;
-- migrate:downgrade dialect:sqlite
EOF2
	rt --json history -v
	expect_status 0
	expect_eq irreversible True "$(printf '%s' "$output" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)[0]["irreversible"])')"
	sed -i 's/^-- migrate:downgrade dialect:sqlite$/-- migrate:downgrade dialect:sqlite noop/' "$VERSIONS/a1_x.sql"
	rt --json history -v
	expect_status 0
	expect_eq irreversible False "$(printf '%s' "$output" | "$PY" -c 'import json, sys; print(json.load(sys.stdin)[0]["irreversible"])')"
}
