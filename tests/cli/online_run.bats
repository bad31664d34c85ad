#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_run.bats: upgrade, downgrade, stamp, current, history -i, the log
# table, validate/repair of checksums, Alembic's version table, and
# transaction_per_migration, against a real database (RETORT_TEST_URL, a
# fresh SQLite file by default; see online_helpers.bash).

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

# r0 -> a1 (alpha) -> a2 and r0 -> b1 (beta) -> b2
branched() {
	mkrev r0 ""
	mkrev -l alpha a1 r0
	mkrev a2 a1
	mkrev -l beta b1 r0
	mkrev b2 b1
}

expect_no_error() {
	expect_eq "error lines of stderr" "" "$(error_lines)"
}

# ---------------------------------------------------------------------------
# upgrade, current

@test "upgrade head applies a linear graph: tables, one version row, progress" {
	table_chain r 3
	rt upgrade head
	expect_status 0
	expect_stdout ""
	expect_no_error
	expect_eq progress "Running upgrade  -> r001, create r001 ... N ms
Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
	expect_eq versions r003 "$(db_versions)"
	rt current
	expect_status 0
	expect_stdout "r003 (head)"
	# again: nothing to do, nothing changes
	before="$(db_dump)"
	rt upgrade head
	expect_status 0
	expect_eq progress "" "$(progress)"
	expect_no_error
	expect_eq dump "$before" "$(db_dump)"
}

@test "current, history -i, validate never create the database or the version table" {
	table_chain r 2
	for cmd in current "current -v" "current --check-heads" "history -i" \
		"history -r current:" validate; do
		# shellcheck disable=SC2086
		rt $cmd
		[ "$status" -eq 0 ] || [ "$status" -eq 3 ] || {
			echo "retort $cmd"
			show_run
			return 1
		}
		db_is_fresh || {
			echo "retort $cmd created the database"
			return 1
		}
	done
	rt current
	expect_status 0
	expect_stdout ""
	rt history -i
	expect_status 0
	expect_stdout "r001 -> r002 (head), create r002
<base> -> r001, create r001"
}

@test "current on a database without the version table leaves it without one" {
	table_chain r 1
	db_exec "CREATE TABLE app_data (id INTEGER)"
	before="$(db_dump)"
	rt current
	expect_status 0
	expect_stdout ""
	expect_no_error
	rt current --check-heads
	expect_status 3
	expect_eq tables "app_data" "$(db_tables)"
	expect_eq dump "$before" "$(db_dump)"
}

@test "current -v shows the url, with a password masked" {
	table_chain r 1
	rt upgrade head
	expect_status 0
	rt current -v
	expect_status 0
	expect_eq "first line" "Current revision(s) for $(masked_url "$TEST_URL"):" \
		"${lines[0]}"
	expect_contains stdout "$output" "Rev: r001 (head)"
	expect_contains stdout "$output" "Path: $(revfile r001)"
	# the password of the url under test, if it has one, never shows
	pw="$(printf '%s' "$TEST_URL" | sed -nE 's#^[a-z0-9+]+://[^:/@]*:([^@/]*)@.*#\1#p')"
	if [ -n "$pw" ]; then
		expect_not_contains stdout "$output" "$pw"
	fi
	# a url with a password: whatever happens (no driver, no server), the
	# password is masked wherever the url is shown
	rt --url 'postgresql://bob:s3cret-pw@127.0.0.1:1/nodb' current -v
	[ "$status" -ne 0 ] || { show_run; return 1; }
	expect_contains "stdout+stderr" "$output$stderr" "postgresql://bob:***@127.0.0.1:1/nodb"
	expect_not_contains "stdout+stderr" "$output$stderr" "s3cret-pw"
}

@test "current --check-heads: exit 3 unless the database is at every head" {
	table_chain r 2
	rt current --check-heads
	expect_status 3
	expect_error "Database is not on all head revisions"
	rt upgrade r001
	expect_status 0
	rt current --check-heads
	expect_status 3
	expect_error "Database is not on all head revisions"
	rt upgrade head
	expect_status 0
	rt current --check-heads
	expect_status 0
	expect_stdout "r002 (head)"
	expect_no_error
}

@test "current --check-heads on a branched graph wants both heads" {
	branched
	rt upgrade a2
	expect_status 0
	rt current --check-heads
	expect_status 3
	expect_error "Database is not on all head revisions"
	rt upgrade heads
	expect_status 0
	rt current --check-heads
	expect_status 0
	expect_eq current "a2 (head)
b2 (head)" "$(printf '%s\n' "$output" | LC_ALL=C sort)"
}

@test "history -i marks the current revision" {
	table_chain r 3
	rt upgrade r002
	expect_status 0
	rt history -i
	expect_status 0
	expect_stdout "r002 -> r003 (head), create r003
r001 -> r002 (current), create r002
<base> -> r001, create r001"
	rt upgrade head
	rt history -i
	expect_status 0
	expect_stdout "r002 -> r003 (head) (current), create r003
r001 -> r002, create r002
<base> -> r001, create r001"
}

# ---------------------------------------------------------------------------
# downgrade and relative targets

@test "downgrade -1, upgrade +1, downgrade base, upgrade +2" {
	table_chain r 3
	rt upgrade head
	expect_status 0

	rt downgrade -1
	expect_status 0
	expect_no_error
	expect_eq progress "Running downgrade r003 -> r002, create r003 ... N ms" "$(progress)"
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
	expect_eq versions r002 "$(db_versions)"
	rt current
	expect_stdout "r002"

	rt upgrade +1
	expect_status 0
	expect_eq progress "Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
	expect_eq versions r003 "$(db_versions)"

	rt downgrade base
	expect_status 0
	expect_eq progress "Running downgrade r003 -> r002, create r003 ... N ms
Running downgrade r002 -> r001, create r002 ... N ms
Running downgrade r001 -> , create r001 ... N ms" "$(progress)"
	expect_eq tables "" "$(app_tables)"
	# the version table stays, empty
	db_has_table retort_version
	expect_eq "version rows" 0 "$(db_query 'SELECT count(*) FROM retort_version')"
	rt current
	expect_status 0
	expect_stdout ""

	rt upgrade +2
	expect_status 0
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
	expect_eq versions r002 "$(db_versions)"

	rt downgrade -3
	expect_status 2
	expect_error "Relative revision -3 didn't produce 3 migrations"
	expect_eq versions r002 "$(db_versions)"
}

@test "branched graph: upgrade head is ambiguous, upgrade heads applies both branches" {
	branched
	rt upgrade head
	expect_status 2
	expect_error "Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads"
	expect_eq tables "" "$(app_tables)"
	expect_eq versions "" "$(db_versions)"

	rt upgrade heads
	expect_status 0
	expect_eq progress "Running upgrade  -> r0, create r0 ... N ms
Running upgrade a1 -> a2, create a2 ... N ms
Running upgrade b1 -> b2, create b2 ... N ms
Running upgrade r0 -> a1, create a1 ... N ms
Running upgrade r0 -> b1, create b1 ... N ms" "$(progress | LC_ALL=C sort)"
	expect_eq tables "t_a1 t_a2 t_b1 t_b2 t_r0" "$(app_tables)"
	expect_eq versions "a2 b2" "$(db_versions)"

	rt downgrade base
	expect_status 0
	expect_eq tables "" "$(app_tables)"
	expect_eq versions "" "$(db_versions)"
}

@test "branch labels: upgrade label@head, label@+1, downgrade label@-1" {
	branched
	rt upgrade alpha@head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade  -> r0, create r0 ... N ms
Running upgrade r0 -> a1, create a1 ... N ms
Running upgrade a1 -> a2, create a2 ... N ms" "$(progress)"
	expect_eq tables "t_a1 t_a2 t_r0" "$(app_tables)"
	expect_eq versions a2 "$(db_versions)"

	rt upgrade beta@+1
	expect_status 0
	expect_eq progress "Running upgrade r0 -> b1, create b1 ... N ms" "$(progress)"
	expect_eq versions "a2 b1" "$(db_versions)"

	rt downgrade alpha@-1
	expect_status 0
	expect_no_error
	expect_eq progress "Running downgrade a2 -> a1, create a2 ... N ms" "$(progress)"
	expect_eq tables "t_a1 t_b1 t_r0" "$(app_tables)"
	expect_eq versions "a1 b1" "$(db_versions)"

	rt upgrade beta@head
	expect_status 0
	expect_eq progress "Running upgrade b1 -> b2, create b2 ... N ms" "$(progress)"
	expect_eq versions "a1 b2" "$(db_versions)"

	rt downgrade beta@-1
	expect_status 0
	expect_eq progress "Running downgrade b2 -> b1, create b2 ... N ms" "$(progress)"
	expect_eq tables "t_a1 t_b1 t_r0" "$(app_tables)"
	expect_eq versions "a1 b1" "$(db_versions)"
}

@test "merge revision: one version row at the merge, two after undoing it" {
	mkrev r0 ""
	mkrev a1 r0
	mkrev b1 r0
	mkrev -m "merge a1 and b1" m1 "a1, b1" - -
	rt upgrade a1
	expect_status 0
	expect_eq versions a1 "$(db_versions)"
	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade r0 -> b1, create b1 ... N ms
Running upgrade a1, b1 -> m1, merge a1 and b1 ... N ms" "$(progress)"
	expect_eq versions m1 "$(db_versions)"
	expect_eq tables "t_a1 t_b1 t_r0" "$(app_tables)"
	rt current
	expect_stdout "m1 (head) (mergepoint)"

	# 'downgrade -1' is ambiguous at a merge (as in Alembic); a target on
	# one side undoes just the merge
	rt downgrade -1
	expect_status 2
	expect_error "Ambiguous walk (revision m1 has 2 parents: a1, b1; downgrade to one of them by id instead)"
	rt downgrade --allow-irreversible a1
	expect_status 0
	expect_eq progress "Running downgrade m1 -> a1, b1, merge a1 and b1 ... N ms" "$(progress)"
	expect_eq versions "a1 b1" "$(db_versions)"
	expect_eq tables "t_a1 t_b1 t_r0" "$(app_tables)"
	rt upgrade head
	expect_status 0
	expect_eq versions m1 "$(db_versions)"
}

# ---------------------------------------------------------------------------
# stamp

@test "stamp: sets the version rows without running SQL (target, --purge, base, heads)" {
	table_chain r 3
	rt stamp r002
	expect_status 0
	expect_no_error
	expect_eq progress "Running stamp_revision  -> r002 ... N ms" "$(progress)"
	expect_eq tables "" "$(app_tables)"
	expect_eq versions r002 "$(db_versions)"

	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq tables "t_r003" "$(app_tables)"

	rt stamp r001
	expect_status 0
	expect_eq progress "Running stamp_revision r003 -> r001 ... N ms" "$(progress)"
	expect_eq versions r001 "$(db_versions)"
	expect_eq "log row" "r001|stamp|r003|r001" \
		"$(db_query "SELECT revision, direction, from_revisions, to_revisions FROM retort_log ORDER BY id DESC LIMIT 1")"
	expect_eq tables "t_r003" "$(app_tables)"

	rt stamp --purge r002
	expect_status 0
	expect_eq versions r002 "$(db_versions)"

	rt stamp base
	expect_status 0
	expect_eq versions "" "$(db_versions)"
	db_has_table retort_version
	expect_eq tables "t_r003" "$(app_tables)"

	rt stamp heads
	expect_status 0
	expect_eq versions r003 "$(db_versions)"
	rt current
	expect_stdout "r003 (head)"
	expect_eq tables "t_r003" "$(app_tables)"
}

@test "stamp on a branched graph: heads, two targets, base, --purge" {
	branched
	rt stamp heads
	expect_status 0
	expect_eq versions "a2 b2" "$(db_versions)"
	rt stamp base
	expect_status 0
	expect_eq versions "" "$(db_versions)"
	rt stamp a1 b2
	expect_status 0
	expect_eq versions "a1 b2" "$(db_versions)"
	rt stamp --purge r0
	expect_status 0
	expect_eq versions "r0" "$(db_versions)"
	expect_eq tables "" "$(app_tables)"
}

# ---------------------------------------------------------------------------
# the log table

@test "retort_log: one row per applied, reverted and stamped revision" {
	table_chain r 2
	rt upgrade head
	expect_status 0
	rt downgrade -1
	expect_status 0
	rt stamp head
	expect_status 0

	expect_eq "log rows" "r001|upgrade||r001|ok
r002|upgrade|r001|r002|ok
r002|downgrade|r002|r001|ok
r002|stamp|r001|r002|ok" \
		"$(db_query "SELECT revision, direction, from_revisions, to_revisions, status FROM retort_log ORDER BY id")"

	f1="$(revfile r001)" f2="$(revfile r002)"
	expect_eq "checksums" "$(section_checksum "$f1" upgrade)
$(section_checksum "$f2" upgrade)
$(section_checksum "$f2" downgrade)
NULL" "$(db_query "SELECT coalesce(checksum, 'NULL') FROM retort_log ORDER BY id")"

	version="$("$RETORT" --version | awk '{print $2}')"
	[ -n "$version" ]
	while IFS='|' read -r id checksum started ms ver user; do
		if [ "$id" != 4 ]; then
			[[ "$checksum" =~ ^[0-9a-f]{64}$ ]] || {
				echo "row $id: checksum '$checksum'"
				return 1
			}
		fi
		[[ "$started" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}[\ T][0-9]{2}:[0-9]{2}:[0-9]{2} ]] || {
			echo "row $id: started_at '$started'"
			return 1
		}
		[[ "$ms" =~ ^[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?$ ]] || {
			echo "row $id: duration_ms '$ms'"
			return 1
		}
		expect_eq "row $id retort_version" "$version" "$ver"
		[ -n "$user" ] || {
			echo "row $id: no db_user"
			return 1
		}
	done < <(db_query "SELECT (SELECT count(*) FROM retort_log l2 WHERE l2.id <= l.id), coalesce(checksum, ''), started_at, duration_ms, retort_version, db_user FROM retort_log l ORDER BY id")
}

@test "retort_log checksum: CRLF read as LF, leading blank lines and trailing whitespace dropped" {
	printf '%s\r\n' "-- crlf" "--" "-- Revision ID: c1" "-- Revises:" \
		"-- Create Date: 2026-01-02 03:04:05" "-- Branch Labels:" \
		"-- Depends On:" "" "-- migrate:upgrade" "" "  " \
		"CREATE TABLE t_c1 (id INTEGER);" "" "CREATE TABLE t_c2 (id INTEGER);  " \
		"" "   " "-- migrate:downgrade" "DROP TABLE t_c2;" "DROP TABLE t_c1;" "" \
		>migrations/versions/c1_rev.sql
	rt upgrade head
	expect_status 0
	expected="$(printf 'CREATE TABLE t_c1 (id INTEGER);\n\nCREATE TABLE t_c2 (id INTEGER);' | sha256sum | cut -d' ' -f1)"
	expect_eq checksum "$expected" "$(db_query "SELECT checksum FROM retort_log WHERE revision = 'c1' AND direction = 'upgrade'")"
	expect_eq "helper checksum" "$expected" "$(section_checksum migrations/versions/c1_rev.sql upgrade)"
	# the same file with LF line endings is the same revision
	sed -i 's/\r$//' migrations/versions/c1_rev.sql
	rt validate
	expect_status 0
	expect_stdout ""
}

# ---------------------------------------------------------------------------
# validate and repair --checksums

@test "validate reports a revision edited after it was applied; repair --checksums accepts it" {
	table_chain r 3
	rt upgrade r002
	expect_status 0
	rt validate
	expect_status 0
	expect_stdout ""
	expect_stderr "no problems found"

	f="$(revfile r002)"
	old="$(section_checksum "$f" upgrade)"
	when="$(db_query "SELECT started_at FROM retort_log WHERE revision = 'r002' AND direction = 'upgrade'")"
	sed -i 's/^CREATE TABLE t_r002 (id INTEGER PRIMARY KEY, v TEXT);$/CREATE TABLE t_r002 (id INTEGER PRIMARY KEY, v TEXT, w TEXT);/' "$f"
	new="$(section_checksum "$f" upgrade)"
	[ "$old" != "$new" ]
	# an edit to a revision that was not applied is no problem
	sed -i 's/^CREATE TABLE t_r003 .*$/CREATE TABLE t_r003 (id INTEGER);/' "$(revfile r003)"

	rt validate
	expect_status 3
	expect_stdout "$f:9: revision r002 was edited after it was applied ($when): the database ran sha256 ${old:0:12}, the file now has ${new:0:12} ('retort repair --checksums' accepts the edit)"
	expect_stderr "1 problem found"

	# repair without --checksums leaves it alone
	rt repair
	expect_status 0
	rt validate
	expect_status 3

	rt repair --checksums
	expect_status 0
	expect_stdout ""
	expect_stderr "accepted the edited revision r002 ($f)"
	expect_eq "checksum row" "r002|checksum|$new|ok" \
		"$(db_query "SELECT revision, direction, checksum, status FROM retort_log WHERE direction = 'checksum'")"
	rt validate
	expect_status 0
	expect_stdout ""
	expect_stderr "no problems found"
	# the version rows did not move
	expect_eq versions r002 "$(db_versions)"
}

@test "validate ignores line endings and trailing blank lines of applied revisions" {
	table_chain r 2
	rt upgrade head
	expect_status 0
	f="$(revfile r001)"
	sed -i 's/$/\r/' "$f"
	printf '\r\n\r\n   \r\n' >>"$f"
	rt validate
	expect_status 0
	expect_stdout ""
}

# ---------------------------------------------------------------------------
# Alembic's version table

# Alembic's DDL for its version table (alembic/ddl/impl.py)
alembic_version_ddl="CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
)"

@test "version_table = alembic_version continues a database that Alembic created" {
	table_chain r 3
	online_config "version_table = alembic_version"
	# what Alembic leaves after 'alembic upgrade r001'
	db_exec "$alembic_version_ddl"
	db_exec "CREATE TABLE t_r001 (id INTEGER PRIMARY KEY, v TEXT)"
	db_exec "INSERT INTO alembic_version (version_num) VALUES ('r001')"

	rt current
	expect_status 0
	expect_stdout "r001"
	rt upgrade head
	expect_status 0
	expect_eq progress "Running upgrade r001 -> r002, create r002 ... N ms
Running upgrade r002 -> r003, create r003 ... N ms" "$(progress)"
	expect_eq versions r003 "$(db_versions alembic_version)"
	expect_eq tables "alembic_version
retort_log
t_r001
t_r002
t_r003" "$(db_tables)"
	rt downgrade base
	expect_status 0
	expect_eq versions "" "$(db_versions alembic_version)"
	expect_eq tables "" "$(app_tables)"
}

@test "version_table = alembic_version: real Alembic and retort take turns on one database" {
	have_alembic || skip "Debian's python3-alembic is not installed"
	table_chain r 3
	online_config "version_table = alembic_version"
	al="$BATS_TEST_TMPDIR/alembic"
	alembic_project "$al"

	alembic_cmd "$al" upgrade r001
	expect_status 0
	expect_eq tables "t_r001" "$(app_tables)"

	rt current
	expect_status 0
	expect_stdout "r001"
	rt upgrade r002
	expect_status 0
	expect_eq progress "Running upgrade r001 -> r002, create r002 ... N ms" "$(progress)"

	alembic_cmd "$al" current
	expect_status 0
	expect_stdout "r002"
	alembic_cmd "$al" upgrade head
	expect_status 0
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"

	rt current
	expect_status 0
	expect_stdout "r003 (head)"
	rt downgrade -1
	expect_status 0
	alembic_cmd "$al" current
	expect_status 0
	expect_stdout "r002"
	rt downgrade base
	expect_status 0
	alembic_cmd "$al" current
	expect_status 0
	expect_stdout ""
}

@test "version_table = alembic_version: Alembic reads retort's rows on a branched graph" {
	have_alembic || skip "Debian's python3-alembic is not installed"
	branched
	online_config "version_table = alembic_version"
	al="$BATS_TEST_TMPDIR/alembic"
	alembic_project "$al"
	rt upgrade heads
	expect_status 0
	expect_eq versions "a2 b2" "$(db_versions alembic_version)"
	alembic_cmd "$al" current
	expect_status 0
	expect_eq "alembic current" "a2 (head)
b2 (head)" "$(printf '%s\n' "$output" | LC_ALL=C sort)"
	alembic_cmd "$al" downgrade a2@-1
	expect_status 0
	rt current
	expect_status 0
	expect_eq "retort current" "a1
b2 (head)" "$(printf '%s\n' "$output" | LC_ALL=C sort)"
	expect_eq tables "t_a1 t_b1 t_b2 t_r0" "$(app_tables)"
}

# ---------------------------------------------------------------------------
# transactions

# r001, r002, then r003 whose second statement fails (line 11)
chain_failing_third() {
	table_chain r 2
	mkrev r003 r002 "CREATE TABLE t_r003 (id INTEGER);
INSERT INTO no_such_table VALUES (1);"
}

@test "transaction_per_migration = false: a failure in the third revision leaves none applied" {
	chain_failing_third
	online_config "transaction_per_migration = false"
	rt upgrade head
	expect_status 1
	if ! db_transactional_ddl; then
		# MySQL: no transaction can hold DDL, so there is no run-wide
		# one; each revision stands, r003 dirty at its statement 2
		expect_error "$(revfile r003):11: $(db_msg_no_table no_such_table)$(ddl_kept 1 2 r003)"
		expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
		expect_eq versions r002 "$(db_versions)"
		mkrev r003 r002 "CREATE TABLE t_r003 (id INTEGER);"
		rt upgrade head
		expect_status 0
		expect_eq versions r003 "$(db_versions)"
		return
	fi
	expect_error "$(revfile r003):11: $(db_msg_no_table no_such_table) (transaction_per_migration = false: every revision of this run was rolled back)"
	expect_eq tables "" "$(app_tables)"
	expect_eq versions "" "$(db_versions)"
	if db_has_table retort_log; then
		expect_eq "log rows" 0 "$(db_query "SELECT count(*) FROM retort_log")"
	fi

	# fixed: the whole run goes through
	mkrev r003 r002
	rt upgrade head
	expect_status 0
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
	expect_eq versions r003 "$(db_versions)"
}

@test "transaction_per_migration = true (default): the revisions before the failing one stay" {
	chain_failing_third
	rt upgrade head
	expect_status 1
	expect_eq versions r002 "$(db_versions)"
	if ! db_transactional_ddl; then
		# MySQL: r003's first statement stays too
		expect_error "$(revfile r003):11: $(db_msg_no_table no_such_table)$(ddl_kept 1 2 r003)"
		expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
		return
	fi
	expect_error "$(revfile r003):11: $(db_msg_no_table no_such_table)"
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
}

@test "transaction_per_migration = false: a failing downgrade reverts nothing" {
	table_chain r 2
	mkrev r003 r002 "CREATE TABLE t_r003 (id INTEGER);" "DROP TABLE t_r003;"
	rt upgrade head
	expect_status 0
	# r001's downgrade now fails on its second statement
	mkrev r001 "" "CREATE TABLE t_r001 (id INTEGER PRIMARY KEY, v TEXT);" \
		"DROP TABLE t_r001;
DROP TABLE no_such_table;"
	online_config "transaction_per_migration = false"
	before="$(db_dump)"
	rt downgrade base
	expect_status 1
	if ! db_transactional_ddl; then
		# MySQL: r003 and r002 stay reverted, r001 dirty at statement 2
		expect_error "$(revfile r001):14: $(db_msg_no_table no_such_table drop)$(ddl_kept 1 2 r001)"
		expect_eq versions r001 "$(db_versions)"
		expect_eq tables "" "$(app_tables)"
		return
	fi
	expect_error "$(revfile r001):14: $(db_msg_no_table no_such_table drop) (transaction_per_migration = false: every revision of this run was rolled back)"
	expect_eq versions r003 "$(db_versions)"
	expect_eq tables "t_r001 t_r002 t_r003" "$(app_tables)"
	expect_eq dump "$before" "$(db_dump)"
}

# ---------------------------------------------------------------------------
# irreversible revisions

@test "a '-- migrate:downgrade noop' section downgrades without --allow-irreversible" {
	table_chain r 1
	mkrev r002 r001 "INSERT INTO t_r001 (id, v) VALUES (1, 'backfilled');" "-- a backfill: nothing to undo"
	sed -i 's/^-- migrate:downgrade$/-- migrate:downgrade noop/' "$(revfile r002)"
	mkrev r003 r002
	rt upgrade head
	expect_status 0
	rt downgrade base
	expect_status 0
	expect_eq versions "" "$(db_versions)"
	expect_eq tables "" "$(app_tables)"
}

@test "an empty downgrade section stops downgrade unless --allow-irreversible" {
	table_chain r 1
	mkrev r002 r001 "CREATE TABLE t_r002 (id INTEGER);" -
	mkrev r003 r002
	rt upgrade head
	expect_status 0
	before="$(db_dump)"

	msg="$(revfile r002):12: revision r002 has an empty downgrade section; nothing can undo it (use --allow-irreversible to move past it anyway, or mark the section '-- migrate:downgrade noop' when the upgrade needs no undoing)"
	rt downgrade base
	expect_status 2
	expect_error "$msg"
	# refused before anything ran
	expect_eq dump "$before" "$(db_dump)"

	rt downgrade -1
	expect_status 0
	expect_eq versions r002 "$(db_versions)"
	rt downgrade -1
	expect_status 2
	expect_error "$msg"
	expect_eq versions r002 "$(db_versions)"

	rt downgrade --allow-irreversible -1
	expect_status 0
	expect_eq progress "Running downgrade r002 -> r001, create r002 ... N ms" "$(progress)"
	expect_eq versions r001 "$(db_versions)"
	# nothing undid it
	expect_eq tables "t_r001 t_r002" "$(app_tables)"
	empty="$(printf '' | sha256sum | cut -d' ' -f1)"
	expect_eq "downgrade checksum" "$empty" \
		"$(db_query "SELECT checksum FROM retort_log WHERE revision = 'r002' AND direction = 'downgrade'")"
}
