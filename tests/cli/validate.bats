#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# validate --no-database: every problem of the files and the graph in one
# run; exit 0 when clean, 3 when anything was found (DESIGN 6).

load helpers


# Four problems at once:
#  - q_broken.sql has no Revises line            (parse, line 1)
#  - c is in c_again.sql and c_rev.sql            (duplicate id)
#  - d and e are both heads                        (multiple heads)
#  - zz_e.sql does not start with its id 'e'       (file name)
broken_project() {
	chain a b c
	rev d b
	printf -- '-- broken\n--\n-- Revision ID: q\n' >migrations/versions/q_broken.sql
	cp migrations/versions/c_rev.sql migrations/versions/c_again.sql
	rev e c
	mv migrations/versions/e_rev.sql migrations/versions/zz_e.sql
	V="$TEST_DIR/migrations/versions"
}

@test "a clean project: exit 0, nothing on stdout" {
	chain a b c
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" validate --no-database
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "no problems found" ]
	run --separate-stderr "$RETORT" -q validate --no-database
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "an empty project is clean" {
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr "$RETORT" --json validate --no-database
	[ "$status" -eq 0 ]
	[ "$output" = '{"problems": []}' ]
}

@test "a clean project with branches, labels, dependencies and a merge" {
	chain a b c
	rev d b lab
	rev m "c, d" "" a
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "several problems are all reported in one run, exit 3" {
	broken_project
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" validate --no-database
	show
	[ "$status" -eq 3 ]
	output_is <<EOF
$V/q_broken.sql:1: missing 'Revises' in the header (leave it empty for a first revision)
$V/c_rev.sql:3: Revision c is present more than once (also in $V/c_again.sql)
Multiple head revisions are present: d, e (merge them with 'retort merge heads -m ...')
$V/zz_e.sql:3: file name 'zz_e.sql' does not start with its revision id 'e' (file_template starts with %(rev)s)
EOF
	[ "$stderr" = "4 problems found" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "validate --json: kind, revision, path, line and message of each problem" {
	broken_project
	run --separate-stderr "$RETORT" --json validate --no-database
	show
	[ "$status" -eq 3 ]
	[ "$stderr" = "" ]
	[ "$(json '[p["kind"] for p in d["problems"]]')" = '["parse", "duplicate-id", "multiple-heads", "file-name"]' ]
	[ "$(json '[p["revision"] for p in d["problems"]]')" = '[null, "c", null, "e"]' ]
	[ "$(json '[p["line"] for p in d["problems"]]')" = '[1, 3, null, 3]' ]
	[ "$(json 'd["problems"][0]["path"]')" = "$V/q_broken.sql" ]
	[ "$(json 'd["problems"][1]["path"]')" = "$V/c_rev.sql" ]
	[ "$(json 'd["problems"][2]["path"]')" = null ]
	[ "$(json 'd["problems"][3]["path"]')" = "$V/zz_e.sql" ]
	[ "$(json 'd["problems"][2]["message"]')" = "Multiple head revisions are present: d, e (merge them with 'retort merge heads -m ...')" ]
	[ "$(json 'd["problems"][3]["message"]')" = "file name 'zz_e.sql' does not start with its revision id 'e' (file_template starts with %(rev)s)" ]
	[[ "$(json 'd["problems"][0]["message"]')" == *"missing 'Revises' in the header"* ]]
}

@test "validate reports a cycle and a missing parent beside a good branch" {
	# z is not in the cycle: retort reports "(x, y, z)" because z, whose
	# parent is missing, is not reachable from a base either
	chain a b
	rev x y
	rev y x
	rev z nowhere
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	[[ "$output" == *"Cycle is detected in revisions (x, y)"* ]]
	[[ "$output" == *"Revision nowhere referenced from z is not present"* ]]
}

@test "validate reports a duplicate branch label" {
	# the ASan/UBSan build aborts in propagate_labels (graph.c: memcpy from
	# the NULL label vector of the revision whose label was refused)
	rev a "" lab
	rev b "" lab
	rev m "a, b"
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	[[ "$output" == *"Branch name 'lab' in revision b already used by revision a"* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "the file name check follows file_template" {
	chain a b
	mv migrations/versions/b_rev.sql migrations/versions/0002_b.sql
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	# a template that does not start with the id checks nothing
	write_config 'file_template = %%(year)d_%%(rev)s_%%(slug)s'
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "with file_template = %(rev)s a file is named exactly after its id" {
	write_config 'file_template = %%(rev)s'
	rev 004 ""
	V="$TEST_DIR/migrations/versions"
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	[ "$output" = "$V/004_rev.sql:3: file name '004_rev.sql' is not '004.sql', its revision id (file_template is %(rev)s)" ]
	run --separate-stderr "$RETORT" --json validate --no-database
	[ "$(json '[p["kind"] for p in d["problems"]]')" = '["file-name"]' ]
	mv "$V/004_rev.sql" "$V/004.sql"
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "validate reports two revisions with the same number (revision_ids = sequential)" {
	write_config "revision_ids = sequential"
	rev 001 ""
	rev 002_add_documents 001
	rev 002_add_tags 001
	rev 2 002_add_tags
	rev m "002_add_documents, 2"
	V="$TEST_DIR/migrations/versions"
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	output_is <<EOF
$V/002_add_tags_rev.sql:3: revisions 002_add_documents and 002_add_tags have the same number (also in $V/002_add_documents_rev.sql); renumber one of them: its Revision ID, its file name and the Revises lines that name it
$V/2_rev.sql:3: revisions 002_add_documents and 2 have the same number (also in $V/002_add_documents_rev.sql); renumber one of them: its Revision ID, its file name and the Revises lines that name it
EOF
	run --separate-stderr "$RETORT" --json validate --no-database
	[ "$(json '[p["kind"] for p in d["problems"]]')" = '["duplicate-number", "duplicate-number"]' ]
	[ "$(json '[p["revision"] for p in d["problems"]]')" = '["002_add_tags", "2"]' ]
	# ids need not be numbered unless revision_ids = sequential
	write_config
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 0 ]
}

@test "validate takes no arguments; config errors exit 2" {
	run "$RETORT" validate now
	[ "$status" -eq 2 ]
	[ "$output" = "retort: validate takes no arguments" ]
	write_config "bogus = 1"
	run "$RETORT" validate --no-database
	[ "$status" -eq 2 ]
	[ "$output" = "retort: retort.ini:4: unknown key 'bogus' in [retort]" ]
}

@test "validate reports each retort:todo marker left in a revision (retort import writes them)" {
	rev a ""
	rev b a "" "" "-- retort:todo upgrade() cannot be rendered offline: AttributeError: x
-- | def upgrade():
-- |     pass" "-- retort:todo"
	# only at the start of a line: quoted text and other comments are not markers
	rev c b "" "" "-- see -- retort:todo in b
  -- retort:todo: indented"
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" -q validate --no-database
	show
	[ "$status" -eq 3 ]
	[ "$output" = "$TEST_DIR/migrations/versions/b_rev.sql:10: revision b is not finished: upgrade() cannot be rendered offline: AttributeError: x
$TEST_DIR/migrations/versions/b_rev.sql:15: revision b is not finished: a retort:todo marker
$TEST_DIR/migrations/versions/c_rev.sql:11: revision c is not finished: indented" ]
	run --separate-stderr "$RETORT" --json validate --no-database
	[ "$(json '[(p["kind"], p["revision"], p["line"]) for p in d["problems"]]')" = '[["todo", "b", 10], ["todo", "b", 15], ["todo", "c", 11]]' ]
	[ "$(tree_sum)" = "$before" ]
	# written out, the revision validates clean
	rev b a
	rev c b
	run --separate-stderr "$RETORT" -q validate --no-database
	[ "$status" -eq 0 ]
}
