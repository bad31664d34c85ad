#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
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

# Licence lines (scripts/spdx.py): every source file of the tree carries
# one, and the script finds and adds a missing one.

@test "every source file carries an SPDX licence line" {
	run python3 "$RETORT_SOURCE_DIR/scripts/spdx.py" --check "$RETORT_SOURCE_DIR"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"spdx: 0 file(s) without an SPDX line" ]]
}

@test "spdx.py reports, then adds, a missing SPDX line" {
	mkdir -p "$T/tree/src" "$T/tree/build/x" "$T/tree/fuzz/corpus"
	printf '/*\n * a.c: a file\n */\nint a;\n' >"$T/tree/src/a.c"
	printf '#!/bin/sh\necho hi\n' >"$T/tree/run.sh"
	printf 'project(x)\n' >"$T/tree/CMakeLists.txt"
	printf 'int b;\n' >"$T/tree/build/x/b.c"
	printf 'int c;\n' >"$T/tree/fuzz/corpus/c.c"
	run python3 "$RETORT_SOURCE_DIR/scripts/spdx.py" --check "$T/tree"
	[ "$status" -eq 1 ]
	[[ "$output" == *"src/a.c: no SPDX-License-Identifier line"* ]]
	[[ "$output" == *"run.sh: no SPDX"* ]]
	[[ "$output" == *"spdx: 3 file(s)"* ]]
	run python3 "$RETORT_SOURCE_DIR/scripts/spdx.py" "$T/tree"
	[ "$status" -eq 0 ]
	[ "$(head -1 "$T/tree/src/a.c")" = "/* SPDX-License-Identifier: MIT */" ]
	[ "$(sed -n 2p "$T/tree/run.sh")" = "# SPDX-License-Identifier: MIT" ]
	[ "$(head -1 "$T/tree/run.sh")" = "#!/bin/sh" ]
	[ "$(head -1 "$T/tree/CMakeLists.txt")" = "# SPDX-License-Identifier: MIT" ]
	run python3 "$RETORT_SOURCE_DIR/scripts/spdx.py" --check "$T/tree"
	[ "$status" -eq 0 ]
}

# The public header (scripts/check-header-docs.py): every function has its
# own comment with its parameters, its result and its thread-safety.

@test "every public function of retort.h is documented" {
	run python3 "$RETORT_SOURCE_DIR/scripts/check-header-docs.py" "$RETORT_SOURCE_DIR/include/retort.h"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"function(s), 0 finding(s)" ]]
}

@test "check-header-docs.py reports an undocumented function" {
	cat >"$T/h.h" <<'H'
/**
 * Documented.
 *
 * @param r the handle.
 * @return 0.
 * Threads: one.
 */
RETORT_EXTERN(int) retort_a(retort *r);
/** Half documented. */
RETORT_EXTERN(int)
retort_b(retort *r, const char *name);
RETORT_EXTERN(void) retort_c(void);
H
	run python3 "$RETORT_SOURCE_DIR/scripts/check-header-docs.py" "$T/h.h"
	[ "$status" -eq 1 ]
	[[ "$output" == *"retort_b: parameter 'r' not described (@param)"* ]]
	[[ "$output" == *"retort_b: parameter 'name' not described (@param)"* ]]
	[[ "$output" == *"retort_b: result not described (@return)"* ]]
	[[ "$output" == *"retort_c: no comment of its own"* ]]
	[[ "$output" == *"3 function(s), 5 finding(s)"* ]]
}
