#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Offline mode (--sql): upgrade, downgrade and stamp render SQL to stdout
# without a database (reference section 3; DESIGN 3, 5 and 6).

load helpers

PG='postgresql://app:s3cr3t@db.example:5432/app'

# a: CREATE TABLE; b: INSERT + UPDATE (two statements, as written)
account_project() {
	rev a "" "" "" \
		"CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50));" \
		"DROP TABLE account;"
	rev b a "" "" \
		"INSERT INTO account (name) VALUES ('x');
UPDATE account SET name = 'y';" \
		"DELETE FROM account;"
}

expected_linear() {
	cat <<'EOF'
BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(255) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a

CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50));

INSERT INTO retort_version (version_num) VALUES ('a');

COMMIT;

BEGIN;

-- Running upgrade a -> b

INSERT INTO account (name) VALUES ('x');
UPDATE account SET name = 'y';

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';

COMMIT;
EOF
}

@test "upgrade head --sql, sqlite: the exact text, one transaction per revision" {
	account_project
	local before
	before="$(tree_sum)"
	run --separate-stderr "$RETORT" --url sqlite:///app.db upgrade head --sql
	show
	[ "$status" -eq 0 ]
	expected_linear | output_is
	[ "$stderr" = "" ]
	# no database was created or touched
	[ "$(tree_sum)" = "$before" ]
	[ ! -e app.db ]
}

@test "upgrade head --sql, postgresql: the same text" {
	account_project
	run --separate-stderr "$RETORT" --url "$PG" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	expected_linear | output_is
	[[ "$output$stderr" != *s3cr3t* ]]
}

@test "the url comes from the config when --url is not given" {
	account_project
	write_config
	sed -i "s|^url = .*|url = $PG|" retort.ini
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	expected_linear | output_is
}

@test "the sqlite output runs in sqlite" {
	account_project
	run --separate-stderr "$RETORT" upgrade head --sql
	[ "$status" -eq 0 ]
	run sqlite_run out.db <<<"$output"
	show
	[ "$status" -eq 0 ]
	[ "$output" = "account retort_version" ]
	[ "$("$PY" -c 'import sqlite3; print(sqlite3.connect("out.db").execute("select version_num from retort_version").fetchall())')" = "[('b',)]" ]
}

@test "transaction_per_migration = false: one BEGIN/COMMIT around the run" {
	account_project
	write_config "transaction_per_migration = false"
	run --separate-stderr "$RETORT" --url "$PG" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(255) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running upgrade  -> a

CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50));

INSERT INTO retort_version (version_num) VALUES ('a');

-- Running upgrade a -> b

INSERT INTO account (name) VALUES ('x');
UPDATE account SET name = 'y';

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';

COMMIT;
EOF
}

@test "upgrade start:end --sql starts from start: no CREATE TABLE, UPDATEs" {
	chain a b c d
	run --separate-stderr "$RETORT" --url "$PG" upgrade a:c --sql
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
BEGIN;

-- Running upgrade a -> b

CREATE TABLE t_b (id INTEGER);

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';

COMMIT;

BEGIN;

-- Running upgrade b -> c

CREATE TABLE t_c (id INTEGER);

UPDATE retort_version SET version_num='c' WHERE retort_version.version_num = 'b';

COMMIT;
EOF
}

@test "upgrade ranges: base:, relative end, head end, nothing to do" {
	chain a b c d
	run --separate-stderr "$RETORT" upgrade base:b --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep -c '^CREATE TABLE retort_version' <<<"$output")" = 1 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running upgrade  -> a\n-- Running upgrade a -> b')" ]
	run --separate-stderr "$RETORT" upgrade a:+2 --sql
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running upgrade a -> b\n-- Running upgrade b -> c')" ]
	run --separate-stderr "$RETORT" upgrade b:head --sql
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running upgrade b -> c\n-- Running upgrade c -> d')" ]
	run --separate-stderr "$RETORT" upgrade c:a --sql
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run --separate-stderr "$RETORT" upgrade b:zz --sql
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: Can't locate revision identified by 'zz'" ]
	run --separate-stderr "$RETORT" upgrade a:b:c --sql
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
}

@test "upgrade across a branch and a merge: Alembic's order and version rows" {
	chain a b
	rev c1 b
	rev c2 b
	rev d1 c1
	rev d2 c2
	rev m "d1, d2"
	run --separate-stderr "$RETORT" --url "$PG" upgrade heads --sql
	show
	[ "$status" -eq 0 ]
	diff -u - <(grep -E '^(-- Running|INSERT|UPDATE|DELETE)' <<<"$output") <<'EOF'
-- Running upgrade  -> a
INSERT INTO retort_version (version_num) VALUES ('a');
-- Running upgrade a -> b
UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';
-- Running upgrade b -> c2
UPDATE retort_version SET version_num='c2' WHERE retort_version.version_num = 'b';
-- Running upgrade c2 -> d2
UPDATE retort_version SET version_num='d2' WHERE retort_version.version_num = 'c2';
-- Running upgrade b -> c1
INSERT INTO retort_version (version_num) VALUES ('c1');
-- Running upgrade c1 -> d1
UPDATE retort_version SET version_num='d1' WHERE retort_version.version_num = 'c1';
-- Running upgrade d1, d2 -> m
DELETE FROM retort_version WHERE retort_version.version_num = 'd1';
UPDATE retort_version SET version_num='m' WHERE retort_version.version_num = 'd2';
EOF
	run --separate-stderr "$RETORT" --url "$PG" downgrade m:b --sql
	show
	[ "$status" -eq 0 ]
	diff -u - <(grep -E '^(-- Running|INSERT|UPDATE|DELETE)' <<<"$output") <<'EOF'
-- Running downgrade m -> d1, d2
INSERT INTO retort_version (version_num) VALUES ('d1');
UPDATE retort_version SET version_num='d2' WHERE retort_version.version_num = 'm';
-- Running downgrade d1 -> c1
UPDATE retort_version SET version_num='c1' WHERE retort_version.version_num = 'd1';
-- Running downgrade c1 -> b
DELETE FROM retort_version WHERE retort_version.version_num = 'c1';
-- Running downgrade d2 -> c2
UPDATE retort_version SET version_num='c2' WHERE retort_version.version_num = 'd2';
-- Running downgrade c2 -> b
UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'c2';
EOF
}

@test "downgrade from:to --sql: the exact text, to base" {
	account_project
	run --separate-stderr "$RETORT" --url "$PG" downgrade b:base --sql
	show
	[ "$status" -eq 0 ]
	# "-- Running downgrade a -> " ends in a blank, as in Alembic
	output_is <<'EOF'
BEGIN;

-- Running downgrade b -> a

DELETE FROM account;

UPDATE retort_version SET version_num='a' WHERE retort_version.version_num = 'b';

COMMIT;

BEGIN;

-- Running downgrade a -> 

DROP TABLE account;

DELETE FROM retort_version WHERE retort_version.version_num = 'a';

COMMIT;
EOF
}

@test "downgrade ranges: relative, and upward is an error" {
	chain a b c d
	run --separate-stderr "$RETORT" downgrade d:-2 --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running downgrade d -> c\n-- Running downgrade c -> b')" ]
	run --separate-stderr "$RETORT" downgrade b:d --sql
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: Destination d is not a valid downgrade target from current head(s)" ]
}

@test "downgrade --sql needs from:to" {
	chain a b
	run "$RETORT" downgrade a --sql
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: downgrade with --sql requires <fromrev>:<torev>" ]
}

@test "a range without --sql: 'Range revision not allowed'" {
	chain a b
	local before
	before="$(tree_sum)"
	run "$RETORT" upgrade a:b
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Range revision not allowed" ]
	run "$RETORT" downgrade b:a
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Range revision not allowed" ]
	# no database was created
	[ "$(tree_sum)" = "$before" ]
}

@test "upgrade and downgrade need one target" {
	run "$RETORT" upgrade --sql
	[ "$status" -eq 2 ]
	[ "$output" = "retort: upgrade takes one target revision (e.g. head)" ]
	run "$RETORT" downgrade a b --sql
	[ "$status" -eq 2 ]
	[ "$output" = "retort: downgrade takes one target revision (e.g. -1)" ]
}

@test "stamp --sql: a new row, from:to, and to base" {
	chain a b c d
	run --separate-stderr "$RETORT" --url "$PG" stamp c --sql
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
BEGIN;

CREATE TABLE retort_version (
    version_num VARCHAR(255) NOT NULL,
    CONSTRAINT retort_version_pkc PRIMARY KEY (version_num)
);

-- Running stamp_revision  -> c

INSERT INTO retort_version (version_num) VALUES ('c');

COMMIT;
EOF
	run --separate-stderr "$RETORT" --url "$PG" stamp b:d --sql
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
BEGIN;

-- Running stamp_revision b -> d

UPDATE retort_version SET version_num='d' WHERE retort_version.version_num = 'b';

COMMIT;
EOF
	run --separate-stderr "$RETORT" --url "$PG" stamp d:base --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep -E '^(-- Running|DELETE)' <<<"$output")" = "$(printf -- "-- Running stamp_revision d -> \nDELETE FROM retort_version WHERE retort_version.version_num = 'd';")" ]
}

@test "stamp --sql back to an ancestor updates the row (Alembic: UPDATE d -> b)" {
	# Alembic 1.8.1: "-- Running stamp_revision d -> b" and an UPDATE.
	# retort treats b as a new branch: "-- Running stamp_revision  -> b"
	# and an INSERT, which would leave two rows (d and b).
	chain a b c d
	run --separate-stderr "$RETORT" --url "$PG" stamp d:b --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep -E '^(-- Running|INSERT|UPDATE|DELETE)' <<<"$output")" = "$(printf -- "-- Running stamp_revision d -> b\nUPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'd';")" ]
}

@test "stamp --sql errors: several starts, --purge" {
	chain a b c
	run "$RETORT" stamp a:c b:c --sql
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Stamp operation with --sql only supports a single starting revision at a time" ]
	run "$RETORT" stamp c --sql --purge
	show
	[ "$status" -eq 2 ]
	[ "$output" = "retort: Can't use --purge with --sql mode" ]
	run "$RETORT" stamp --sql
	[ "$status" -eq 2 ]
	[ "$output" = "retort: stamp takes one or more target revisions (e.g. head, base)" ]
}

@test "a transaction:false section runs outside BEGIN/COMMIT (postgresql)" {
	rev a "" "" "" "CREATE TABLE account (id INTEGER);" "DROP TABLE account;"
	mkdir -p migrations/versions
	cat >migrations/versions/b_concurrently.sql <<'EOF'
-- index concurrently
--
-- Revision ID: b
-- Revises: a

-- migrate:upgrade transaction:false
CREATE INDEX CONCURRENTLY account_id ON account (id);

-- migrate:downgrade transaction:false
DROP INDEX CONCURRENTLY account_id;
EOF
	run --separate-stderr "$RETORT" --url "$PG" upgrade a:b --sql
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
-- Running upgrade a -> b

CREATE INDEX CONCURRENTLY account_id ON account (id);

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';
EOF
	# one transaction for the run: it is committed around the section
	write_config "transaction_per_migration = false"
	run --separate-stderr "$RETORT" --url "$PG" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	diff -u - <(sed -n '/^-- Running upgrade a -> b/,$p' <<<"$output") <<'EOF'
-- Running upgrade a -> b

COMMIT;

CREATE INDEX CONCURRENTLY account_id ON account (id);

BEGIN;

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'a';

COMMIT;
EOF
}

@test "a section without a trailing ';' gets one" {
	rev a "" "" "" "CREATE TABLE t (id INTEGER)" "DROP TABLE t"
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	grep -qx 'CREATE TABLE t (id INTEGER);' <<<"$output"
	run --separate-stderr "$RETORT" downgrade a:base --sql
	grep -qx 'DROP TABLE t;' <<<"$output"
	# and one that has it gets no second one
	rev a "" "" "" "CREATE TABLE t (id INTEGER);  " "DROP TABLE t;"
	run --separate-stderr "$RETORT" upgrade head --sql
	grep -qx 'CREATE TABLE t (id INTEGER);' <<<"$output"
}

@test "a section whose last line is a comment: the ';' goes on its own line" {
	rev a "" "" "" "CREATE TABLE t (id INTEGER)
-- the end" "DROP TABLE t;"
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	[[ "$output" == *"$(printf 'CREATE TABLE t (id INTEGER)\n-- the end\n;\n')"* ]]
	run sqlite_run out.db <<<"$output"
	show
	[ "$status" -eq 0 ]
	[ "$output" = "retort_version t" ]
}

@test "a section ending in a line comment after the SQL: the ';' is not swallowed" {
	# retort writes "CREATE TABLE t (id INTEGER) -- trailing;": the ';' is
	# inside the comment and the statement runs into the next one.
	rev a "" "" "" "CREATE TABLE t (id INTEGER) -- trailing" "DROP TABLE t;"
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	[[ "$output" != *"-- trailing;"* ]]
	run sqlite_run out.db <<<"$output"
	show
	[ "$status" -eq 0 ]
	[ "$output" = "retort_version t" ]
}

@test "a section that is only comments adds no statement" {
	rev a "" "" "" "-- nothing to do here" "-- nor here"
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	[[ "$output" != *$'\n;\n'* ]]
	run sqlite_run out.db <<<"$output"
	[ "$status" -eq 0 ]
	[ "$output" = "retort_version" ]
}

@test "a '-- migrate:downgrade noop' section downgrades freely, running nothing" {
	rev a "" "" "" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
	rev b a "" "" "UPDATE t1 SET id = id + 1;" "-- a backfill: nothing to undo"
	sed -i 's/^-- migrate:downgrade$/-- migrate:downgrade noop/' migrations/versions/b_rev.sql
	rev c b "" "" "CREATE TABLE t3 (id INTEGER);" "DROP TABLE t3;"
	run --separate-stderr "$RETORT" downgrade c:a --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running downgrade c -> b\n-- Running downgrade b -> a')" ]
	[ "$(grep -c 'UPDATE t1\|DROP TABLE t1' <<<"$output")" = 0 ]
	run --separate-stderr "$RETORT" --json show b
	show
	[ "$(json 'd[0]["irreversible"]')" = false ]
}

@test "downgrade through an empty downgrade section: file:line, exit 2" {
	rev a "" "" "" "CREATE TABLE t1 (id INTEGER);" "DROP TABLE t1;"
	rev b a "" "" "CREATE TABLE t2 (id INTEGER);" -
	rev c b "" "" "CREATE TABLE t3 (id INTEGER);" "DROP TABLE t3;"
	run --separate-stderr "$RETORT" downgrade c:a --sql
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: $TEST_DIR/migrations/versions/b_rev.sql:12: revision b has an empty downgrade section; nothing can undo it (use --allow-irreversible to move past it anyway, or mark the section '-- migrate:downgrade noop' when the upgrade needs no undoing)" ]
	# stopping above it is fine
	run --separate-stderr "$RETORT" downgrade c:b --sql
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "-- Running downgrade c -> b" ]
	run --separate-stderr "$RETORT" downgrade c:a --sql --allow-irreversible
	show
	[ "$status" -eq 0 ]
	output_is <<'EOF'
BEGIN;

-- Running downgrade c -> b

DROP TABLE t3;

UPDATE retort_version SET version_num='b' WHERE retort_version.version_num = 'c';

COMMIT;

BEGIN;

-- Running downgrade b -> a

UPDATE retort_version SET version_num='a' WHERE retort_version.version_num = 'b';

COMMIT;
EOF
}

@test "version_table and version_table_schema name the table everywhere" {
	chain a b
	write_config "version_table = my_versions" "version_table_schema = app"
	run --separate-stderr "$RETORT" --url "$PG" upgrade head --sql
	show
	[ "$status" -eq 0 ]
	diff -u - <(grep -E 'my_versions' <<<"$output") <<'EOF'
CREATE TABLE app.my_versions (
    CONSTRAINT my_versions_pkc PRIMARY KEY (version_num)
INSERT INTO app.my_versions (version_num) VALUES ('a');
UPDATE app.my_versions SET version_num='b' WHERE app.my_versions.version_num = 'a';
EOF
	[[ "$output" != *retort_version* ]]
	run --separate-stderr "$RETORT" --url "$PG" downgrade b:base --sql
	[ "$status" -eq 0 ]
	grep -qx "DELETE FROM app.my_versions WHERE app.my_versions.version_num = 'a';" <<<"$output"
	write_config "version_table = alembic_version"
	run --separate-stderr "$RETORT" upgrade head --sql
	grep -qx "INSERT INTO alembic_version (version_num) VALUES ('a');" <<<"$output"
}

@test "--sql on an empty project and with the target already reached" {
	run --separate-stderr "$RETORT" upgrade head --sql
	[ "$status" -eq 0 ]
	chain a
	run --separate-stderr "$RETORT" upgrade a:a --sql
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--sql resolution errors exit 2 and print no SQL" {
	rev a ""
	rev b ""
	run --separate-stderr "$RETORT" upgrade head --sql
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: Multiple head revisions are present for given argument 'head'; please specify a specific target revision, '<branchname>@head' to narrow to a specific head, or 'heads' for all heads" ]
	run --separate-stderr "$RETORT" upgrade nope --sql
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: Can't locate revision identified by 'nope'" ]
}

@test "upgrade LABEL@head --sql runs that branch" {
	# Alembic runs ae1027a6acf, 27c6a30d7c24, b0; retort prints nothing
	rev ae1027a6acf ""
	rev ae1099 ae1027a6acf
	rev 27c6a30d7c24 ae1027a6acf feat
	rev b0 27c6a30d7c24
	run --separate-stderr "$RETORT" upgrade feat@head --sql
	show
	[ "$status" -eq 0 ]
	[ "$(grep '^-- Running' <<<"$output")" = "$(printf -- '-- Running upgrade  -> ae1027a6acf\n-- Running upgrade ae1027a6acf -> 27c6a30d7c24\n-- Running upgrade 27c6a30d7c24 -> b0')" ]
}
