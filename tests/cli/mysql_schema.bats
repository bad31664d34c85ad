#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# mysql_schema.bats: the declared schema on MySQL/MariaDB (run only under
# tests/mysql/server.sh, RETORT_TEST_MYSQL_URL): `revision --autogenerate`,
# `upgrade`, `check` and `dump` through a temporary scratch database and
# through dev_url; MODIFY COLUMN keeping rows; a declared schema that does
# not load (file:line, nothing changed, no scratch database left); a
# scratch database left behind by a dead process dropped by the next run;
# SIGTERM during the load.
# Each test uses databases of its own on the shared server.

load helpers

setup() {
	[ -n "${RETORT_TEST_MYSQL_URL:-}" ] ||
		skip "RETORT_TEST_MYSQL_URL is not set (tests/mysql/server.sh)"
	TEST_DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/retort-bats.XXXXXX")"
	cd "$TEST_DIR" || return 1
	mkdir -p migrations/versions
	DB="ms_$$_${BATS_TEST_NUMBER}"
	DEV="${DB}_dev"
	my -e "DROP DATABASE IF EXISTS $DB; CREATE DATABASE $DB"
	URL="${RETORT_TEST_MYSQL_URL%/*}/$DB"
	config
}

teardown() {
	if [ -n "${RETORT_TEST_MYSQL_URL:-}" ]; then
		my -e "DROP DATABASE IF EXISTS $DB; DROP DATABASE IF EXISTS $DEV"
	fi
	cd / || true
	[ -n "${TEST_DIR:-}" ] && rm -rf "$TEST_DIR"
}

# my ARGS...: the mariadb client as root on the test server's socket.
# config [extra lines...]: retort.ini for $URL and schema.sql.
config() {
	{
		echo "[retort]"
		echo "script_location = %(here)s/migrations"
		echo "url = $URL"
		echo "schema = %(here)s/schema.sql"
		local l
		for l in "$@"; do
			echo "$l"
		done
	} >retort.ini
}

my() {
	mariadb --no-defaults --socket="$RETORT_TEST_MYSQL_SOCKET" -uroot -N \
		--batch "$@"
}

# The tables of $DB with their columns, keys and indexes, and its rows.
snapshot() {
	my "$DB" -e "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
		COLUMN_DEFAULT FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1, ORDINAL_POSITION;
		SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM
		information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
		ORDER BY 1, 2, SEQ_IN_INDEX"
}

# scratch_dbs: the scratch databases left behind: those of retort
# processes that no longer run (other tests may run retort on the same
# server meanwhile); scratch_dbs PID: those of that process.
scratch_dbs() {
	local d pid
	for d in $(my -e "SHOW DATABASES LIKE 'retort\\_scratch\\_%'"); do
		pid="${d#retort_scratch_}"
		pid="${pid%%_*}"
		if [ -n "${1:-}" ]; then
			[ "$pid" = "$1" ] && echo "$d"
		elif ! kill -0 "$pid" 2>/dev/null; then
			echo "$d"
		fi
	done
	return 0
}

v1() {
	cat >schema.sql <<'EOF'
CREATE TABLE author (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(50) NOT NULL,
    kind ENUM('person', 'group') NOT NULL DEFAULT 'person'
);
CREATE TABLE book (
    id INT PRIMARY KEY,
    author_id INT,
    title VARCHAR(100),
    CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id)
);
CREATE INDEX ix_book_title ON book (title(20));
EOF
}

v2() {
	cat >schema.sql <<'EOF'
CREATE TABLE author (
    id INT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(200) NOT NULL COMMENT 'full name',
    kind ENUM('person', 'group', 'org') NOT NULL DEFAULT 'person',
    born DATE
);
CREATE TABLE book (
    id INT PRIMARY KEY,
    author_id INT,
    title VARCHAR(100) NOT NULL DEFAULT '',
    CONSTRAINT fk_book_author FOREIGN KEY (author_id) REFERENCES author (id)
        ON DELETE CASCADE,
    CONSTRAINT ck_title CHECK (title <> 'x')
);
CREATE FULLTEXT INDEX ft_book_title ON book (title);
CREATE VIEW book_list AS SELECT b.title, a.name FROM book b JOIN author a ON a.id = b.author_id;
EOF
}

@test "autogenerate, upgrade, check and dump round trip; MODIFY COLUMN keeps rows" {
	v1
	run "$RETORT" revision --autogenerate -m one --rev-id r1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run grep -c 'CREATE TABLE' migrations/versions/r1_one.sql
	[ "$output" = 2 ]
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run "$RETORT" check
	[ "$status" -eq 0 ] && [ "$output" = "No new upgrade operations detected." ]
	my "$DB" -e "INSERT INTO author (name) VALUES ('Lem'), ('Le Guin');
		INSERT INTO book VALUES (1, 1, 'Solaris'), (2, 2, 'Lathe')"
	v2
	run "$RETORT" check
	[ "$status" -eq 3 ] || { echo "$output"; false; }
	[[ "$output" == *"change type of author.name from varchar(200)"* ||
		"$output" == *"author.name from varchar(50) to varchar(200)"* ]]
	run "$RETORT" revision --autogenerate -m two --rev-id r2
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	up="$(sed -n '/migrate:upgrade/,/migrate:downgrade/p' migrations/versions/r2_two.sql)"
	[[ "$up" == *"ALTER TABLE author MODIFY COLUMN name varchar(200) NOT NULL COMMENT 'full name';"* ]]
	[[ "$up" == *"ALTER TABLE author ADD COLUMN born date NULL, ALGORITHM=INSTANT;"* ]]
	[[ "$up" == *"ALTER TABLE book DROP FOREIGN KEY fk_book_author;"* ]]
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run "$RETORT" check
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run my "$DB" -e "SELECT id, author_id, title FROM book ORDER BY id"
	[ "$output" = "$(printf '1\t1\tSolaris\n2\t2\tLathe')" ]
	# down and up again: the same tables, the rows still there
	after="$(snapshot)"
	run "$RETORT" downgrade r1
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ "$(snapshot)" = "$after" ]
	run my "$DB" -e "SELECT count(*) FROM book"
	[ "$output" = 2 ]
	# the dump loads into an empty database and checks clean there
	"$RETORT" dump >dump.sql
	my -e "DROP DATABASE IF EXISTS $DEV; CREATE DATABASE $DEV"
	my "$DEV" <dump.sql
	cp dump.sql schema.sql
	run "$RETORT" check
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[ -z "$(scratch_dbs)" ]
}

@test "a declared schema that does not load: file:line, nothing changed, no scratch database" {
	v1
	run "$RETORT" revision --autogenerate -m one --rev-id r1
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	before="$(snapshot)"
	printf 'CREATE TABLE ok1 (id INT PRIMARY KEY);\nCREATE TABLE bad (id INT PRIMARY KEY, x NOSUCHTYPE);\n' >schema.sql
	for cmd in check "revision --autogenerate -m x"; do
		# shellcheck disable=SC2086
		run --separate-stderr "$RETORT" $cmd
		[ "$status" -eq 2 ] || { echo "$cmd: $status $stderr"; false; }
		[[ "$stderr" == "retort: $TEST_DIR/schema.sql:2: "* ]] || {
			echo "$stderr"
			false
		}
		[[ "$stderr" != *secret-pw* ]]
	done
	[ "$(snapshot)" = "$before" ]
	[ -z "$(scratch_dbs)" ]
	[ "$(ls migrations/versions)" = r1_one.sql ]
}

@test "dev_url: loaded once, reused while the file is unchanged, never the url's database" {
	v1
	my -e "DROP DATABASE IF EXISTS $DEV; CREATE DATABASE $DEV"
	config "dev_url = ${RETORT_TEST_MYSQL_URL%/*}/$DEV"
	my "$DEV" -e "CREATE TABLE stale (id INT)"
	run "$RETORT" check
	[ "$status" -eq 3 ] || { echo "$output"; false; } # nothing applied yet
	run my -e "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$DEV' ORDER BY 1"
	[ "$output" = "$(printf 'author\nbook')" ] # emptied, then loaded
	mark="$(my -e "SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '$DEV'")"
	[[ "$mark" == retort:* ]]
	# unchanged file: not reloaded (a table added by hand stays)
	my "$DEV" -e "CREATE TABLE marker (id INT)"
	run "$RETORT" check
	[ "$status" -eq 3 ]
	[[ "$output" == *"add table marker"* ]] || { echo "$output"; false; }
	# a changed file: emptied and loaded again
	echo "-- v1 again" >>schema.sql
	run "$RETORT" check
	[[ "$output" != *marker* ]] || { echo "$output"; false; }
	config "dev_url = $URL"
	run --separate-stderr "$RETORT" check
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"dev_url names the same database as url"* ]]
}

@test "a scratch database left by a process that died is dropped by the next check" {
	v1
	# pid 999999 does not run here; the comment names this host
	host="$(hostname)"
	my -e "DROP DATABASE IF EXISTS retort_scratch_999999_1"
	my -e "CREATE DATABASE retort_scratch_999999_1 COMMENT 'retort scratch database of pid 999999 on host $host'"
	# one that is not retort's (no comment) is left alone
	my -e "DROP DATABASE IF EXISTS retort_scratch_999998_1;
		CREATE DATABASE retort_scratch_999998_1"
	run "$RETORT" check
	[ "$status" -eq 3 ] || { echo "$output"; false; }
	run scratch_dbs
	my -e "DROP DATABASE IF EXISTS retort_scratch_999998_1"
	[[ "$output" == *retort_scratch_999998_1* ]] || { echo "$output"; false; }
	[[ "$output" != *retort_scratch_999999_1* ]] || { echo "$output"; false; }
}

@test "SIGTERM while the declared schema loads: the statement is stopped, the scratch database dropped" {
	printf 'CREATE TABLE a (id INT PRIMARY KEY);\nDO SLEEP(60);\nCREATE TABLE b (id INT);\n' >schema.sql
	"$RETORT" check >out.txt 2>&1 &
	pid=$!
	for _ in $(seq 100); do
		[ -n "$(scratch_dbs "$pid")" ] && break
		sleep 0.1
	done
	[ -n "$(scratch_dbs "$pid")" ]
	sleep 0.5
	start=$SECONDS
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ $((SECONDS - start)) -lt 20 ] # not the 60 s of the SLEEP
	[ "$status" -ne 0 ]
	run cat out.txt
	[[ "$output" == *"interrupted while loading the declared schema $TEST_DIR/schema.sql into a scratch database; it is dropped, nothing else changed"* ]] || {
		echo "$output"
		false
	}
	[ -z "$(scratch_dbs)" ]
	run my "$DB" -e "SHOW TABLES"
	[ -z "$output" ]
}

@test "autogenerate_exclude_tables: NAME and DATABASE.NAME (the url's database) leave tables out of both sides" {
	v1
	run "$RETORT" revision --autogenerate -m one --rev-id r1
	run "$RETORT" upgrade head
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	my "$DB" -e "CREATE TABLE legacy_a (id INT); CREATE TABLE legacy_b (id INT)"
	run "$RETORT" check
	[ "$status" -eq 3 ] || { echo "status $status: $output"; false; }
	[[ "$output" == *"drop table legacy_a"* && "$output" == *"drop table legacy_b"* ]] || {
		echo "$output"
		false
	}
	# the same pattern in the declared schema is left out too
	printf 'CREATE TABLE legacy_c (id INT);\n' >>schema.sql
	config "autogenerate_exclude_tables = $DB.legacy_a, legacy_b, legacy_c"
	run "$RETORT" check
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	config "autogenerate_exclude_tables = otherdb.legacy_*"
	run "$RETORT" check
	[ "$status" -eq 3 ] || { echo "status $status: $output"; false; }
	[[ "$output" == *"add table legacy_c"* ]] || { echo "$output"; false; }
}
