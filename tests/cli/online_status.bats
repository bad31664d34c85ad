#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_status.bats: `retort status` (applied or pending, when, by whom,
# how long, checksum state, the dirty state, --json) and `current --json`'s
# dirty state, on every database; reading never changes the database.

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

# the State and Checksum columns of a revision's line
state_of() {
	printf '%s\n' "$output" | awk -v id="$1" '$1 == id { print $2 }'
}
checksum_of() {
	printf '%s\n' "$output" | grep "^$1 " | sed -E 's/.*  ([-a-z]+( [a-z]+)?)$/\1/'
}

@test "status: a database that does not exist yet has everything pending and stays fresh" {
	table_chain r 3
	rt status
	expect_status 0
	expect_eq r001 pending "$(state_of r001)"
	expect_eq r003 pending "$(state_of r003)"
	expect_contains stdout "$output" "The database is clean."
	db_is_fresh
}

@test "status: applied and pending, when, checksum matches / changed / file missing / not recorded" {
	table_chain r 3
	rt upgrade r002
	expect_status 0
	before="$(db_dump)"
	rt status
	expect_status 0
	expect_eq r001 applied "$(state_of r001)"
	expect_eq r002 applied "$(state_of r002)"
	expect_eq r003 pending "$(state_of r003)"
	expect_eq "r001 checksum" matches "$(checksum_of r001)"
	expect_eq "r003 checksum" "-" "$(checksum_of r003)"
	rt --json status
	expect_status 0
	expect_eq ids '["r001", "r002", "r003"]' "$(json '[e["revision"] for e in d["revisions"]]')"
	expect_eq applied '[true, true, false]' "$(json '[e["applied"] for e in d["revisions"]]')"
	when="$(db_query "SELECT started_at FROM retort_log WHERE revision = 'r001'")"
	expect_eq "applied_at" "$when" "$(json 'd["revisions"][0]["applied_at"]')"
	expect_eq "duration" "True" "$(json 'str(d["revisions"][0]["duration_ms"] >= 0)')"
	expect_eq "dirty" null "$(json 'd["dirty"]')"
	expect_eq dump "$before" "$(db_dump)"

	# an applied file edited since
	sed -i "s/v TEXT)/v TEXT, w TEXT)/" "$(revfile r001)"
	rt status
	expect_eq "r001 checksum" changed "$(checksum_of r001)"
	# a stamped revision: nothing ran, no checksum
	rt stamp r003
	expect_status 0
	rt status
	expect_eq r003 stamped "$(state_of r003)"
	expect_eq "r003 checksum" "not recorded" "$(checksum_of r003)"
	# a version row that no file has
	db_exec "UPDATE retort_version SET version_num = 'gone1'"
	rt --json status
	expect_status 0
	expect_eq last '{"revision": "gone1", "applied": true, "checksum": "file missing"}' \
		"$(json '{k: d["revisions"][-1][k] for k in ("revision", "applied", "checksum")}')"
}

@test "status and current --json show the dirty state with its revision and statement" {
	table_chain r 1
	mkrev -o transaction:false r002 r001 "CREATE TABLE t_r002 (id INTEGER);
INSERT INTO no_such_table VALUES (1);"
	f="$(revfile r002)"
	rt upgrade head
	expect_status 1
	before="$(db_dump)"
	rt status
	expect_status 0
	expect_contains stdout "$output" "The database is dirty: upgrade of revision r002 failed at statement 2"
	expect_contains stdout "$output" "$f:11: $(db_msg_no_table no_such_table)"
	expect_contains stdout "$output" "Fix the cause and run the same upgrade again to go on from statement 2, or fix the database by hand and run 'retort repair'."
	rt --json status
	expect_eq "dirty" "r002|upgrade|failed|$f:11: $(db_msg_no_table no_such_table)|1" \
		"$(json '"|".join(str(d["dirty"][k]) for k in ("revision", "direction", "status", "message", "statements_done"))')"
	rt --json current
	expect_status 0
	expect_eq "current dirty" "r002 failed" "$(json 'd["dirty"]["revision"] + " " + d["dirty"]["status"]')"
	expect_eq dump "$before" "$(db_dump)"
	rt repair
	expect_status 0
	rt --json current
	expect_eq "current dirty after repair" null "$(json 'd["dirty"]')"
}

@test "status: bad inputs" {
	table_chain r 1
	rt status extra
	expect_status 2
	expect_error "status takes no arguments"
	rt status --bogus
	expect_status 2
	db_is_fresh
}
