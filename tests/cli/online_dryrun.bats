#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_dryrun.bats: upgrade, downgrade and stamp --dry-run (connect,
# lock, plan from the database's rows, print the SQL, change nothing:
# checked by dumping the database before and after) and --json reports of
# the steps with their durations, on every database.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

json() {
	printf '%s' "$output" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
r = eval(sys.argv[1])
print(r if isinstance(r, str) else json.dumps(r))' "$1"
}

@test "upgrade --dry-run on a database that does not exist yet: the SQL, nothing created" {
	table_chain r 2
	rt upgrade head --dry-run
	expect_status 0
	expect_contains stdout "$output" "CREATE TABLE t_r001"
	expect_contains stdout "$output" "retort_version SET version_num='r002'"
	expect_eq "stderr" "Would run upgrade  -> r001, create r001
Would run upgrade r001 -> r002, create r002" "$stderr"
	db_is_fresh
}

@test "upgrade/downgrade/stamp --dry-run plan from the database's rows and change nothing" {
	table_chain r 3
	rt upgrade r001
	expect_status 0
	before="$(db_dump)"
	rows="$(db_query "SELECT revision, direction, status FROM retort_log ORDER BY id")"
	rt upgrade head --dry-run
	expect_status 0
	expect_not_contains stdout "$output" "CREATE TABLE t_r001"
	expect_contains stdout "$output" "CREATE TABLE t_r002"
	expect_contains stdout "$output" "retort_version SET version_num='r003'"
	expect_eq "stderr" "Would run upgrade r001 -> r002, create r002
Would run upgrade r002 -> r003, create r003" "$stderr"
	rt downgrade base --dry-run
	expect_status 0
	expect_contains stdout "$output" "DROP TABLE t_r001;"
	expect_eq "stderr" "Would run downgrade r001 -> , create r001" "$stderr"
	rt stamp head --dry-run
	expect_status 0
	expect_contains stdout "$output" "retort_version SET version_num='r003'"
	rt stamp --purge --dry-run r002
	expect_status 0
	expect_contains stdout "$output" "retort_version (version_num) VALUES ('r002');"
	rt --json upgrade head --dry-run
	expect_status 0
	expect_eq steps '["r002", "r003"]' "$(json '[s["revision"] for s in d["steps"]]')"
	expect_eq dry true "$(json 'd["dry_run"]')"
	expect_contains sql "$(json 'd["sql"]')" "CREATE TABLE t_r002"
	expect_eq dump "$before" "$(db_dump)"
	expect_eq "log rows" "$rows" "$(db_query "SELECT revision, direction, status FROM retort_log ORDER BY id")"
	expect_eq versions r001 "$(db_versions)"
}

@test "--dry-run leaves a log table of an older retort as it was (no columns added)" {
	table_chain r 2
	rt upgrade r001
	expect_status 0
	# the log table as retort made it before statements_done and
	# statements_sum: a real run adds them, a dry run must not
	db_exec "ALTER TABLE retort_log DROP COLUMN statements_done"
	db_exec "ALTER TABLE retort_log DROP COLUMN statements_sum"
	before="$(db_dump)"
	rt upgrade head --dry-run
	expect_status 0
	expect_contains stdout "$output" "CREATE TABLE t_r002"
	rt downgrade base --dry-run
	expect_status 0
	rt stamp head --dry-run
	expect_status 0
	expect_eq dump "$before" "$(db_dump)"
	# and the next real run brings the table up to date
	rt upgrade head
	expect_status 0
	expect_eq "log row, with the columns" "ok|1" "$(db_query "SELECT status, count(statements_done IS NULL) + count(statements_sum IS NULL) - 1 FROM retort_log WHERE revision = 'r002' AND direction = 'upgrade' GROUP BY status")"
}

@test "--json upgrade and downgrade report the steps that ran with their durations" {
	table_chain r 2
	rt --json upgrade head
	expect_status 0
	expect_eq "stderr" "" "$stderr"
	expect_eq steps '[["upgrade", "r001", [], ["r001"]], ["upgrade", "r002", ["r001"], ["r002"]]]' \
		"$(json '[[s["kind"], s["revision"], s["from"], s["to"]] for s in d["steps"]]')"
	expect_eq durations True "$(json 'str(all(s["elapsed_ms"] >= 0 for s in d["steps"]))')"
	expect_eq dry false "$(json 'd["dry_run"]')"
	rt --json downgrade -1
	expect_status 0
	expect_eq steps '["downgrade"]' "$(json '[s["kind"] for s in d["steps"]]')"
	rt --json stamp base
	expect_eq steps '["stamp_revision"]' "$(json '[s["kind"] for s in d["steps"]]')"
	expect_eq versions "" "$(db_versions)"
}

@test "--dry-run on a dirty database refuses and changes nothing" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "INSERT INTO no_such_table VALUES (1);"
	rt upgrade head
	expect_status 1
	before="$(db_dump)"
	rt upgrade head --dry-run
	expect_status 1
	expect_contains stderr "$(error_lines)" "retort: the database is dirty: upgrade of revision r002"
	expect_eq stdout "" "$output"
	expect_eq dump "$before" "$(db_dump)"
}

@test "--dry-run: bad inputs" {
	table_chain r 2
	rt upgrade head --dry-run --sql
	expect_status 2
	expect_error "--dry-run and --sql cannot be used together (--sql writes the SQL without a database; --dry-run plans from the database's rows)"
	rt stamp --dry-run --sql head
	expect_status 2
	rt upgrade nope --dry-run
	expect_status 2
	expect_contains stderr "$(error_lines)" "nope"
	db_is_fresh
}
