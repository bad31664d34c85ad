#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Loading a large project: from 256 files on, the files are read and
# parsed on several threads (one per core, at most four). What comes out
# must not depend on it: revisions in file order, the first failure in
# file order as the error, every failure as a problem in file order.

load helpers

N=600

# big_chain: N revisions r001 <- r002 <- ... in files named by number.
big_chain() {
	local i prev="" id
	for ((i = 1; i <= N; i++)); do
		printf -v id 'r%03d' "$i"
		printf -- '-- rev %s\n--\n-- Revision ID: %s\n-- Revises: %s\n\n-- migrate:upgrade\nCREATE TABLE t%s (id INTEGER);\n\n-- migrate:downgrade\nDROP TABLE t%s;\n' \
			"$id" "$id" "$prev" "$id" "$id" >"migrations/versions/${id}.sql"
		prev="$id"
	done
	V="$TEST_DIR/migrations/versions"
}

@test "a large project loads whole, in order" {
	big_chain
	run --separate-stderr "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "r600 (head)" ]
	run --separate-stderr "$RETORT" history
	show
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq "$N" ]
	[ "$(printf '%s\n' "$output" | head -1)" = "r599 -> r600 (head), rev r600" ]
	[ "$(printf '%s\n' "$output" | tail -1)" = "<base> -> r001, rev r001" ]
	run --separate-stderr "$RETORT" validate --no-database
	show
	[ "$status" -eq 0 ]
}

@test "a large project: the first failure in file order is the error, wherever the threads split the files" {
	big_chain
	local before
	# failures near the start, the middle and the end: on any number of
	# threads up to four, at least two ranges hold one
	rm "$V/r180.sql"
	mkfifo "$V/r180.sql"
	echo garbage >"$V/r320.sql"
	printf -- '-- rev\n--\n-- Revision ID: r560\n' >"$V/r560.sql"
	run --separate-stderr timeout 20 "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: cannot read '$V/r180.sql': not a regular file (a named pipe)" ]
	rm "$V/r180.sql"
	run --separate-stderr timeout 20 "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: $V/r320.sql:1: missing revision header (the file must start with '-- <message>' and '-- Revision ID: <id>')" ]
	echo garbage >"$V/r180.sql"
	before="$(tree_sum)"
	run --separate-stderr timeout 20 "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: $V/r180.sql:1: missing revision header (the file must start with '-- <message>' and '-- Revision ID: <id>')" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "a large project: validate lists every failure, in file order" {
	big_chain
	rm "$V/r180.sql"
	mkfifo "$V/r180.sql"
	echo garbage >"$V/r320.sql"
	printf -- '-- rev\n--\n-- Revision ID: r560\n' >"$V/r560.sql"
	run --separate-stderr timeout 20 "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	local files
	files="$(printf '%s\n' "$output" | grep -oE '/r(180|320|560)\.sql:[0-9:]* (cannot|missing)' | cut -c2-9)"
	[ "$files" = "$(printf 'r180.sql\nr320.sql\nr560.sql')" ]
	# the revisions after each failure miss their parent, and say so
	[[ "$output" == *"r181.sql:4: Revision r180 referenced from r181 is not present"* ]]
	[[ "$output" == *"r561.sql:4: Revision r560 referenced from r561 is not present"* ]]
}
