#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# import.bats: `retort import alembic` on input it must refuse: what it
# says, its exit status, and that nothing was written. Plus what it writes
# on a clean run without a database (retort.ini, several dialects). The
# round trips against Alembic on real databases are in online_alembic.bats.

load helpers

DATA="$RETORT_SOURCE_DIR/tests/data/alembic"

# linear_copy: the linear Alembic project in ./alembic_project
linear_copy() {
	cp -r "$DATA/linear" alembic_project
	cp "$DATA/env.py" alembic_project/alembic/
}

# refused STATUS MESSAGE ARGS...: retort ARGS fails with STATUS, stderr is
# exactly MESSAGE, and the folder is as it was.
refused() {
	local want_status="$1" want="$2" before
	shift 2
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" "$@"
	show
	[ "$status" -eq "$want_status" ]
	[ "$output" = "" ]
	[ "$stderr" = "$want" ]
	[ "$(tree_sum)" = "$before" ]
}

setup_file() {
	export RETORT_PYTHON=$PY
}

@test "import needs a source and a project; only alembic is known" {
	refused 2 "retort: import takes a source and its project: import alembic ALEMBIC_INI" import
	refused 2 "retort: import takes a source and its project: import alembic ALEMBIC_INI" import alembic
	refused 2 "retort: import: unknown source 'django' (only 'alembic')" import django x
}

@test "a folder that is not an Alembic project" {
	mkdir notalembic
	refused 2 "retort: notalembic is not an Alembic project: it has no alembic.ini" import alembic notalembic
	printf '[alembic]\nsqlalchemy.url = sqlite://\n' >notalembic/alembic.ini
	refused 2 "retort: notalembic/alembic.ini is not an Alembic project: no script_location in its [alembic] section" import alembic notalembic
	refused 2 "retort: nothere.ini: no such file" import alembic nothere.ini
}

@test "python3 missing: a clear error, nothing written" {
	linear_copy
	local before
	before="$(tree_sum)"
	run --separate-stderr env -u RETORT_PYTHON PATH=/nonexistent "$RETORT" import alembic alembic_project
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: python3 not found: import runs Alembic, which needs Python 3 (install python3 and python3-alembic, or set RETORT_PYTHON)" ]
	[ "$(tree_sum)" = "$before" ]
	RETORT_PYTHON=/nonexistent/python3 refused 2 "retort: /nonexistent/python3 not found: import runs Alembic, which needs Python 3 (install python3 and python3-alembic, or set RETORT_PYTHON)" \
		import alembic alembic_project
}

@test "alembic not importable: a clear error, nothing written" {
	linear_copy
	# a PYTHONPATH entry that shadows the real package
	mkdir -p fake/alembic
	echo 'raise ImportError("simulated: no alembic here")' >fake/alembic/__init__.py
	local before
	before="$(tree_sum)"
	PYTHONPATH="$PWD/fake" run --separate-stderr "$RETORT" import alembic alembic_project
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: the alembic module is not importable by $PY (simulated: no alembic here); install Alembic for it (Debian: python3-alembic), or point RETORT_PYTHON or PYTHONPATH at one that has it" ]
	rm -rf fake/alembic/__pycache__
	[ "$(tree_sum)" = "$before" ]
}

@test "the helper script missing (RETORT_DATADIR): a clear error" {
	linear_copy
	RETORT_DATADIR="$PWD/nowhere" run --separate-stderr "$RETORT" import alembic alembic_project
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: $PWD/nowhere/alembic_import.py not found (is retort installed completely? RETORT_DATADIR names the folder that has it)" ]
	[ ! -e migrations/versions/1a0c5e7d2b11_create_author.sql ]
}

@test "a revision file with a syntax error: file and line, nothing written" {
	linear_copy
	local f=alembic_project/alembic/versions/2b1d6f8e3c22_create_book.py
	sed -i 's/^def upgrade():/def upgrade(:/' "$f"
	refused 2 "retort: $PWD/$f:20: invalid syntax (the Alembic revision does not load)" \
		import alembic alembic_project/alembic.ini
}

@test "an unknown dialect is refused" {
	linear_copy
	refused 2 "retort: unknown dialect 'oracle' (sqlite, postgresql or mysql)" \
		import alembic alembic_project --dialect oracle
}

@test "a file in the way with other content: nothing written" {
	linear_copy
	echo "-- mine" >migrations/versions/2b1d6f8e3c22_create_book.sql
	refused 2 "retort: migrations/versions/2b1d6f8e3c22_create_book.sql exists with other content; nothing written (move it away, or import --into another folder)" \
		import alembic alembic_project
}

@test "retort.ini is written when there is none, and importing again changes nothing" {
	linear_copy
	rm retort.ini
	echo 'file_template = %%(rev)s_%%(slug)s' >>alembic_project/alembic.ini
	run --separate-stderr "$RETORT" import alembic alembic_project --into db/versions
	show
	[ "$status" -eq 0 ]
	[ "$output" = "wrote retort.ini (version_table = alembic_version)
imported 3 revisions into db/versions (3 written, 0 unchanged)" ]
	[ "$(cat retort.ini)" = "[retort]
script_location = %(here)s/db
url = sqlite:///alembic_project/app.db
# the table Alembic keeps its revisions in: retort reads and continues it
version_table = alembic_version
file_template = %%(rev)s_%%(slug)s" ]
	run --separate-stderr "$RETORT" validate --no-database
	[ "$status" -eq 0 ]
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" import alembic alembic_project --into db/versions
	[ "$status" -eq 0 ]
	[ "$output" = "imported 3 revisions into db/versions (0 written, 3 unchanged)" ]
	[ "$(tree_sum)" = "$before" ]
}

@test "an existing retort.ini is kept; the user is told about version_table" {
	linear_copy
	run --separate-stderr "$RETORT" import alembic alembic_project
	show
	[ "$status" -eq 0 ]
	[ "$stderr" = "retort: retort.ini exists and was not changed; add 'version_table = alembic_version' to it to continue the databases Alembic upgraded" ]
	grep -q '^url = sqlite:///app.db$' retort.ini
	! grep -q version_table retort.ini
}

@test "several dialects: one section per dialect" {
	linear_copy
	run --separate-stderr "$RETORT" import alembic alembic_project --dialect sqlite --dialect postgresql
	show
	[ "$status" -eq 0 ]
	local f=migrations/versions/3c2e7a9f4d33_add_book_year.sql
	[ "$(sed -n '/^-- migrate:/,$p' "$f")" = "-- migrate:upgrade dialect:sqlite
ALTER TABLE book ADD COLUMN year INTEGER DEFAULT '2000' NOT NULL;

-- migrate:upgrade dialect:postgresql
ALTER TABLE book ADD COLUMN year INTEGER DEFAULT '2000' NOT NULL;

-- migrate:downgrade dialect:sqlite
ALTER TABLE book DROP COLUMN year;

-- migrate:downgrade dialect:postgresql
ALTER TABLE book DROP COLUMN year;" ]
	run --separate-stderr "$RETORT" validate --no-database
	show
	[ "$status" -eq 0 ]
}

@test "-q, -c, -n; a url with %(here)s is kept relative to alembic.ini" {
	linear_copy
	rm retort.ini
	sed -i 's|^sqlalchemy.url = .*|sqlalchemy.url = sqlite+pysqlite:///%(here)s/app.db|' alembic_project/alembic.ini
	run --separate-stderr "$RETORT" -q import alembic alembic_project
	show
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	grep -qx 'url = sqlite:///%(here)s/alembic_project/app.db' retort.ini
	[ -f migrations/versions/1a0c5e7d2b11_create_author.sql ]
	# -c and -n: the config file and section written
	run --separate-stderr "$RETORT" -q -c other.ini -n staging import alembic alembic_project --into other/versions
	[ "$status" -eq 0 ]
	[ "$(head -n 2 other.ini)" = "[staging]
script_location = %(here)s/other" ]
	run --separate-stderr "$RETORT" -c other.ini -n staging validate --no-database
	[ "$status" -eq 0 ]
}

@test "a revision that imports a missing module, or names a missing parent: named, nothing written" {
	linear_copy
	local f=alembic_project/alembic/versions/2b1d6f8e3c22_create_book.py
	sed -i 's/^import sqlalchemy as sa$/import sqlalchemy as sa\nfrom shop.models import Book  # noqa/' "$f"
	refused 2 "retort: $PWD/$f:12: ModuleNotFoundError: No module named 'shop' (the Alembic revisions do not load)" \
		import alembic alembic_project
	sed -i '/^from shop/d; s/^down_revision = "1a0c5e7d2b11"/down_revision = "nosuch"/' "$f"
	refused 2 "retort: alembic_project/alembic.ini: Revision nosuch referenced from nosuch -> 2b1d6f8e3c22, create book is not present (the Alembic revisions do not load)" \
		import alembic alembic_project
}

@test "batch mode without copy_from after a todo revision: reported, not guessed" {
	linear_copy
	local v=alembic_project/alembic/versions
	# revision 2 needs the database; revision 3 rebuilds its table
	sed -i 's/^def upgrade():$/def upgrade():\n    op.get_bind().execute("SELECT 1").fetchall()/' "$v/2b1d6f8e3c22_create_book.py"
	cat >>"$v/3c2e7a9f4d33_add_book_year.py" <<'EOF2'


def upgrade():  # noqa: F811
    with op.batch_alter_table("book") as b:
        b.alter_column("title", type_=sa.String(300))
EOF2
	run --separate-stderr "$RETORT" import alembic alembic_project
	show
	[ "$status" -eq 3 ]
	[ "$(printf '%s\n' "$stderr" | grep -c '^todo: ')" -eq 2 ]
	printf '%s\n' "$stderr" | grep -qF "todo: 3c2e7a9f4d33 (3c2e7a9f4d33_add_book_year.py): upgrade() cannot be rendered offline for sqlite: CommandError: This operation cannot proceed in --sql mode; batch mode with dialect sqlite requires a live database connection with which to reflect the table \"book\". To generate a batch SQL migration script using table \"move and copy\", a complete Table object should be passed to the \"copy_from\" argument of the batch_alter_table() method so that table reflection can be skipped. (and reflecting the table failed: the table's shape comes from revision 2b1d6f8e3c22, which has a retort:todo)"
	# for PostgreSQL it is an ALTER TABLE: nothing to reflect
	rm -r migrations/versions/*
	run --separate-stderr "$RETORT" import alembic alembic_project --dialect postgresql
	[ "$status" -eq 3 ]
	[ "$(printf '%s\n' "$stderr" | grep -c '^todo: ')" -eq 1 ]
	grep -qx 'ALTER TABLE book ALTER COLUMN title TYPE VARCHAR(300);' migrations/versions/3c2e7a9f4d33_add_book_year.sql
}

@test "a project elsewhere with a relative script_location: Alembic runs in its folder; the SQLite path follows" {
	linear_copy
	rm retort.ini
	sed -i 's|^script_location = .*|script_location = alembic\nprepend_sys_path = .|' alembic_project/alembic.ini
	run --separate-stderr "$RETORT" import alembic alembic_project
	show
	[ "$status" -eq 0 ]
	[ -f migrations/versions/3c2e7a9f4d33_add_book_year.sql ]
	grep -qx 'url = sqlite:///alembic_project/app.db' retort.ini
	run --separate-stderr "$RETORT" validate --no-database
	[ "$status" -eq 0 ]
}
