#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# init, revision and merge: the commands that write files, driven through
# the real binary. Each test runs in a fresh temporary project.

load helpers

HEX12='^[0-9a-f]{12}$'

# ---------------------------------------------------------------- init

@test "init creates retort.ini, the template and versions/" {
	empty_project
	run --separate-stderr "$RETORT" init migrations
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ -f retort.ini ]
	[ -f migrations/script.sql.tmpl ]
	[ -d migrations/versions ]
	[ -z "$(ls -A migrations/versions)" ]
	[ "$(ls -A migrations | sort | tr '\n' ' ')" = "script.sql.tmpl versions " ]
	[[ "$stderr" == *"Creating directory $TEST_DIR/migrations ...  done"* ]]
	[[ "$stderr" == *"Generating $TEST_DIR/retort.ini ...  done"* ]]
}

@test "init writes a config with %(here)s and the DATABASE_URL default" {
	empty_project
	run "$RETORT" -q init migrations
	[ "$status" -eq 0 ]
	grep -qx '\[retort\]' retort.ini
	grep -qx 'script_location = %(here)s/migrations' retort.ini
	grep -qx 'url = ${DATABASE_URL:-sqlite:///%(here)s/app.db}' retort.ini
	# the commented settings of DESIGN section 2
	grep -q '^# file_template = %%(rev)s_%%(slug)s' retort.ini
	grep -q '^# revision_ids = ' retort.ini
	grep -q '^# version_table = retort_version' retort.ini
	grep -q '^# transaction_per_migration = true' retort.ini
}

@test "init writes a template with every placeholder and both markers" {
	empty_project
	run "$RETORT" -q init migrations
	[ "$status" -eq 0 ]
	local t=migrations/script.sql.tmpl
	grep -qx -- '-- ${message}' $t
	grep -qx -- '-- Revision ID: ${up_revision}' $t
	grep -qx -- '-- Revises: ${down_revision}' $t
	grep -qx -- '-- Create Date: ${create_date}' $t
	grep -qx -- '-- Branch Labels: ${branch_labels}' $t
	grep -qx -- '-- Depends On: ${depends_on}' $t
	grep -qx -- '-- migrate:upgrade' $t
	grep -qx -- '-- migrate:downgrade' $t
}

@test "a project made by init works from any folder, with DATABASE_URL" {
	empty_project
	run "$RETORT" -q init migrations
	[ "$status" -eq 0 ]
	run "$RETORT" -q revision -m "first" --rev-id one
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/one_first.sql ]
	mkdir elsewhere
	cd elsewhere
	run "$RETORT" -c ../retort.ini heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "one (head)" ]
	cd ..
	DATABASE_URL='postgresql://u:pw@h/db' run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	[[ "$output" == *"-- Running upgrade  -> one"* ]]
}

@test "init into a folder that is not empty fails and changes nothing" {
	empty_project
	mkdir migrations
	echo keep >migrations/notes.txt
	local before
	before="$(tree_sum)"
	run "$RETORT" init migrations
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Directory migrations already exists and is not empty" ]
	[ "$(tree_sum)" = "$before" ]
	[ ! -e retort.ini ]
}

@test "init into an existing empty folder works" {
	empty_project
	mkdir db
	run "$RETORT" -q init db
	show
	[ "$status" -eq 0 ]
	[ -f db/script.sql.tmpl ]
	[ -d db/versions ]
	grep -qx 'script_location = %(here)s/db' retort.ini
}

@test "init needs exactly one directory" {
	empty_project
	run "$RETORT" init
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: init takes one directory (e.g. retort init migrations)" ]
	run "$RETORT" init a b
	[ "$status" -eq 2 ]
	[ "$output" = "retort: init takes one directory (e.g. retort init migrations)" ]
	[ -z "$(ls -A)" ]
}

@test "init -c writes the config there, script_location relative to it" {
	empty_project
	mkdir conf
	run "$RETORT" -q -c conf/db.ini init conf/migrations
	show
	[ "$status" -eq 0 ]
	[ -f conf/db.ini ]
	[ ! -e retort.ini ]
	[ -d conf/migrations/versions ]
	grep -qx 'script_location = %(here)s/migrations' conf/db.ini
	run "$RETORT" -q -c conf/db.ini revision -m "hello" --rev-id h1
	show
	[ "$status" -eq 0 ]
	[ -f conf/migrations/versions/h1_hello.sql ]
	RETORT_CONFIG=conf/db.ini run "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "h1 (head)" ]
}

@test "init -c elsewhere writes %(here)s-relative paths: a moved or cloned project still works" {
	empty_project
	mkdir proj
	cd proj
	run "$RETORT" -q -c config/retort.ini init migrations
	show
	[ "$status" -eq 0 ]
	grep -qx 'script_location = %(here)s/../migrations' config/retort.ini
	grep -qx 'url = ${DATABASE_URL:-sqlite:///%(here)s/app.db}' config/retort.ini
	run "$RETORT" -q -c config/retort.ini revision -m first --rev-id one
	[ "$status" -eq 0 ]
	run "$RETORT" -q -c config/retort.ini upgrade head
	show
	[ "$status" -eq 0 ]
	# the database sits next to the config, not in the working directory
	[ -f config/app.db ]
	[ ! -e app.db ]
	cd ..
	cp -r proj clone
	mv proj moved
	cd clone
	run --separate-stderr "$RETORT" -c config/retort.ini revision -m second --rev-id two
	show
	[ "$status" -eq 0 ]
	[ "$stderr" = "Generating $TEST_DIR/clone/migrations/versions/two_second.sql ...  done" ]
	[ ! -e ../moved/migrations/versions/two_second.sql ]
	run "$RETORT" -c config/retort.ini current
	show
	[ "$status" -eq 0 ]
	[ "$output" = "one" ]
	cd ../moved
	run "$RETORT" -c config/retort.ini heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "one (head)" ]
	# an absolute folder outside the config's folder stays absolute
	cd "$TEST_DIR"
	run "$RETORT" -q -c conf2/retort.ini init "$TEST_DIR/shared/m"
	show
	[ "$status" -eq 0 ]
	grep -qx "script_location = $TEST_DIR/shared/m" conf2/retort.ini
}

@test "init keeps an existing config file" {
	empty_project
	printf '[retort]\nscript_location = %%(here)s/migrations\nurl = sqlite:///mine.db\n' >retort.ini
	local before
	before="$(sha256sum retort.ini)"
	run --separate-stderr "$RETORT" init migrations
	show
	[ "$status" -eq 0 ]
	[ "$(sha256sum retort.ini)" = "$before" ]
	[[ "$stderr" == *"File $TEST_DIR/retort.ini already exists, skipping"* ]]
	[ -f migrations/script.sql.tmpl ]
}

@test "init -c into a missing folder creates the folder, never a half-made project" {
	empty_project
	run "$RETORT" -c conf/db.ini init db/migrations
	show
	[ "$status" -eq 0 ]
	[ -f conf/db.ini ]
	[ -f db/migrations/script.sql.tmpl ]
	[ -d db/migrations/versions ]
	grep -qx "script_location = %(here)s/../db/migrations" conf/db.ini
	run "$RETORT" -c conf/db.ini heads
	[ "$status" -eq 0 ]
}

@test "init where the config cannot be created leaves nothing behind" {
	empty_project
	touch conf
	run "$RETORT" -c conf/db.ini init db/migrations
	show
	[ "$status" -eq 2 ]
	[ ! -e db ]
}

# ------------------------------------------------------------ revision

@test "revision -m writes a 12-hex id file with the header and sections" {
	run --separate-stderr "$RETORT" revision -m "create account table"
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	local f id
	f="$(only_file migrations/versions)"
	id="$(basename "$f" .sql)"
	id="${id%%_*}"
	[[ "$id" =~ $HEX12 ]]
	[ "$(basename "$f")" = "${id}_create_account_table.sql" ]
	# (bats strips the leading blanks of $stderr)
	[ "$stderr" = "Generating $TEST_DIR/$f ...  done" ]
	grep -Eq '^-- Create Date: [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}$' "$f"
	diff -u - <(without_date "$f") <<EOF
-- create account table
--
-- Revision ID: $id
-- Revises:
-- Create Date: DATE
-- Branch Labels:
-- Depends On:

-- migrate:upgrade


-- migrate:downgrade

EOF
}

@test "each new revision revises the head, and ids differ" {
	run "$RETORT" -q revision -m one
	[ "$status" -eq 0 ]
	local first second
	first="$(ls migrations/versions)"
	first="${first%%_*}"
	run "$RETORT" -q revision -m two
	[ "$status" -eq 0 ]
	second="$(only_file migrations/versions '*_two.sql')"
	second="$(basename "${second%%_*}")"
	[[ "$second" =~ $HEX12 ]]
	[ "$first" != "$second" ]
	grep -qx -- "-- Revises: $first" migrations/versions/${second}_two.sql
	run "$RETORT" heads
	[ "$output" = "$second (head)" ]
}

@test "revision --rev-id, --json, and -m missing gives 'empty message'" {
	run --separate-stderr "$RETORT" --json revision --rev-id abc
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/abc_.sql ]
	[ "$(head -1 migrations/versions/abc_.sql)" = "-- empty message" ]
	[ "$(json 'd["revision"]')" = abc ]
	[ "$(json 'd["message"]')" = "empty message" ]
	[ "$(json 'd["path"]')" = "$TEST_DIR/migrations/versions/abc_.sql" ]
	[ "$(json 'd["down_revisions"]')" = "[]" ]
	[ "$(json 'd["is_head"]')" = "true" ]
}

@test "revision_ids = sequential gives 001, 002, then keeps the widest padding" {
	write_config "revision_ids = sequential"
	run "$RETORT" -q revision -m one
	[ "$status" -eq 0 ]
	run "$RETORT" -q revision -m two
	[ "$status" -eq 0 ]
	[ -f migrations/versions/001_one.sql ]
	[ -f migrations/versions/002_two.sql ]
	grep -qx -- '-- Revises: 001' migrations/versions/002_two.sql
	# a hand-written wider id, and a non-numeric one, on top
	rev 0099 002
	rev abc 0099
	run "$RETORT" -q revision -m three
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/0100_three.sql ]
	grep -qx -- '-- Revision ID: 0100' migrations/versions/0100_three.sql
	grep -qx -- '-- Revises: abc' migrations/versions/0100_three.sql
	# --rev-id overrides
	run "$RETORT" -q revision -m four --rev-id special
	[ "$status" -eq 0 ]
	[ -f migrations/versions/special_four.sql ]
}

@test "revision_ids = sequential numbers from NNN_description ids too" {
	write_config "revision_ids = sequential"
	rev 001_init ""
	rev 002_add_documents 001_init
	run "$RETORT" -q revision -m three
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/003_three.sql ]
	grep -qx -- '-- Revision ID: 003' migrations/versions/003_three.sql
	grep -qx -- '-- Revises: 002_add_documents' migrations/versions/003_three.sql
	# the prefix's padding is kept; digits followed by anything but '_'
	# (a date, a hex id) are not a number
	rev 0041_x 003
	rev 2026-11-22.hotfix 0041_x
	rev 7abc 2026-11-22.hotfix
	run "$RETORT" -q revision -m four
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/0042_four.sql ]
}

@test "file_template tokens, with timezone = UTC" {
	write_config \
		'file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d_%%(rev)s_%%(slug)s_%%(epoch)s' \
		'timezone = UTC'
	local t0 t1
	t0="$(date -u +%s)"
	run "$RETORT" -q revision -m "Add a Column: users.email!!" --rev-id f1
	t1="$(date -u +%s)"
	show
	[ "$status" -eq 0 ]
	local f name ok=0 t
	f="$(only_file migrations/versions)"
	name="$(basename "$f")"
	for t in $(seq "$t0" "$t1"); do
		[ "$name" = "$(date -u -d "@$t" +%Y_%m_%d_%H%M%S)_f1_add_a_column_users_email_$t.sql" ] && ok=1
	done
	echo "name=$name"
	[ "$ok" = 1 ]
	grep -Eq '^-- Create Date: [0-9-]{10} [0-9:]{8}\.[0-9]{6}\+00:00$' "$f"
}

@test "timezone = America/New_York writes the offset; no timezone writes none" {
	write_config 'timezone = America/New_York'
	run "$RETORT" -q revision -m x --rev-id ny
	[ "$status" -eq 0 ]
	grep -Eq '^-- Create Date: [0-9-]{10} [0-9:]{8}\.[0-9]{6}-0[45]:00$' migrations/versions/ny_x.sql
	write_config
	run "$RETORT" -q revision -m x --rev-id local
	[ "$status" -eq 0 ]
	grep -Eq '^-- Create Date: [0-9-]{10} [0-9:]{8}\.[0-9]{6}$' migrations/versions/local_x.sql
}

@test "a bad timezone: Alembic's error, no file" {
	write_config 'timezone = Mars/Phobos'
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate timezone: Mars/Phobos" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "slugs: Alembic's rules, truncated at a word boundary" {
	run "$RETORT" -q revision -m "the quick brown fox jumps over the lazy dog again and again" --rev-id s1
	[ "$status" -eq 0 ]
	# 40 characters, cut back to the last '_', which is kept
	[ -f migrations/versions/s1_the_quick_brown_fox_jumps_over_the_lazy_.sql ]
	write_config 'truncate_slug_length = 10'
	run "$RETORT" -q revision -m "the quick brown fox" --rev-id s2
	[ "$status" -eq 0 ]
	[ -f migrations/versions/s2_the_quick_.sql ]
	run "$RETORT" -q revision -m "short" --rev-id s3
	[ -f migrations/versions/s3_short.sql ]
}

@test "a bad file_template token is an error naming it, no file" {
	write_config 'file_template = %%(rev)s_%%(foo)s'
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: file_template: unknown token 'foo' in '%(foo)s'" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "--head base starts a new root" {
	chain a b
	run "$RETORT" -q revision -m root2 --head base --rev-id r2
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Revises:' migrations/versions/r2_root2.sql
	run "$RETORT" heads
	[ "$output" = "$(printf 'b (head)\nr2 (head)')" ]
}

@test "--head on a non-head needs --splice" {
	chain a b
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --head a --rev-id c
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Revision a is not a head revision; please specify --splice to create a new branch from this revision" ]
	[ "$(tree_sum)" = "$before" ]
	run "$RETORT" -q revision -m x --head a --splice --rev-id c
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Revises: a' migrations/versions/c_x.sql
	run "$RETORT" branches
	[ "$output" = "$(printf 'a (branchpoint)\n  -> b (head)\n  -> c (head)\n')" ]
}

@test "--head takes a prefix and label@head" {
	rev abcdef ""
	rev f1 "" feat
	run "$RETORT" -q revision -m x --head abcd --rev-id n1
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Revises: abcdef' migrations/versions/n1_x.sql
	run "$RETORT" -q revision -m x --head feat@head --rev-id n2
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Revises: f1' migrations/versions/n2_x.sql
}

@test "two heads: revision asks for --head or a merge" {
	rev a ""
	rev b ""
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge." ]
	[ "$(tree_sum)" = "$before" ]
}

@test "--head with an unknown revision" {
	rev a ""
	run "$RETORT" revision -m x --head nope
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'nope'" ]
	[ "$(count_sql)" = 1 ]
}

@test "--branch-label writes the label, and heads shows it" {
	rev a ""
	run "$RETORT" -q revision -m feature --head base --branch-label feat --rev-id f1
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Branch Labels: feat' migrations/versions/f1_feature.sql
	run "$RETORT" heads
	[ "$output" = "$(printf 'a (head)\nf1 (feat) (head)')" ]
	run "$RETORT" -q revision -m more --head feat@head --rev-id f2
	[ "$status" -eq 0 ]
	run "$RETORT" heads
	[ "$output" = "$(printf 'a (head)\nf2 (feat) (head)')" ]
}

@test "--branch-label with a bad character" {
	rev a ""
	run "$RETORT" revision -m x --branch-label 'a@b' --rev-id c
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Character(s) '@' not allowed in branch label 'a@b'" ]
	[ "$(count_sql)" = 1 ]
}

@test "--branch-label already used: an error and no file left behind" {
	# Expected: rejected before anything is written. retort writes the
	# file, then fails to reload the project, and leaves the file behind,
	# so that every later command fails on it.
	rev a "" feat
	rev b ""
	local before
	before="$(tree_sum)"
	run "$RETORT" -q revision -m x --head b --branch-label feat --rev-id c
	show
	[ "$status" -eq 2 ]
	[[ "$output" == *"Branch name 'feat' in revision c already used by revision a"* ]]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(tree_sum)" = "$before" ]
	run "$RETORT" heads
	[ "$status" -eq 0 ]
}

@test "--depends-on resolves prefixes and keeps branch labels" {
	rev a1b2c3d4 ""
	rev f1 "" networking
	rev b a1b2c3d4
	run "$RETORT" -q revision -m dep --head b --depends-on a1b2 --depends-on networking --rev-id d1
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Depends On: a1b2c3d4, networking' migrations/versions/d1_dep.sql
	grep -qx -- '-- Revises: b' migrations/versions/d1_dep.sql
	run "$RETORT" history -r b:d1
	show
	[ "${lines[0]}" = "b (a1b2c3d4, networking) -> d1 (head), dep" ]
}

@test "--depends-on an unknown revision" {
	rev a ""
	run "$RETORT" revision -m dep --depends-on zzzz --rev-id d1
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'zzzz'" ]
	[ "$(count_sql)" = 1 ]
}

@test "--version-path with several version_locations" {
	mkdir v1 v2
	write_config 'version_locations = %(here)s/v1 %(here)s/v2'
	run "$RETORT" revision -m x --rev-id a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Multiple version locations present, please specify --version-path" ]
	[ -z "$(find v1 v2 -type f)" ]
	run "$RETORT" -q revision -m x --rev-id a --version-path v1
	show
	[ "$status" -eq 0 ]
	[ -f v1/a_x.sql ]
	# without --version-path, a revision goes where its parent is
	run "$RETORT" -q revision -m x --rev-id b
	[ "$status" -eq 0 ]
	[ -f v1/b_x.sql ]
	run "$RETORT" -q revision -m x --rev-id c --head base --version-path "$TEST_DIR/v2"
	[ "$status" -eq 0 ]
	[ -f v2/c_x.sql ]
	run "$RETORT" -q revision -m x --rev-id d --head c
	[ "$status" -eq 0 ]
	[ -f v2/d_x.sql ]
	run "$RETORT" heads
	[ "$output" = "$(printf 'b (head)\nd (head)')" ]
}

@test "--version-path not among the version locations" {
	mkdir v1 v2 v3
	write_config 'version_locations = %(here)s/v1 %(here)s/v2'
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id a --version-path v3
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Path v3 is not represented in current version locations" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "--version-path is compared after normalising (./v2, v1/../v2)" {
	# Alembic compares os.path.normpath(os.path.abspath(version_path)).
	mkdir v1 v2
	write_config 'version_locations = %(here)s/v1 %(here)s/v2'
	run "$RETORT" -q revision -m x --rev-id a --version-path ./v2
	show
	[ "$status" -eq 0 ]
	[ -f v2/a_x.sql ]
	run "$RETORT" -q revision -m x --rev-id b --head base --version-path v1/../v2
	show
	[ "$status" -eq 0 ]
	[ -f v2/b_x.sql ]
}

@test "--rev-id with characters Alembic forbids" {
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id 'a@b'
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Character(s) '@' not allowed in revision identifier 'a@b'" ]
	run "$RETORT" revision -m x --rev-id 'x+1:y'
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Character(s) '+, :' not allowed in revision identifier 'x+1:y'" ]
	run "$RETORT" revision -m x --rev-id ''
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: a revision id has 1 to 255 characters" ]
	run "$RETORT" revision -m x --rev-id "$(printf 'a%.0s' $(seq 256))"
	[ "$status" -eq 2 ]
	[ "$output" = "retort: a revision id has 1 to 255 characters" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "--rev-id: a reserved word, and an id that exists" {
	rev aaa ""
	local before
	before="$(tree_sum)"
	for w in head heads base current; do
		run "$RETORT" revision -m x --rev-id "$w"
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: revision id '$w' is reserved" ]
	done
	run "$RETORT" revision -m x --rev-id aaa
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Revision aaa is present more than once ($TEST_DIR/migrations/versions/aaa_rev.sql)" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "--rev-id that reads as a relative revision is refused" {
	# get_revisions reads "-1" as one step down from the heads, so such a
	# head made "upgrade head" stop one revision short, silently
	rev aaa ""
	rev bbb ""
	local before w
	before="$(tree_sum)"
	for w in -1 -0 -12; do
		run "$RETORT" revision -m x --head aaa --rev-id "$w"
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: revision id '$w' is reserved: it reads as a relative revision" ]
	done
	run "$RETORT" merge -m x --rev-id -1 heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: revision id '-1' is reserved: it reads as a relative revision" ]
	[ "$(tree_sum)" = "$before" ]
	# a dash elsewhere is fine: an exact id is never read as relative
	run "$RETORT" revision -m x --head aaa --rev-id aaa-1
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/aaa-1_x.sql ]
}

@test "a file with Revision ID: -1 is refused with file:line; the database stays" {
	rev a ""
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ]
	local db
	db="$(sha256sum app.db)"
	rev -1 a
	for args in "upgrade head" "downgrade base" "current" "heads"; do
		# shellcheck disable=SC2086
		run "$RETORT" $args
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: $TEST_DIR/migrations/versions/-1_rev.sql:3: revision id '-1' is reserved: it reads as a relative revision" ]
	done
	[ "$(sha256sum app.db)" = "$db" ]
	sed -i 's/^-- Revision ID: -1$/-- Revision ID: head/' migrations/versions/-1_rev.sql
	run "$RETORT" upgrade head
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/-1_rev.sql:3: revision id 'head' is reserved" ]
	[ "$(sha256sum app.db)" = "$db" ]
}

write_x_template() {
	cat >migrations/script.sql.tmpl <<'EOF'
-- ${message} [${ticket}]
--
-- Revision ID: ${up_revision}
-- Revises: ${down_revision}
-- Create Date: ${create_date}
-- Branch Labels: ${branch_labels}
-- Depends On: ${depends_on}

-- migrate:upgrade
SET ROLE ${role};

-- migrate:downgrade
RESET ROLE; -- $$ ${up_revision}
EOF
}

@test "-x values fill \${key} placeholders of a custom template" {
	write_x_template
	run "$RETORT" -x ticket=JIRA-12 -x role=owner -q revision -m "add it" --rev-id a
	show
	[ "$status" -eq 0 ]
	diff -u - <(without_date migrations/versions/a_add_it.sql) <<'EOF'
-- add it [JIRA-12]
--
-- Revision ID: a
-- Revises:
-- Create Date: DATE
-- Branch Labels:
-- Depends On:

-- migrate:upgrade
SET ROLE owner;

-- migrate:downgrade
RESET ROLE; -- $ a
EOF
	# -x KEY without '=' is an empty value
	run "$RETORT" -x ticket -x role=r -q revision -m "more" --rev-id b
	[ "$status" -eq 0 ]
	[ "$(head -1 migrations/versions/b_more.sql)" = "-- more []" ]
}

@test "an unknown \${placeholder} names template:line, no file" {
	write_x_template
	local before
	before="$(tree_sum)"
	run "$RETORT" -x ticket=1 revision -m x --rev-id a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/script.sql.tmpl:10: unknown placeholder '\${role}'" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "a template without the Branch Labels line and --branch-label: Alembic's error, no file" {
	cat >migrations/script.sql.tmpl <<'EOF'
-- ${message}
--
-- Revision ID: ${up_revision}
-- Revises: ${down_revision}
-- Create Date: ${create_date}

-- migrate:upgrade

-- migrate:downgrade
EOF
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id d --branch-label lbl
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Version d specified branch_labels lbl, however the migration file $TEST_DIR/migrations/versions/d_x.sql does not have them; have you upgraded your script.sql.tmpl to include the 'branch_labels' section?" ]
	[ "$(tree_sum)" = "$before" ]
	# without a label the same template is fine
	run "$RETORT" -q revision -m x --rev-id d
	[ "$status" -eq 0 ]
	[ -f migrations/versions/d_x.sql ]
}

@test "a template that makes an unparsable file: error, no file" {
	printf -- '-- ${message}\n--\n-- Revision ID: ${up_revision}\n\n-- migrate:upgrade\n-- migrate:downgrade\n' \
		>migrations/script.sql.tmpl
	local before
	before="$(tree_sum)"
	run "$RETORT" revision -m x --rev-id a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/script.sql.tmpl produced a revision file that does not parse: $TEST_DIR/migrations/versions/a_x.sql:1: missing 'Revises' in the header (leave it empty for a first revision)" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "revision rejects positional arguments and --sql" {
	run "$RETORT" revision "a message"
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: revision takes no arguments (did you mean -m 'a message'?)" ]
	run "$RETORT" revision -m x --sql
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Using --sql with the revision command does not make any sense" ]
	run "$RETORT" revision -m x --sql --autogenerate
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Using --sql with --autogenerate does not make any sense" ]
	[ "$(count_sql)" = 0 ]
}

# --------------------------------------------------------------- merge

@test "merge heads revises every head, in load order" {
	rev a ""
	rev b a
	rev c a
	run "$RETORT" -q merge heads -m "merge them" --rev-id m1
	show
	[ "$status" -eq 0 ]
	diff -u - <(without_date migrations/versions/m1_merge_them.sql) <<'EOF'
-- merge them
--
-- Revision ID: m1
-- Revises: b, c
-- Create Date: DATE
-- Branch Labels:
-- Depends On:

-- migrate:upgrade


-- migrate:downgrade

EOF
	run "$RETORT" heads
	[ "$output" = "m1 (head)" ]
	run "$RETORT" history -r b:
	[ "${lines[0]}" = "b, c -> m1 (head) (mergepoint), merge them" ]
}

@test "merge of explicit revisions with --branch-label and --rev-id" {
	rev a ""
	rev b ""
	rev c ""
	run "$RETORT" -q merge c a -m "ac" --branch-label both --rev-id m2
	show
	[ "$status" -eq 0 ]
	grep -qx -- '-- Revises: c, a' migrations/versions/m2_ac.sql
	grep -qx -- '-- Branch Labels: both' migrations/versions/m2_ac.sql
	run "$RETORT" heads
	[ "$output" = "$(printf 'b (head)\nm2 (both) (head)')" ]
	# a generated id when --rev-id is not given
	run "$RETORT" -q merge heads -m all
	[ "$status" -eq 0 ]
	local f
	f="$(only_file migrations/versions '*_all.sql')"
	[[ "$(basename "${f%%_*}")" =~ $HEX12 ]]
	grep -qx -- '-- Revises: b, m2' "$f"
}

@test "merge errors: non-head, duplicate, unknown, none given" {
	chain a b
	rev c a
	local before
	before="$(tree_sum)"
	run "$RETORT" merge a c -m x
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Revision a is not a head revision; please specify --splice to create a new branch from this revision" ]
	run "$RETORT" merge b b -m x
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Duplicate head revisions specified" ]
	run "$RETORT" merge b zzz -m x
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'zzz'" ]
	run "$RETORT" merge -m x
	[ "$status" -eq 2 ]
	[ "$output" = "retort: merge takes the revisions to merge (or 'heads')" ]
	[ "$(tree_sum)" = "$before" ]
}
