#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Finding retort.ini: -c FILE, else $RETORT_CONFIG, else retort.ini in the
# working directory or the nearest parent folder that has one (as git finds
# .git), stopping at the root or at a mount point.

load helpers

# A project made by init, with one revision applied to its SQLite file.
init_project() {
	empty_project
	run "$RETORT" -q init migrations
	[ "$status" -eq 0 ]
	run "$RETORT" -q revision -m first --rev-id one
	[ "$status" -eq 0 ]
	run "$RETORT" -q upgrade head
	[ "$status" -eq 0 ]
	[ -f app.db ]
}

@test "from a subfolder, retort.ini is found in a parent and the database is the same file" {
	init_project
	mkdir -p sub/deeper
	cd sub/deeper
	run --separate-stderr "$RETORT" current -v
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Current revision(s) for sqlite:///$TEST_DIR/app.db:" ]
	[ "${lines[1]}" = "Rev: one (head)" ]
	run "$RETORT" -q revision -m second --rev-id two
	show
	[ "$status" -eq 0 ]
	[ -f "$TEST_DIR/migrations/versions/two_second.sql" ]
	run "$RETORT" -q upgrade head
	show
	[ "$status" -eq 0 ]
	# -c with a relative path names the same database too
	run "$RETORT" -c ../../retort.ini current
	show
	[ "$status" -eq 0 ]
	[ "$output" = "two (head)" ]
	[ -z "$(ls -A)" ]
	[ ! -e "$TEST_DIR/sub/app.db" ]
	cd "$TEST_DIR"
	run "$RETORT" current
	[ "$output" = "two (head)" ]
}

@test "errors name the found config by its path from the working directory" {
	init_project
	echo "bogus = 1" >>retort.ini
	mkdir sub
	cd sub
	run --separate-stderr "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[[ "$stderr" == "retort: ../retort.ini:"*": unknown key 'bogus' in [retort]" ]]
}

@test "the nearest retort.ini wins; -c and RETORT_CONFIG are not searched for" {
	init_project
	mkdir -p inner/sub
	printf '[retort]\nscript_location = %%(here)s/m\nurl = sqlite:///%%(here)s/inner.db\n' >inner/retort.ini
	mkdir -p inner/m/versions
	cd inner/sub
	run --separate-stderr "$RETORT" current -v
	show
	[ "$status" -eq 0 ]
	[ "$output" = "Current revision(s) for sqlite:///$TEST_DIR/inner/inner.db:" ]
	run --separate-stderr "$RETORT" -c retort.ini heads
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: cannot read config file 'retort.ini': No such file or directory" ]
	RETORT_CONFIG=nope.ini run --separate-stderr "$RETORT" heads
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: cannot read config file 'nope.ini': No such file or directory" ]
}

@test "no retort.ini up to the root: the error says where retort looked" {
	empty_project
	mkdir -p a/b
	cd a/b
	run --separate-stderr "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[[ "$stderr" == "retort: no retort.ini in $TEST_DIR/a/b or its parent folders (up to /"* ]]
	[[ "$stderr" == *"; pass -c FILE, set RETORT_CONFIG, or create a project with 'retort init DIR'" ]]
}

@test "the search stops at a mount point" {
	# /dev/shm is a tmpfs of its own on most Linux systems
	[ -d /dev/shm ] && [ -w /dev/shm ] &&
		[ "$(stat -c %d /dev/shm)" != "$(stat -c %d /dev)" ] ||
		skip "no separately mounted, writable /dev/shm"
	local d
	d="$(mktemp -d /dev/shm/retort-bats.XXXXXX)"
	mkdir "$d/sub"
	cd "$d/sub"
	run --separate-stderr "$RETORT" heads
	cd /
	rm -rf "$d"
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: no retort.ini in $d/sub or its parent folders (up to /dev/shm, a mount point); pass -c FILE, set RETORT_CONFIG, or create a project with 'retort init DIR'" ]
}

@test "--help says where the config is looked for" {
	run "$RETORT" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"retort.ini here or in a parent folder"* ]]
}
