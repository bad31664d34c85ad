#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The graph commands (heads, branches, show, history) and identifier
# resolution, as Alembic prints and resolves them (reference sections 1-2).
# Exit codes (DESIGN 6): 0 ok, 2 usage/config/file error (unknown or
# ambiguous ids and broken graphs included).

load helpers

# a - b - c - d      b is a branch point; d and x are heads
#      \- x
branched() {
	chain a b c d
	rev x b
}

# ---------------------------------------------------------------- heads

@test "heads: one line per head, in load order" {
	chain a b c
	run --separate-stderr "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "c (head)" ]
	[ "$stderr" = "" ]
	branched
	run "$RETORT" heads
	[ "$status" -eq 0 ]
	output_is <<'EOF'
d (head)
x (head)
EOF
}

@test "heads on an empty project prints nothing" {
	run --separate-stderr "$RETORT" heads
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr "$RETORT" history
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr "$RETORT" branches
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "heads -v prints Alembic's log entry of each head" {
	branched
	run "$RETORT" heads -v
	show
	[ "$status" -eq 0 ]
	output_is_trimmed <<EOF
Rev: d (head)
Parent: c
Path: $TEST_DIR/migrations/versions/d_rev.sql

    rev d

    Revision ID: d
    Revises: c
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:

Rev: x (head)
Parent: b
Path: $TEST_DIR/migrations/versions/x_rev.sql

    rev x

    Revision ID: x
    Revises: b
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:
EOF
	# Alembic indents the empty line of the docstring too
	[ "${lines[3]}" = "    rev d" ]
	[ "${lines[4]}" = "    " ]
}

@test "heads with labels, and a head that is only a dependency" {
	rev a ""
	rev b a
	rev c "" net
	rev d c "" b
	run "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
b (effective head)
d (net) (head)
EOF
	run "$RETORT" heads --resolve-dependencies
	show
	[ "$status" -eq 0 ]
	[ "$output" = "d (net) (head)" ]
}

@test "heads takes no arguments" {
	rev a ""
	run "$RETORT" heads a
	[ "$status" -eq 2 ]
	[ "$output" = "retort: heads takes no arguments" ]
}

# ------------------------------------------------------------- branches

@test "branches: each branch point and its children" {
	branched
	run "$RETORT" branches
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
b (branchpoint)
  -> c
  -> x (head)
EOF
}

@test "branches -v: the full entry and the children's messages" {
	branched
	run "$RETORT" branches -v
	show
	[ "$status" -eq 0 ]
	output_is_trimmed <<EOF
Rev: b (branchpoint)
Parent: a
Branches into: c, x
Path: $TEST_DIR/migrations/versions/b_rev.sql

    rev b

    Revision ID: b
    Revises: a
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:

  -> c, rev c
  -> x (head), rev x
EOF
}

@test "branches: ids wider than one character indent the arrows" {
	rev base1 ""
	rev c1 base1 lab
	rev c2 base1
	run "$RETORT" branches
	show
	output_is <<'EOF'
base1 (branchpoint)
      -> c1 (lab) (head)
      -> c2 (head)
EOF
	chain p q
	rm migrations/versions/base1_rev.sql migrations/versions/c?_rev.sql
	run --separate-stderr "$RETORT" branches
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

# ----------------------------------------------------------------- show

@test "show ID: the full entry" {
	branched
	run "$RETORT" show b
	show
	[ "$status" -eq 0 ]
	output_is_trimmed <<EOF
Rev: b (branchpoint)
Parent: a
Branches into: c, x
Path: $TEST_DIR/migrations/versions/b_rev.sql

    rev b

    Revision ID: b
    Revises: a
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:
EOF
}

@test "show a merge with a dependency and a label" {
	chain a b c
	rev d b lab
	rev m "c, d" "" a
	run "$RETORT" show m
	show
	[ "$status" -eq 0 ]
	output_is_trimmed <<EOF
Rev: m (head) (mergepoint)
Merges: c, d
Also depends on: a
Branch names: lab
Path: $TEST_DIR/migrations/versions/m_rev.sql

    rev m

    Revision ID: m
    Revises: c, d
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On: a
EOF
}

@test "show by prefix, head, heads, base" {
	rev ae1027a6acf ""
	rev 27c6a30d7c24 ae1027a6acf
	run "$RETORT" show ae1
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: ae1027a6acf" ]
	# no minimum length for a unique prefix
	run "$RETORT" show 2
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: 27c6a30d7c24 (head)" ]
	run "$RETORT" show head
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: 27c6a30d7c24 (head)" ]
	rev b9 ""
	run "$RETORT" show heads
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | grep '^Rev:')" = "$(printf 'Rev: 27c6a30d7c24 (head)\nRev: b9 (head)')" ]
	run --separate-stderr "$RETORT" show base
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "show LABEL: the labelled revision" {
	rev a ""
	rev e "" lab
	rev f e
	run "$RETORT" show lab
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: e" ]
	[ "${lines[2]}" = "Branch names: lab" ]
}

@test "show LABEL@head and REV@head: the head of that branch" {
	# Alembic: `alembic show lab@head` prints f; retort prints nothing
	rev a ""
	rev e "" lab
	rev f e
	run --separate-stderr "$RETORT" show lab@head
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: f (head)" ]
	run --separate-stderr "$RETORT" show e@head
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: f (head)" ]
	run --separate-stderr "$RETORT" --json show lab@head
	[ "$(json '[r["revision"] for r in d]')" = '["f"]' ]
}

@test "show LABEL@base and LABEL@-1" {
	rev e "" lab
	rev f e
	rev g f
	run --separate-stderr "$RETORT" show lab@base
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run "$RETORT" show lab@-1
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: f" ]
}

@test "show needs exactly one revision" {
	rev a ""
	run "$RETORT" show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: show takes one revision (see 'retort help show')" ]
	run "$RETORT" show a a
	[ "$status" -eq 2 ]
}

# -------------------------------------------------------------- history

@test "history: newest first, Alembic's line format" {
	branched
	run --separate-stderr "$RETORT" history
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
c -> d (head), rev d
b -> c, rev c
b -> x (head), rev x
a -> b (branchpoint), rev b
<base> -> a, rev a
EOF
}

@test "history: merges, dependencies and labels" {
	chain a b c
	rev d b lab
	rev m "c, d" "" a
	run "$RETORT" history
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
c, d (a) -> m (lab) (head) (mergepoint), rev m
b -> c, rev c
b -> d (lab), rev d
a -> b (branchpoint), rev b
<base> -> a, rev a
EOF
}

@test "history -v: every full entry" {
	chain a b
	run "$RETORT" history -v
	show
	[ "$status" -eq 0 ]
	output_is_trimmed <<EOF
Rev: b (head)
Parent: a
Path: $TEST_DIR/migrations/versions/b_rev.sql

    rev b

    Revision ID: b
    Revises: a
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:

Rev: a
Parent: <base>
Path: $TEST_DIR/migrations/versions/a_rev.sql

    rev a

    Revision ID: a
    Revises:
    Create Date: 2024-01-02 03:04:05.000000
    Branch Labels:
    Depends On:
EOF
}

@test "history -r: start:end, start:, :end, base, heads" {
	branched
	run "$RETORT" history -r b:d
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
c -> d (head), rev d
b -> c, rev c
a -> b (branchpoint), rev b
EOF
	run "$RETORT" history -r :c
	output_is <<'EOF'
b -> c, rev c
a -> b (branchpoint), rev b
<base> -> a, rev a
EOF
	run "$RETORT" history -r c:
	output_is <<'EOF'
c -> d (head), rev d
b -> c, rev c
EOF
	run "$RETORT" history -r base:b
	output_is <<'EOF'
a -> b (branchpoint), rev b
<base> -> a, rev a
EOF
	run "$RETORT" history --rev-range=b:x
	output_is <<'EOF'
b -> x (head), rev x
a -> b (branchpoint), rev b
EOF
	run "$RETORT" history -r a:heads
	output_is <<'EOF'
c -> d (head), rev d
b -> c, rev c
b -> x (head), rev x
a -> b (branchpoint), rev b
<base> -> a, rev a
EOF
}

@test "history -r with relative revisions" {
	chain a b c d e
	run "$RETORT" history -r :head-1
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
c -> d, rev d
b -> c, rev c
a -> b, rev b
<base> -> a, rev a
EOF
	run "$RETORT" history -r b:+2
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
c -> d, rev d
b -> c, rev c
a -> b, rev b
EOF
	run "$RETORT" history -r-2:
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
d -> e (head), rev e
c -> d, rev d
b -> c, rev c
EOF
	run "$RETORT" history -r -1:head
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
d -> e (head), rev e
c -> d, rev d
EOF
	run "$RETORT" history -r base:base+1
	[ "$status" -eq 0 ]
	[ "$output" = "<base> -> a, rev a" ]
}

@test "history -r: Alembic's range errors" {
	branched
	for r in a "" "a:b:c"; do
		run "$RETORT" history -r "$r"
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: History range requires [start]:[end], [start]:, or :[end]" ]
	done
	run "$RETORT" history -r d:b
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Requested range d:b does not refer to ancestor/descendant revisions along the same branch" ]
	run "$RETORT" history -r c:x
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Requested range c:x does not refer to ancestor/descendant revisions along the same branch" ]
	run "$RETORT" history -r zz:
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'zz'" ]
	run "$RETORT" history -r head-1:
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'head-1'" ]
	run "$RETORT" history -r :head
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads" ]
	run "$RETORT" history -r a+1:a+2
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Ambiguous walk (revision b has 2 children: c, x; name one of them by id instead)" ]
	run "$RETORT" history x
	[ "$status" -eq 2 ]
	[ "$output" = "retort: history takes no arguments (a range goes after -r)" ]
}

@test "history -r with a relative end that cannot be walked" {
	chain a b c
	run "$RETORT" history -r c:-1
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Relative revision -1 didn't produce 1 migrations" ]
}

@test "history -r LABEL@head: only that branch" {
	# Alembic prints b0 only; the bug in label@head makes retort print the
	# whole branch from base
	rev ae1027a6acf ""
	rev ae1099 ae1027a6acf
	rev 27c6a30d7c24 ae1027a6acf feat
	rev b0 27c6a30d7c24
	run "$RETORT" history -r feat@head:
	show
	[ "$status" -eq 0 ]
	[ "$output" = "27c6a30d7c24 -> b0 (feat) (head), rev b0" ]
}

# ----------------------------------------------------------------- json

@test "--json heads" {
	rev a ""
	rev b a
	rev c "" net
	rev d c "" b
	run --separate-stderr "$RETORT" --json heads
	show
	[ "$status" -eq 0 ]
	[ "$(json '[h["revision"] for h in d]')" = '["b", "d"]' ]
	[ "$(json 'd[1]["down_revisions"]')" = '["c"]' ]
	[ "$(json 'd[1]["depends_on"]')" = '["b"]' ]
	[ "$(json 'd[1]["branch_labels"]')" = '["net"]' ]
	[ "$(json 'd[1]["message"]')" = "rev d" ]
	[ "$(json 'd[1]["path"]')" = "$TEST_DIR/migrations/versions/d_rev.sql" ]
	[ "$(json 'd[1]["create_date"]')" = "2024-01-02 03:04:05.000000" ]
	[ "$(json '[h["is_head"] for h in d]')" = '[false, true]' ]
	[ "$(json '"longdoc" in d[0]')" = false ]
	run --separate-stderr "$RETORT" --json heads --resolve-dependencies
	[ "$(json '[h["revision"] for h in d]')" = '["d"]' ]
	run --separate-stderr "$RETORT" --json heads -v
	[ "$(json 'd[0]["longdoc"].splitlines()[0]')" = "rev b" ]
	[ "$(json 'd[0]["irreversible"]')" = false ]
}

@test "--json history: order, flags and children" {
	chain a b c
	rev d b lab
	rev m "c, d" "" a "SELECT 1;" -
	run --separate-stderr "$RETORT" --json history
	show
	[ "$status" -eq 0 ]
	[ "$(json '[r["revision"] for r in d]')" = '["m", "c", "d", "b", "a"]' ]
	[ "$(json 'd[0]["down_revisions"]')" = '["c", "d"]' ]
	[ "$(json 'd[0]["is_merge_point"]')" = true ]
	[ "$(json 'd[3]["is_branch_point"]')" = true ]
	[ "$(json 'd[3]["children"]')" = '["c", "d"]' ]
	[ "$(json 'd[4]["is_base"]')" = true ]
	[ "$(json 'd[4]["down_revisions"]')" = '[]' ]
	[ "$(json '[r["is_head"] for r in d]')" = '[true, false, false, false, false]' ]
	run --separate-stderr "$RETORT" --json history -v -r c:
	[ "$(json '[r["revision"] for r in d]')" = '["m", "c"]' ]
	[ "$(json 'd[0]["irreversible"]')" = true ]
	[ "$(json 'd[1]["irreversible"]')" = false ]
	[ "$(json 'd[0]["longdoc"]')" = "$(printf 'rev m\n\nRevision ID: m\nRevises: c, d\nCreate Date: 2024-01-02 03:04:05.000000\nBranch Labels:\nDepends On: a')" ]
}

@test "--json show and branches" {
	branched
	run --separate-stderr "$RETORT" --json show heads
	show
	[ "$status" -eq 0 ]
	[ "$(json '[r["revision"] for r in d]')" = '["d", "x"]' ]
	[ "$(json 'd[0]["longdoc"].splitlines()[2]')" = "Revision ID: d" ]
	run --separate-stderr "$RETORT" --json branches
	show
	[ "$status" -eq 0 ]
	[ "$(json '[r["revision"] for r in d]')" = '["b"]' ]
	[ "$(json 'd[0]["children"]')" = '["c", "x"]' ]
	run --separate-stderr "$RETORT" --json show base
	[ "$output" = "[]" ]
}

@test "--json escapes messages" {
	mkdir -p migrations/versions
	printf -- '-- say "hi" \\ tab\there\n--\n-- Revision ID: q\n-- Revises:\n\n-- migrate:upgrade\n-- migrate:downgrade\n' \
		>migrations/versions/q.sql
	run --separate-stderr "$RETORT" --json show q
	show
	[ "$status" -eq 0 ]
	[ "$(json 'd[0]["message"]')" = "$(printf 'say "hi" \\ tab\there')" ]
}

# ------------------------------------------------------ identifier errors

@test "an unknown id" {
	chain a b
	run --separate-stderr "$RETORT" show x
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: Can't locate revision identified by 'x'" ]
}

@test "an ambiguous prefix" {
	rev ae1027a6acf ""
	rev ae1099 ae1027a6acf
	run "$RETORT" show ae10
	show
	[ "$status" -eq 2 ]
	[[ "$output" == "retort: Can't locate revision identified by 'ae10'"* ]]
	[ "${#lines[@]}" -eq 1 ]
}

@test "a prefix can only match ids longer than three characters" {
	rev abc ""
	rev abcdef abc
	run "$RETORT" show ab
	show
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "Rev: abcdef (head)" ]
	rm migrations/versions/abcdef_rev.sql
	run "$RETORT" show ab
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'ab'" ]
}

@test "head with two heads, and heads with one" {
	branched
	run "$RETORT" show head
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads" ]
}

@test "label@head with an unknown label" {
	rev a "" lab
	run "$RETORT" show nope@head
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't locate revision identified by 'nope'" ]
}

# --------------------------------------------------------- broken graphs

@test "a cycle" {
	rev a b
	rev b a
	rev c ""
	for cmd in heads history branches "show c"; do
		run --separate-stderr "$RETORT" $cmd
		show
		[ "$status" -eq 2 ]
		[ "$output" = "" ]
		[ "$stderr" = "retort: Cycle is detected in revisions (a, b)" ]
	done
}

@test "a longer cycle beside a good branch" {
	rev a c
	rev b a
	rev c b
	chain r s
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Cycle is detected in revisions (a, b, c)" ]
}

@test "a self-loop" {
	rev a a
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/a_rev.sql:4: Self-loop is detected in revisions (a)" ]
}

@test "a dependency self-loop and a dependency cycle" {
	rev a "" "" a
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/a_rev.sql:7: Dependency self-loop is detected in revisions (a)" ]
	rev a "" "" b
	rev b "" "" a
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Dependency cycle is detected in revisions (a, b)" ]
}

@test "a duplicate revision id" {
	rev a ""
	cp migrations/versions/a_rev.sql migrations/versions/a_copy.sql
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/a_rev.sql:3: Revision a is present more than once (also in $TEST_DIR/migrations/versions/a_copy.sql)" ]
}

@test "a duplicate branch label" {
	rev a "" lab
	rev b "" lab
	run "$RETORT" history
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/b_rev.sql:6: Branch name 'lab' in revision b already used by revision a" ]
}

@test "a missing Revises target, and a missing Depends On target" {
	rev a ""
	rev y x
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/y_rev.sql:4: Revision x referenced from y is not present" ]
	rev y a "" zz
	run "$RETORT" heads
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: $TEST_DIR/migrations/versions/y_rev.sql:7: Revision zz referenced from y is not present" ]
}

@test "files not named *.sql, hidden files and editor backups are ignored" {
	chain a b
	echo "not sql" >migrations/versions/README
	cp migrations/versions/b_rev.sql migrations/versions/.#b_rev.sql
	cp migrations/versions/b_rev.sql migrations/versions/b_rev.sql~
	cp migrations/versions/b_rev.sql migrations/versions/.hidden.sql
	run "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "b (head)" ]
}

@test "relative steps beyond a long: Alembic's message, exit 2, nothing changes" {
	# strtol used to clamp these; "-N" then negated LONG_MIN and printed
	# "didn't produce -9223372036854775808 migrations"
	local n=999999999999999999999 before
	chain a b
	run "$RETORT" upgrade a
	[ "$status" -eq 0 ]
	before="$(tree_sum)"
	for args in "upgrade -$n" "downgrade -$n" "upgrade --sql a:-$n" \
		"history -r a:-$n"; do
		# shellcheck disable=SC2086
		run "$RETORT" $args
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: Relative revision -$n didn't produce $n migrations" ]
	done
	for args in "upgrade +$n" "upgrade a+$n" "upgrade b@head+$n"; do
		# shellcheck disable=SC2086
		run "$RETORT" $args
		show
		[ "$status" -eq 2 ]
		[ "$output" = "retort: Relative revision +$n didn't produce $n migrations" ]
	done
	[ "$(tree_sum)" = "$before" ]
	run "$RETORT" current
	[ "$output" = "a" ]
}

@test "recursive version locations: each folder is read once, symlink loops included" {
	write_config "recursive_version_locations = true"
	rev a ""
	REV_DIR=migrations/versions/sub rev b a
	local v="$TEST_DIR/migrations/versions"
	# two links back to the folder itself made the walk exponential, and
	# one from a subfolder to its parent read every file twice
	ln -s . migrations/versions/self
	ln -s . migrations/versions/self2
	ln -s .. migrations/versions/sub/up
	run --separate-stderr timeout 10 "$RETORT" heads
	show
	[ "$status" -eq 0 ]
	[ "$output" = "b (head)" ]
	[ "$stderr" = "retort: warning: skipping '$v/self': the same folder as '$v', already read
retort: warning: skipping '$v/self2': the same folder as '$v', already read
retort: warning: skipping '$v/sub/up': the same folder as '$v', already read" ]
	# a version location that is another one under a second name is
	# read once too (it used to give "duplicate revision id")
	ln -s migrations/versions alias
	write_config "version_locations = %(here)s/migrations/versions %(here)s/alias"
	run --separate-stderr timeout 10 "$RETORT" history
	show
	[ "$status" -eq 0 ]
	[ "$output" = "<base> -> a (head), rev a" ]
	[ "$stderr" = "retort: warning: skipping '$TEST_DIR/alias': the same folder as '$v', already read" ]
}
