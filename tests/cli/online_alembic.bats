#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_alembic.bats: `retort import alembic` on the Alembic projects of
# tests/data/alembic, each checked against Alembic itself (Debian's
# python3-alembic, run as /usr/bin/python3 -m alembic with the shared
# env.py) on a fresh SQLite file, on PostgreSQL under
# tests/pg/server.sh and on MariaDB under tests/mysql/server.sh (Alembic
# through PyMySQL; see online_helpers.bash).
#
# For each project (roundtrip): Alembic upgrades the database to the
# target and its schema is dumped (alembic.sql, the declared schema of the
# imported project); Alembic goes back to base; retort upgrades to the
# target and `check` finds no difference from what Alembic built (on
# PostgreSQL the two dumps are also identical text); `current` shows what
# `alembic current` showed; retort's downgrade to base leaves nothing;
# then Alembic brings the database half way and retort continues it.

load online_helpers

DATA="$RETORT_SOURCE_DIR/tests/data/alembic"

setup() {
	online_setup
	export RETORT_PYTHON="$PY" ALEMBIC_TEST_URL="$TEST_URL"
	# SQLAlchemy's mysql:// means MySQLdb, which Debian's python3-pymysql
	# is not; retort reads either
	[ "$DB_DIALECT" != mysql ] ||
		ALEMBIC_TEST_URL="mysql+pymysql://${TEST_URL#mysql://}"
}

teardown() {
	online_teardown
}

alembic() {
	run --separate-stderr "$PY" -m alembic -c "$PROJ/alembic.ini" "$@"
}

# import_project NAME [STATUS]: tests/data/alembic/NAME in $PROJ with the
# shared env.py, imported for the dialect under test (or for the dialects
# of IMPORT_DIALECTS, "sqlite,postgresql"); the retort.ini that import
# writes then gets the test url and schema = alembic.sql.
import_project() {
	cp -r "$DATA/$1/." "$PROJ/"
	cp "$DATA/env.py" "$PROJ/alembic/"
	rm -f "$PROJ/retort.ini"
	rt import alembic alembic.ini --dialect "${IMPORT_DIALECTS:-$DB_DIALECT}"
	expect_status "${2:-0}"
	expect_contains stdout "$output" "wrote retort.ini (version_table = alembic_version)"
	grep -qx 'version_table = alembic_version' retort.ini
	grep -v '^url = ' retort.ini >retort.ini.new
	{
		cat retort.ini.new
		echo "url = ${TEST_URL//%/%%}"
		echo "schema = %(here)s/alembic.sql"
	} >retort.ini
}

# same_current: `retort current` shows the revisions `alembic current`
# shows (kept in ALEMBIC_CURRENT); same_current again: the revisions it
# showed last time (Alembic is slow to start: it is asked once per
# roundtrip).
same_current() {
	if [ "${1:-}" != again ]; then
		alembic current
		expect_status 0
		ALEMBIC_CURRENT=$(printf '%s\n' "$output" | sort)
	fi
	rt current
	expect_status 0
	expect_eq current "$ALEMBIC_CURRENT" "$(printf '%s\n' "$output" | sort)"
}

expect_empty_schema() {
	rt dump
	expect_status 0
	expect_eq "schema after downgrade to base" "" "$output"
}

# norm: a dump with its blanks normalised (SQLite keeps each CREATE as it
# was written, and Alembic's offline rendering is laid out unlike its
# online one).
norm() {
	tr -s ' \t\n' '   ' | sed -E 's/ ?([(),]) ?/\1/g'
}

# same_schema: the database's dump is alembic.sql, up to layout; and
# `check` against it finds nothing (unless NOCHECK is set: `check` wants
# the version rows to be the heads, as Alembic's does, and with depends_on
# Alembic leaves a dependency's row out).
same_schema() {
	rt dump
	expect_status 0
	expect_eq "dump after retort's upgrade (blanks normalised)" \
		"$(norm <alembic.sql)" "$(printf '%s\n' "$output" | norm)"
	if [ "$DB_DIALECT" = postgresql ]; then
		expect_eq "dump after retort's upgrade" "$(cat alembic.sql)" "$output"
	fi
	[ -n "${NOCHECK:-}" ] && return 0
	rt check
	expect_status 0
	expect_stdout "No new upgrade operations detected."
}

# roundtrip TARGET MIDWAY [QUERY]: the whole comparison described above;
# QUERY (rows) must read the same after Alembic's and retort's upgrades.
roundtrip() {
	local target="$1" mid="$2" query="${3:-}" rows=""
	rt validate
	expect_status 0
	alembic upgrade "$target"
	expect_status 0
	rt dump -o alembic.sql
	expect_status 0
	[ -s alembic.sql ]
	[ -z "$query" ] || rows=$(db_query "$query")
	same_current
	alembic downgrade base
	expect_status 0
	expect_empty_schema

	rt upgrade "$target"
	expect_status 0
	same_schema
	[ -z "$query" ] || expect_eq rows "$rows" "$(db_query "$query")"
	same_current again
	rt validate
	expect_status 0
	rt downgrade base
	expect_status 0
	expect_empty_schema

	alembic upgrade "$mid"
	expect_status 0
	rt upgrade "$target"
	expect_status 0
	NOCHECK=1 same_schema
	same_current again
}

@test "linear: ids, parents, messages and dates kept; same schema as Alembic" {
	import_project linear
	local f=migrations/versions/2b1d6f8e3c22_create_book.sql
	expect_eq header "-- create book
--
-- A book has one author; titles are looked up often.
--
-- Revision ID: 2b1d6f8e3c22
-- Revises: 1a0c5e7d2b11
-- Create Date: 2026-11-21 11:30:00.000000
-- Branch Labels:
-- Depends On:" "$(head -n 9 "$f")"
	rt history
	expect_stdout "2b1d6f8e3c22 -> 3c2e7a9f4d33 (head), add book year
1a0c5e7d2b11 -> 2b1d6f8e3c22, create book
<base> -> 1a0c5e7d2b11, create author"
	roundtrip head 2b1d6f8e3c22
}

@test "branches with labels and a merge: the same graph, history and schema" {
	import_project branched
	# the order of inherited labels is Python's set order in Alembic
	alembic history
	local want
	want=$(printf '%s\n' "$output" | sed 's/(reports, billing)/(billing, reports)/')
	rt history
	expect_stdout "$want"
	# Alembic 1.8.1 lists in os.listdir() order (from-alembic.md)
	alembic branches
	want=$(printf '%s\n' "$output" | sort)
	rt branches
	expect_eq branches "$want" "$(printf '%s\n' "$output" | sort)"
	grep -qx -- '-- Branch Labels: billing' migrations/versions/b1000000000b_create_invoice.sql
	grep -qx -- '-- Revises: b2000000000b, c1000000000c' migrations/versions/d1000000000d_merge_billing_and_reports.sql
	roundtrip head billing@head
}

@test "depends_on across two lineages" {
	import_project depends
	grep -qx -- '-- Depends On: 12000000000a' migrations/versions/22000000000b_app_user_roles.sql
	alembic heads
	local want="$output"
	rt heads
	expect_stdout "$want"
	NOCHECK=1 roundtrip heads app@head
}

@test "batch_alter_table (a table rebuild on SQLite; without copy_from, reflected) keeps the rows" {
	import_project batch
	if [ "$DB_DIALECT" = sqlite ]; then
		grep -q '^CREATE TABLE _alembic_tmp_item' migrations/versions/0b0000000002_*.sql
		# 0b0000000003 has no copy_from: the table as 0b0000000002 left it
		expect_eq "rebuilt table" "CREATE TABLE _alembic_tmp_item (
    id INTEGER NOT NULL,
    name VARCHAR(80) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_item_name UNIQUE (name)
);" "$(sed -n '/^-- migrate:upgrade/,/^);/p' migrations/versions/0b0000000003_*.sql | sed 1d)"
	fi
	roundtrip head 0b0000000001 "SELECT id, name FROM item ORDER BY id"
}

@test "op.execute, op.bulk_insert, autocommit_block, a dialect test: same rows, indexes, comments" {
	import_project data
	grep -q "^UPDATE status SET rank = 2 WHERE code = 'done';" migrations/versions/0d0000000002_*.sql
	# op.get_bind().dialect.name works offline: rendered for the dialect
	if [ "$DB_DIALECT" = postgresql ]; then
		grep -qx "COMMENT ON TABLE status IS 'workflow states';" migrations/versions/0d0000000004_*.sql
	else
		expect_eq "sqlite's sections" "-- migrate:upgrade

-- migrate:downgrade" "$(sed -n '/^-- migrate:/,$p' migrations/versions/0d0000000004_*.sql)"
	fi
	# autocommit_block(): Alembic's COMMIT;/BEGIN; become transaction:false
	if [ "$DB_DIALECT" = postgresql ]; then
		expect_eq "index revision" "-- migrate:upgrade transaction:false
CREATE INDEX CONCURRENTLY ix_status_label ON status (label);

-- migrate:downgrade transaction:false
DROP INDEX CONCURRENTLY ix_status_label;" "$(sed -n '/^-- migrate:/,$p' migrations/versions/0d0000000003_*.sql)"
	fi
	roundtrip head 0d0000000001 "SELECT code, label, rank FROM status ORDER BY code"
}

@test "revisions that read the live database: reported, written with retort:todo" {
	import_project inspector 3
	expect_eq "todo report" "todo: 0e0000000002 (0e0000000002_add_flag_if_missing.py): upgrade() cannot be rendered offline for $DB_DIALECT: it reads the live database (op.get_bind()), which offline mode does not have (AttributeError: 'MockConnection' object has no attribute 'close')
todo: 0e0000000003 (0e0000000003_double_every_n.py): upgrade() cannot be rendered offline for $DB_DIALECT: it reads the live database (op.get_bind()), which offline mode does not have (AttributeError: 'NoneType' object has no attribute 'fetchall')
2 revision functions left with a retort:todo marker (retort validate lists them)" "$stderr"
	# every revision written; the todo sections quote the Python source
	[ "$(ls migrations/versions | wc -l)" -eq 3 ]
	local f
	f=$(echo migrations/versions/0e0000000003_*.sql)
	grep -qx -- '-- | def upgrade():' "$f"
	grep -qx -- '-- |     rows = conn.execute(sa.text("SELECT id, n FROM thing")).fetchall()' "$f"
	grep -qx -- 'UPDATE thing SET n = n / 2;' "$f"
	rt -q validate --no-database
	expect_status 3
	expect_eq problems 2 "$(printf '%s\n' "$output" | grep -cE ':10: revision 0e0+[23] is not finished: upgrade\(\) cannot be rendered offline: it reads the live database')"
	# a run refuses them before anything runs (offline too): a revision
	# that did nothing is never recorded as applied
	local before
	rt upgrade 0e0000000001
	expect_status 0
	before="$(db_dump)"
	rt upgrade head
	expect_status 2
	expect_error "$PROJ/migrations/versions/0e0000000002_add_flag_if_missing.sql:10: revision 0e0000000002 is not finished: a retort:todo line ('retort import' could not render it); write its SQL and delete the line; nothing was run"
	expect_eq "database" "$before" "$(db_dump)"
	rt upgrade head --sql
	expect_status 2
	expect_contains stderr "$stderr" "0e0000000002_add_flag_if_missing.sql:10: revision 0e0000000002 is not finished"
	# written by hand, the revisions validate clean and run
	sed -i '/^-- retort:todo/,/^$/c\ALTER TABLE thing ADD COLUMN flag BOOLEAN;\n' migrations/versions/0e0000000002_*.sql
	sed -i '/^-- retort:todo/,/^$/c\UPDATE thing SET n = n * 2;\n' "$f"
	rt -q validate --no-database
	expect_status 0
	rt upgrade head
	expect_status 0
	same_current
}

@test "one import for SQLite and a server: per-dialect sections, the same files on either" {
	# the server: PostgreSQL, or MySQL under RETORT_TEST_DIALECT=mysql
	local server=postgresql alter="ALTER TABLE item ALTER COLUMN name SET NOT NULL;"
	if [ "$DB_DIALECT" = mysql ]; then
		server=mysql
		alter="ALTER TABLE item MODIFY name VARCHAR(50) NOT NULL;"
	fi
	IMPORT_DIALECTS=sqlite,$server import_project batch
	local f
	f=$(echo migrations/versions/0b0000000002_*.sql)
	expect_eq markers "-- migrate:upgrade dialect:sqlite
-- migrate:upgrade dialect:$server
-- migrate:downgrade dialect:sqlite
-- migrate:downgrade dialect:$server" "$(grep '^-- migrate:' "$f")"
	# SQLite rebuilds the table, the server alters it
	expect_eq "the $server upgrade" "$alter

ALTER TABLE item DROP COLUMN price;" "$(sed -n "/^-- migrate:upgrade dialect:$server/,/^-- migrate:/p" "$f" | sed '1d;$d' | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')"
	roundtrip head 0b0000000001 "SELECT id, name FROM item ORDER BY id"
}

