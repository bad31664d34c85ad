#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The demo behind `make demo`: it runs the library example end to end and
# leaves the tracked example folder as it was (its database goes elsewhere).

setup() {
	: "${RETORT_SOURCE_DIR:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
	EX="$RETORT_SOURCE_DIR/examples/library"
}

@test "the demo runs and writes no file into examples/" {
	before=$(cd "$EX" && find . -type f | sort | xargs sha256sum)
	unset DATABASE_URL
	run "$RETORT_SOURCE_DIR/examples/demo.sh" "$RETORT" "$BATS_TEST_TMPDIR/demo"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"Running upgrade 003 -> 004"* ]]
	[ -f "$BATS_TEST_TMPDIR/demo/library.db" ]
	after=$(cd "$EX" && find . -type f | sort | xargs sha256sum)
	[ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after"); false; }
}
