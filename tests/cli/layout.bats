#!/usr/bin/env bats
# scripts/check-includes.py, the guard of src/'s one-way layout: clean on
# the tree, and it catches each kind of breach in a made-up tree.

setup() {
	CHECK="$RETORT_SOURCE_DIR/scripts/check-includes.py"
	T=$(mktemp -d)
	mkdir -p "$T/util" "$T/graph" "$T/run/drivers" "$T/api"
	printf '#include "util/str.h"\n' >"$T/graph/graph.c"
	: >"$T/util/str.h"
	: >"$T/graph/graph.h"
	: >"$T/run/driver.h"
	: >"$T/run/run.h"
	: >"$T/api/api.h"
}

teardown() {
	rm -rf "$T"
}

@test "the tree's own src/ is clean" {
	run python3 "$CHECK" "$RETORT_SOURCE_DIR/src"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 findings" ]]
}

@test "a clean made-up tree passes" {
	run python3 "$CHECK" "$T"
	[ "$status" -eq 0 ]
}

@test "an upward include is reported" {
	printf '#include "graph/graph.h"\n' >"$T/util/str.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"src/util/str.c: stage util includes the later stage graph"* ]]
}

@test "including api/ from a stage is reported" {
	printf '#include "api/api.h"\n' >"$T/run/run.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"stage run includes the later stage api"* ]]
}

@test "a ../ include is reported" {
	printf '#include "../util/str.h"\n' >"$T/graph/x.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"includes with '../'"* ]]
}

@test "a driver reaching into the runner is reported" {
	printf '#include "run/driver.h"\n#include "run/run.h"\n' >"$T/run/drivers/x.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"a driver may use only run/driver.h"* ]]
	[[ "$output" == *"1 findings"* ]]
}

@test "a header cycle is reported" {
	printf '#include "graph/b.h"\n' >"$T/graph/a.h"
	printf '#include "graph/a.h"\n' >"$T/graph/b.h"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"include cycle: graph/a.h -> graph/b.h -> graph/a.h"* ]]
}

@test "a public function used below api/ is reported" {
	printf 'int f(void) { return retort_load(0); } /* retort_x() */\n' >"$T/graph/y.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"stage graph uses the public API (retort_load)"* ]]
}

@test "a file outside the stage folders is reported" {
	: >"$T/loose.c"
	run python3 "$CHECK" "$T"
	[ "$status" -eq 1 ]
	[[ "$output" == *"src/loose.c: not in a stage folder"* ]]
}
