#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# pg_features.bats: what retort does on PostgreSQL that the shared online
# tests do not cover: url forms (schemes, Unix sockets, libpq parameters),
# version_table_schema, adopting an Alembic database, pg_settings,
# transactional DDL with error lines, transaction_per_migration, --sql,
# transaction:false sections and the dirty state, and read-only commands.
# Each test has its own database (see pg_helpers.bash); the database's
# state is checked with psql afterwards.

load pg_helpers

setup() {
	pg_setup
}

teardown() {
	pg_teardown
}

# ---------------------------------------------------------------------------
# urls

@test "postgresql://, postgres://, postgresql+asyncpg:// and postgresql+psycopg2:// urls connect; current -v masks the password" {
	local n scheme url prev=""
	for n in 1 2 3 4; do
		mkrev "r$n" "$prev" "CREATE TABLE via_$n AS SELECT current_user AS who, current_database() AS db;"
		prev="r$n"
	done
	n=0
	for scheme in postgresql postgres postgresql+asyncpg postgresql+psycopg2; do
		n=$((n + 1))
		url="$scheme://$PG_USER:$PG_PASSWORD@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
		rt --url "$url" upgrade "r$n"
		expect_status 0
		expect_no_error
		prev=""
		if [ $n -gt 1 ]; then prev="r$((n - 1))"; fi
		expect_eq progress "Running upgrade $prev -> r$n, create r$n ... N ms" "$(progress)"
		expect_eq "via_$n" "$PG_USER|$TEST_DB" "$(q "SELECT who || '|' || db FROM via_$n")"
		rt --url "$url" current -v
		expect_status 0
		expect_eq "current -v, line 1" \
			"Current revision(s) for $scheme://$PG_USER:***@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB:" \
			"${lines[0]}"
		local head=""
		if [ $n = 4 ]; then head=" (head)"; fi
		expect_eq "current -v, line 2" "Rev: r$n$head" "${lines[1]}"
	done
	expect_eq versions r4 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok r3:upgrade:ok r4:upgrade:ok" "$(log_rows)"
}

@test "a Unix socket through a %2F-encoded host (application_name defaults to retort)" {
	local host="${PGHOST//\//%2F}"
	mkrev r1 "" "CREATE TABLE conn AS SELECT inet_client_addr() IS NULL AS via_socket,
    current_setting('application_name') AS app, current_user AS who;"
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@$host:$PGPORT/$TEST_DB" upgrade head
	expect_status 0
	expect_no_error
	expect_eq conn "t|retort|$PG_USER" "$(q "TABLE conn")"
	expect_eq versions r1 "$(versions)"
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@$host:$PGPORT/$TEST_DB" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for postgresql://$PG_USER:***@$host:$PGPORT/$TEST_DB:" \
		"${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r1 (head)" "${lines[1]}"
}

@test "a Unix socket through ?host=...&port=..." {
	mkrev r1 "" "CREATE TABLE conn AS SELECT inet_client_addr() IS NULL AS via_socket, current_user AS who;"
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@/$TEST_DB?host=$PGHOST&port=$PGPORT" upgrade head
	expect_status 0
	expect_no_error
	expect_eq conn "t|$PG_USER" "$(q "TABLE conn")"
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@/$TEST_DB?host=$PGHOST&port=$PGPORT" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for postgresql://$PG_USER:***@/$TEST_DB?host=$PGHOST&port=$PGPORT:" \
		"${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r1 (head)" "${lines[1]}"
}

@test "sslmode, connect_timeout and application_name go to libpq (application_name seen in pg_stat_activity)" {
	local url="$TEST_URL?sslmode=disable&connect_timeout=5&application_name=deploy-42"
	mkrev r1 "" "CREATE TABLE conn AS SELECT current_setting('application_name') AS app,
    (SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
    inet_client_addr() IS NOT NULL AS via_tcp;"
	mkrev r2 r1 "SELECT pg_sleep(2);" -
	rt_bg A --url "$url" upgrade head
	# while r2 sleeps, the session shows up under its application_name
	run wait_for "SELECT application_name || '|' || state FROM pg_catalog.pg_stat_activity
	              WHERE datname = '$TEST_DB' AND query LIKE 'SELECT pg_sleep(2)%'"
	expect_eq "pg_stat_activity" "deploy-42|active" "$output"
	rt_wait A
	expect_status 0
	expect_no_error
	expect_eq conn "deploy-42|f|t" "$(q "TABLE conn")"
	expect_eq versions r2 "$(versions)"
	rt --url "$url" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for $MASKED_URL?sslmode=disable&connect_timeout=5&application_name=deploy-42:" \
		"${lines[0]}"
}

@test "a password with @ : / % # ? (percent-encoded) connects, and is never printed, even when wrong" {
	local role="${TEST_DB}_odd"
	EXTRA_ROLES="$role"
	EXTRA_SECRETS=('p@ss:w/o%rd#?x' 'p%40ss:w%2Fo%25rd%23%3Fx' 'p%40ss:w%2Fo%25rd%23%3Fxy')
	psql_admin -d postgres -c "CREATE ROLE $role LOGIN PASSWORD 'p@ss:w/o%rd#?x'" \
		-c "ALTER DATABASE $TEST_DB OWNER TO $role"
	mkrev r1 "" "CREATE TABLE who AS SELECT current_user AS u;"
	local url="postgresql://$role:p%40ss:w%2Fo%25rd%23%3Fx@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
	rt --url "$url" upgrade head
	expect_status 0
	expect_no_error
	expect_eq who "$role" "$(q "TABLE who")"
	rt --url "$url" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for postgresql://$role:***@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB:" \
		"${lines[0]}"
	rt --url "postgresql://$role:p%40ss:w%2Fo%25rd%23%3Fxy@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB" current
	expect_status 1
	expect_eq stderr "retort: cannot connect to postgresql://$role:***@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: FATAL:  password authentication failed for user \"$role\"" "$stderr"
}

@test "a parameter libpq does not know is one clear error" {
	mkrev r1 ""
	rt --url "$TEST_URL?no_such_option=1" upgrade head
	expect_status 1
	expect_stdout ""
	expect_error "cannot connect to $MASKED_URL?no_such_option=1: invalid connection option \"no_such_option\""
	expect_eq tables "" "$(tables)"
}

@test "an asyncpg url works as is: ssl becomes sslmode, driver-only parameters are ignored with one warning" {
	local base="postgresql+asyncpg://$PG_USER:$PG_PASSWORD@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
	local shown="postgresql+asyncpg://$PG_USER:***@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
	local warning="retort: warning: ignoring a driver-only url parameter for postgresql+asyncpg: prepared_statement_cache_size (libpq has no such option)"
	mkrev r1 "" "CREATE TABLE conn AS SELECT
    (SELECT ssl FROM pg_catalog.pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
    current_setting('application_name') AS app;"
	# the test server has no SSL: libpq's own refusal shows that ssl=require
	# reached libpq as sslmode=require
	rt --url "$base?ssl=require" upgrade head
	expect_status 1
	expect_stdout ""
	expect_error "cannot connect to $shown?ssl=require: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: server does not support SSL, but SSL was required"
	expect_eq tables "" "$(tables)"

	rt --url "$base?ssl=disable&prepared_statement_cache_size=500" upgrade head
	expect_status 0
	expect_eq "error lines of stderr" "$warning" "$(error_lines)"
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms" "$(progress)"
	expect_eq conn "f|retort" "$(q "TABLE conn")"
	expect_eq versions r1 "$(versions)"
	rt --url "$base?ssl=disable&prepared_statement_cache_size=500" current -v
	expect_status 0
	expect_eq "error lines of stderr" "$warning" "$(error_lines)"
	expect_eq "current -v, line 1" \
		"Current revision(s) for $shown?ssl=disable&prepared_statement_cache_size=500:" \
		"${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r1 (head)" "${lines[1]}"
	# a value asyncpg would refuse is refused, naming the parameter
	rt --url "$base?ssl=maybe" current
	expect_status 2
	expect_error "invalid database url '$shown?ssl=maybe': ssl=maybe is not one of disable, allow, prefer, require, verify-ca, verify-full, true, false"
	expect_eq "outputs holding the password" "" "$(grep -rlF -- "$PG_PASSWORD" "$OUT_DIR" || true)"
}

@test "a libpq key/value connection string, as --url and as url, connects and is shown with the password masked" {
	local kv="host=$PG_TCP_HOST port=$PG_TCP_PORT dbname=$TEST_DB user=$PG_USER password=$PG_PASSWORD application_name='deploy 42'"
	local shown="host=$PG_TCP_HOST port=$PG_TCP_PORT dbname=$TEST_DB user=$PG_USER password=*** application_name='deploy 42'"
	mkrev r1 "" "CREATE TABLE conn AS SELECT current_setting('application_name') AS app,
    inet_client_addr() IS NOT NULL AS via_tcp, current_user AS who;"
	mkrev r2 r1
	rt --url "$kv" upgrade r1
	expect_status 0
	expect_no_error
	expect_eq conn "deploy 42|t|$PG_USER" "$(q "TABLE conn")"
	expect_eq versions r1 "$(versions)"
	rt --url "$kv" current -v
	expect_status 0
	expect_eq "current -v, line 1" "Current revision(s) for $shown:" "${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r1" "${lines[1]}"

	export TEST_KV="$kv"
	printf '[retort]\nscript_location = %%(here)s/migrations\nurl = ${TEST_KV}\n' >retort.ini
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade r1 -> r2, create r2 ... N ms" "$(progress)"
	rt current
	expect_status 0
	expect_stdout "r2 (head)"
	# libpq's errors come through, with the password masked
	rt --url "host=$PG_TCP_HOST port=$PG_TCP_PORT dbname=$TEST_DB user=$PG_USER password=$PG_PASSWORD sslmod=disable" current
	expect_status 1
	expect_error "cannot connect to host=$PG_TCP_HOST port=$PG_TCP_PORT dbname=$TEST_DB user=$PG_USER password=*** sslmod=disable: invalid connection option \"sslmod\""
	rt --url "host=$PG_TCP_HOST password='$PG_PASSWORD" current
	expect_status 2
	expect_error "invalid connection string 'host=$PG_TCP_HOST password=***': unterminated quoted string"
	expect_eq "outputs holding the password" "" "$(grep -rlF -- "$PG_PASSWORD" "$OUT_DIR" || true)"
}

@test "several hosts: libpq's host1:port1,host2:port2 and SQLAlchemy's ?host=h1:p1&host=h2:p2 try each in turn" {
	local hosts="127.0.0.1:1,$PG_TCP_HOST:$PG_TCP_PORT"
	local url="postgresql://$PG_USER:$PG_PASSWORD@$hosts/$TEST_DB?target_session_attrs=read-write"
	mkrev r1 "" "CREATE TABLE conn AS SELECT inet_server_port() AS port;"
	mkrev r2 r1
	# nothing listens on port 1: libpq moves on to the test server
	rt --url "$url" upgrade r1
	expect_status 0
	expect_no_error
	expect_eq conn "$PG_TCP_PORT" "$(q "TABLE conn")"
	rt --url "$url" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for postgresql://$PG_USER:***@$hosts/$TEST_DB?target_session_attrs=read-write:" \
		"${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r1" "${lines[1]}"

	url="postgresql+psycopg2://$PG_USER:$PG_PASSWORD@/$TEST_DB?host=127.0.0.1:1&host=$PG_TCP_HOST:$PG_TCP_PORT"
	rt --url "$url" upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r2 "$(versions)"
	rt --url "$url" current
	expect_status 0
	expect_stdout "r2 (head)"
	# when no host answers, libpq's message names each
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:1,127.0.0.1:2/$TEST_DB" current
	expect_status 1
	expect_match stderr "^retort: cannot connect to postgresql://$PG_USER:\*\*\*@127\.0\.0\.1:1,127\.0\.0\.1:2/$TEST_DB: connection to server at \"127\.0\.0\.1\", port 1 failed: .*port 2 failed" "$stderr"
	expect_eq "outputs holding the password" "" "$(grep -rlF -- "$PG_PASSWORD" "$OUT_DIR" || true)"
}

@test "options=-c%20statement_timeout%3D... sets the session's statement_timeout" {
	local url="$TEST_URL?options=-c%20statement_timeout%3D700"
	mkrev r1 "" "CREATE TABLE s AS SELECT current_setting('statement_timeout') AS st;"
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);
SELECT pg_sleep(3);"
	rt --url "$url" upgrade head
	expect_status 1
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... failed" "$(progress)"
	expect_error "$(revfile r2):11: canceling statement due to statement timeout (SQLSTATE 57014)"
	expect_eq st 700ms "$(q "TABLE s")"
	expect_eq versions r1 "$(versions)"
	expect_eq tables "public.retort_log public.retort_version public.s" "$(tables)"
	rt --url "$url" current -v
	expect_status 0
	expect_eq "current -v, line 1" \
		"Current revision(s) for $MASKED_URL?options=-c%20statement_timeout=700:" \
		"${lines[0]}"
}

# ---------------------------------------------------------------------------
# version tables

@test "version_table_schema: the version and log tables are made in that schema" {
	q "CREATE SCHEMA deploy"
	pg_config "version_table_schema = deploy"
	chain r 2
	rt current
	expect_status 0
	expect_stdout ""
	expect_eq tables "" "$(tables)"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq tables "deploy.retort_log deploy.retort_version public.t_r01 public.t_r02" "$(tables)"
	expect_eq versions r02 "$(versions deploy.retort_version)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok" "$(log_rows deploy.retort_log)"
	rt current
	expect_status 0
	expect_stdout "r02 (head)"
	rt downgrade -1
	expect_status 0
	expect_eq versions r01 "$(versions deploy.retort_version)"
	expect_eq tables "deploy.retort_log deploy.retort_version public.t_r01" "$(tables)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok r02:downgrade:ok" "$(log_rows deploy.retort_log)"
	rt upgrade r01:head --sql
	expect_status 0
	expect_eq "--sql version row" \
		"UPDATE deploy.retort_version SET version_num='r02' WHERE deploy.retort_version.version_num = 'r01';" \
		"$(printf '%s\n' "$output" | grep '^UPDATE ')"
}

@test "version_table = alembic_version continues a database Alembic upgraded halfway; Alembic reads what retort wrote" {
	[ -x "$PY" ] && "$PY" -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null ||
		skip "Debian's python3-alembic and python3-psycopg2 are needed"
	local al="$BATS_TEST_TMPDIR/alembic" id prev=None
	mkdir -p "$al/versions"
	cat >"$BATS_TEST_TMPDIR/alembic.ini" <<EOF
[alembic]
script_location = $al
sqlalchemy.url = $TEST_URL
EOF
	cat >"$al/env.py" <<'EOF'
from alembic import context
from sqlalchemy import engine_from_config, pool

config = context.config
engine = engine_from_config(config.get_section(config.config_ini_section),
                            prefix="sqlalchemy.", poolclass=pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
EOF
	# the same four revisions for both tools
	for id in a1 b2 c3 d4; do
		cat >"$al/versions/${id}_rev.py" <<EOF
"""create $id"""
from alembic import op

revision = '$id'
down_revision = $prev
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE t_$id (id INTEGER)")


def downgrade():
    op.execute("DROP TABLE t_$id")
EOF
		local parent="${prev//\'/}"
		if [ "$parent" = None ]; then parent=""; fi
		mkrev "$id" "$parent" "CREATE TABLE t_$id (id INTEGER);"
		prev="'$id'"
	done
	pg_config "version_table = alembic_version"
	run --separate-stderr "$PY" -m alembic -c "$BATS_TEST_TMPDIR/alembic.ini" upgrade b2
	expect_status 0
	expect_eq versions b2 "$(versions alembic_version)"
	rt current
	expect_status 0
	expect_stdout "b2"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade b2 -> c3, create c3 ... N ms
Running upgrade c3 -> d4, create d4 ... N ms" "$(progress)"
	expect_eq tables "public.alembic_version public.retort_log public.t_a1 public.t_b2 public.t_c3 public.t_d4" "$(tables)"
	expect_eq versions d4 "$(versions alembic_version)"
	expect_eq log "c3:upgrade:ok d4:upgrade:ok" "$(log_rows)"
	run --separate-stderr "$PY" -m alembic -c "$BATS_TEST_TMPDIR/alembic.ini" current
	expect_status 0
	expect_stdout "d4 (head)"
	# and Alembic can go on from there
	run --separate-stderr "$PY" -m alembic -c "$BATS_TEST_TMPDIR/alembic.ini" downgrade c3
	expect_status 0
	rt current
	expect_status 0
	expect_stdout "c3"
	expect_eq tables "public.alembic_version public.retort_log public.t_a1 public.t_b2 public.t_c3" "$(tables)"
}

# ---------------------------------------------------------------------------
# pg_settings

@test "a search_path with no existing schema: one clear error, nothing created" {
	pg_config "pg_settings = search_path=nowhere"
	mkrev r1 ""
	rt upgrade head
	expect_status 2
	expect_stdout ""
	expect_error "no schema of the search path exists on $MASKED_URL, so retort has nowhere to keep its version table; create one, or set version_table_schema"
	expect_eq tables "" "$(tables)"
}

@test "pg_settings = lock_timeout=5s, statement_timeout=0 is applied to the session" {
	pg_config "pg_settings = lock_timeout=5s, statement_timeout=0"
	mkrev r1 "" "CREATE TABLE s AS SELECT current_setting('lock_timeout') AS lt,
    current_setting('statement_timeout') AS st;"
	# pg_settings come after the connection's own options
	mkrev r2 r1 "SELECT pg_sleep(1);" -
	rt --url "$TEST_URL?options=-c%20statement_timeout%3D200" upgrade head
	expect_status 0
	expect_no_error
	expect_eq settings "5s|0" "$(q "TABLE s")"
	expect_eq versions r2 "$(versions)"
}

@test "a statement_timeout in pg_settings stops a slow revision: file:line, SQLSTATE 57014, exit 1, earlier revisions kept" {
	pg_config "pg_settings = statement_timeout=300ms"
	mkrev r1 ""
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);
INSERT INTO t_r2 VALUES (1);
SELECT pg_sleep(2);
CREATE TABLE t_r2b (id int);"
	rt upgrade head
	expect_status 1
	expect_stdout ""
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... failed" "$(progress)"
	expect_error "$(revfile r2):12: canceling statement due to statement timeout (SQLSTATE 57014)"
	expect_eq versions r1 "$(versions)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1" "$(tables)"
	expect_eq log "r1:upgrade:ok" "$(log_rows)"
}

@test "pg_settings errors name pg_settings" {
	mkrev r1 ""
	pg_config "pg_settings = nonsense"
	rt upgrade head
	expect_status 2
	expect_error "retort.ini:4: pg_settings: expected name=value, not 'nonsense'"
	# a setting the server rejects is a configuration error too: the
	# message must say where it came from (the server's text alone reads
	# like a failure of a revision), and exit 2 like the line above
	pg_config "pg_settings = no_such_setting=1"
	rt upgrade head
	expect_status 2
	expect_error "retort.ini:4: pg_settings: unrecognized configuration parameter \"no_such_setting\""
	expect_eq tables "" "$(tables)"
}

@test "pg_settings from the environment cannot inject SQL: a name that is not an identifier is a config error, nothing runs" {
	q "CREATE TABLE victim (id int); INSERT INTO victim VALUES (1)"
	mkrev r1 ""
	pg_config 'pg_settings = search_path=${TENANT}'
	# a comma-joined payload makes a second "name" that used to be pasted
	# into SET as is
	TENANT="public, search_path TO DEFAULT; DROP TABLE victim; SET search_path=public" rt upgrade head
	expect_status 2
	expect_error "retort.ini:4: pg_settings: not a setting name: 'search_path TO DEFAULT; DROP TABLE victim; SET search_path' (a name is letters, digits, '_' and '\$', with one '.' for a custom setting such as myapp.tenant)"
	expect_eq victim 1 "$(q "SELECT id FROM victim")"
	expect_eq tables "public.victim" "$(tables)"
	# a quote in a value is data: it reaches the setting unchanged
	pg_config 'pg_settings = myapp.tenant=${TENANT}'
	mkrev r1 "" "CREATE TABLE t_r1 AS SELECT current_setting('myapp.tenant') AS v;"
	TENANT="x'; DROP TABLE victim; --" rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq setting "x'; DROP TABLE victim; --" "$(q "SELECT v FROM t_r1")"
	expect_eq victim 1 "$(q "SELECT id FROM victim")"
	# an unterminated quote is an error, not SQL
	pg_config 'pg_settings = search_path=${TENANT}'
	TENANT="'; DROP TABLE victim; --" rt downgrade base
	expect_status 2
	expect_error "retort.ini:4: pg_settings: unterminated quote in 'search_path='; DROP TABLE victim; --'"
	expect_eq victim 1 "$(q "SELECT id FROM victim")"
	expect_eq versions r1 "$(versions)"
}

@test "pg_settings = search_path='tenant_a, public' sets a search path of two schemas" {
	q "CREATE SCHEMA tenant_a; CREATE TABLE public.shared (id int); INSERT INTO public.shared VALUES (7)"
	pg_config "pg_settings = search_path='tenant_a, public', statement_timeout=30s"
	mkrev r1 "" "CREATE TABLE account (id int);
INSERT INTO account SELECT id FROM shared;
CREATE TABLE settings AS SELECT current_setting('search_path') AS sp,
    current_setting('statement_timeout') AS st;"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq settings "tenant_a, public|30s" "$(q "SELECT sp || '|' || st FROM tenant_a.settings")"
	expect_eq account 7 "$(q "SELECT id FROM tenant_a.account")"
	expect_eq tables "public.shared tenant_a.account tenant_a.retort_log tenant_a.retort_version tenant_a.settings" "$(tables)"
	rt current
	expect_status 0
	expect_stdout "r1 (head)"
}

# ---------------------------------------------------------------------------
# transactional DDL and error lines

@test "a revision failing midway rolls back entirely, keeps the revisions before it, and names file:line and SQLSTATE" {
	chain r 2
	# upgrade starts on line 10 of the file
	mkrev r03 r02 "CREATE TABLE t_r03 (id int);
INSERT INTO t_r03 VALUES (1);
CREATE INDEX t_r03_id ON t_r03 (id);
INSERT INTO t_r03 VALUES ('not a number');
CREATE TABLE t_r03b (id int);"
	mkrev r04 r03
	rt upgrade head
	expect_status 1
	expect_stdout ""
	expect_eq progress "Running upgrade  -> r01, create r01 ... N ms
Running upgrade r01 -> r02, create r02 ... N ms
Running upgrade r02 -> r03, create r03 ... failed" "$(progress)"
	expect_error "$(revfile r03):13: invalid input syntax for type integer: \"not a number\" (SQLSTATE 22P02)"
	expect_eq tables "public.retort_log public.retort_version public.t_r01 public.t_r02" "$(tables)"
	expect_eq indexes "" "$(q "SELECT indexname FROM pg_indexes WHERE indexname = 't_r03_id'")"
	expect_eq versions r02 "$(versions)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok" "$(log_rows)"
	rt current
	expect_status 0
	expect_stdout "r02"
	# fixed, the rest applies
	mkrev r03 r02 "CREATE TABLE t_r03 (id int);"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r04 "$(versions)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok r03:upgrade:ok r04:upgrade:ok" "$(log_rows)"
}

@test "a downgrade failing midway rolls back entirely and names the downgrade section's line" {
	mkrev r1 ""
	# upgrade on line 10, downgrade from line 13; the failure is on 16
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);" "DROP TABLE t_r2;
ALTER TABLE t_r1 ADD COLUMN gone int;
SELECT 'ünïcödé' AS s
  FROM no_such_table;"
	rt upgrade head
	expect_status 0
	rt downgrade base
	expect_status 1
	expect_stdout ""
	expect_eq progress "Running downgrade r2 -> r1, create r2 ... failed" "$(progress)"
	expect_error "$(revfile r2):16: relation \"no_such_table\" does not exist (SQLSTATE 42P01)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1 public.t_r2" "$(tables)"
	expect_eq columns "id" "$(q "SELECT string_agg(column_name, ' ') FROM information_schema.columns WHERE table_name = 't_r1'")"
	expect_eq versions r2 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok" "$(log_rows)"
}

@test "the error line comes from the server's error position, after multi-byte UTF-8 text" {
	mkrev r1 ""
	# lines 10..17; the unknown table is on line 15, inside a statement
	# that starts on line 12 after two-byte and four-byte characters
	mkrev r2 r1 "CREATE TABLE t_r2 (note text DEFAULT 'ÄÖÜ 日本語');
-- a comment: naïve café ✓ 日本語 𝄞
SELECT 'ääääääääääääääääääääääääääääää' AS s,
       '𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞𝄞' AS t
  FROM t_r2
  JOIN no_such_table ON true
  WHERE 1 = 1
    AND 2 = 2;"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r2):15: relation \"no_such_table\" does not exist (SQLSTATE 42P01)"
	expect_eq versions r1 "$(versions)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1" "$(tables)"
	# an error without a position: the line the statement starts on
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);

-- ünïcödé ✓
/* a block
   comment */
SELECT 1 /
  0;"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r2):15: division by zero (SQLSTATE 22012)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1" "$(tables)"
	# two statements on one line: the second one's line
	mkrev r2 r1 "CREATE TABLE t_r2 (id int);
SELECT 'é'; SELECT 'ü'; INSERT INTO
   t_r2 VALUES ('x');"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r2):12: invalid input syntax for type integer: \"x\" (SQLSTATE 22P02)"
}

@test "the error line is right past dollar-quoted bodies and past the first 100 statements, in and out of a transaction" {
	local body n
	body="CREATE TABLE nums (n int);
CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS \$\$
BEGIN
  PERFORM 1; -- a; comment with ';'
  RETURN length('x;y');
END;
\$\$;
DO \$tag\$ BEGIN PERFORM 1; END \$tag\$;"
	for ((n = 1; n <= 130; n++)); do
		body+=$'\n'"INSERT INTO nums VALUES ($n);"
	done
	# lines 10..17 above, 18..147 the inserts, 148 the failure
	body+=$'\n'"SELECT * FROM no_such_table;"
	mkrev r1 "" "$body"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r1):148: relation \"no_such_table\" does not exist (SQLSTATE 42P01)"
	expect_eq tables "public.retort_log public.retort_version" "$(tables)"
	mkrev -o transaction:false r1 "" "$body"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r1):148: relation \"no_such_table\" does not exist (SQLSTATE 42P01) (it ran outside a transaction: 133 of its 134 statements ran and stay; the database is now marked dirty at statement 134; fix the cause and run the same command again to go on from there, or fix it by hand and run 'retort repair')"
	expect_eq "rows" 130 "$(q "SELECT count(*) FROM nums")"
}

@test "transaction_per_migration = false: one failure rolls back the whole run" {
	pg_config "transaction_per_migration = false"
	chain r 3
	mkrev r04 r03 "CREATE TABLE t_r04 (id int);
SELECT * FROM no_such_table;"
	rt upgrade head
	expect_status 1
	expect_error "$(revfile r04):11: relation \"no_such_table\" does not exist (SQLSTATE 42P01) (transaction_per_migration = false: every revision of this run was rolled back)"
	expect_eq tables "" "$(tables)"
	rt current
	expect_status 0
	expect_stdout ""
	# once it is fixed, the whole run goes through in one transaction
	mkrev r04 r03
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r04 "$(versions)"
	expect_eq log "r01:upgrade:ok r02:upgrade:ok r03:upgrade:ok r04:upgrade:ok" "$(log_rows)"
	expect_eq "transactions" 1 "$(q "SELECT count(DISTINCT xmin::text) FROM retort_log")"
}

@test "upgrade head --sql: BEGIN/COMMIT around each revision, or once with transaction_per_migration = false" {
	chain r 3
	rt upgrade head --sql
	expect_status 0
	expect_no_error
	expect_eq "transaction lines" "BEGIN;
-- Running upgrade  -> r01
COMMIT;
BEGIN;
-- Running upgrade r01 -> r02
COMMIT;
BEGIN;
-- Running upgrade r02 -> r03
COMMIT;" "$(printf '%s\n' "$output" | grep -E '^(BEGIN;|COMMIT;|-- Running )')"
	expect_eq "version table" 1 "$(printf '%s\n' "$output" | grep -c '^CREATE TABLE retort_version (')"
	pg_config "transaction_per_migration = false"
	rt upgrade head --sql
	expect_status 0
	expect_eq "transaction lines" "BEGIN;
-- Running upgrade  -> r01
-- Running upgrade r01 -> r02
-- Running upgrade r02 -> r03
COMMIT;" "$(printf '%s\n' "$output" | grep -E '^(BEGIN;|COMMIT;|-- Running )')"
	# --sql never connects
	rt --url "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:1/nowhere" upgrade head --sql
	expect_status 0
	expect_eq tables "" "$(tables)"
}

# ---------------------------------------------------------------------------
# transaction:false

@test "CREATE INDEX CONCURRENTLY and ALTER TYPE ... ADD VALUE in a transaction:false section" {
	mkrev r1 "" "CREATE TABLE big (id int, mood text);
INSERT INTO big SELECT g, 'ok' FROM generate_series(1, 1000) g;
CREATE TYPE mood AS ENUM ('sad', 'ok');"
	mkrev -o transaction:false r2 r1 "CREATE INDEX CONCURRENTLY big_id ON big (id);
ALTER TYPE mood ADD VALUE 'happy';" "DROP INDEX big_id;"
	mkrev r3 r2 "CREATE TABLE t_r3 (m mood DEFAULT 'happy');"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... N ms
Running upgrade r2 -> r3, create r3 ... N ms" "$(progress)"
	expect_eq "index valid" t "$(q "SELECT indisvalid FROM pg_index WHERE indexrelid = 'big_id'::regclass")"
	expect_eq enum "sad ok happy" "$(q "SELECT string_agg(enumlabel, ' ' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'mood'::regtype")"
	expect_eq versions r3 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:ok r3:upgrade:ok" "$(log_rows)"
	# and back down through it
	rt downgrade r1
	expect_status 0
	expect_eq versions r1 "$(versions)"
	expect_eq "index" "" "$(q "SELECT indexname FROM pg_indexes WHERE indexname = 'big_id'")"
}

@test "a failing transaction:false revision leaves the database dirty until retort repair" {
	mkrev r1 ""
	mkrev -o transaction:false r2 r1 "CREATE INDEX CONCURRENTLY t_r1_id ON t_r1 (id);
CREATE TABLE t_r2 (id int);
INSERT INTO no_such_table VALUES (1);
CREATE TABLE t_r2b (id int);"
	mkrev r3 r2
	local err="$(revfile r2):12: relation \"no_such_table\" does not exist (SQLSTATE 42P01)"
	rt upgrade head
	expect_status 1
	expect_eq progress "Running upgrade  -> r1, create r1 ... N ms
Running upgrade r1 -> r2, create r2 ... failed" "$(progress)"
	expect_error "$err (it ran outside a transaction: 2 of its 4 statements ran and stay; the database is now marked dirty at statement 3; fix the cause and run the same command again to go on from there, or fix it by hand and run 'retort repair')"
	# what ran before the failure stays: that is what makes it dirty
	expect_eq tables "public.retort_log public.retort_version public.t_r1 public.t_r2" "$(tables)"
	expect_eq versions r1 "$(versions)"
	expect_eq log "r1:upgrade:ok r2:upgrade:failed" "$(log_rows)"
	local started dirty
	started=$(q "SELECT started_at FROM retort_log WHERE revision = 'r2'")
	dirty="the database is dirty: upgrade of revision r2 (transaction:false) failed at $started: $err; fix the database by hand, then run 'retort repair'"
	# every write refuses, and changes nothing
	local before cmd
	before=$(db_dump)
	for cmd in "downgrade base" "downgrade -1" "stamp head" "stamp --purge r1"; do
		# shellcheck disable=SC2086
		rt $cmd
		expect_status 1
		expect_stdout ""
		expect_error "$dirty"
	done
	expect_eq dump "$before" "$(db_dump)"
	# the same upgrade resumes at the failed statement (the index and
	# t_r2 are not made again), fails there again, and changes nothing
	# but the log row's run
	rt upgrade head
	expect_status 1
	expect_eq "error lines" "retort: $err (it ran outside a transaction: 2 of its 4 statements ran and stay; the database is now marked dirty at statement 3; fix the cause and run the same command again to go on from there, or fix it by hand and run 'retort repair')" "$(error_lines)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1 public.t_r2" "$(tables)"
	expect_eq log "r1:upgrade:ok r2:upgrade:failed" "$(log_rows)"
	started=$(q "SELECT started_at FROM retort_log WHERE revision = 'r2'")
	# reads work
	rt current
	expect_status 0
	expect_stdout "r1"
	rt history -i
	expect_status 0
	expect_stdout "r2 -> r3 (head), create r3
r1 -> r2, create r2
<base> -> r1 (current), create r1"
	rt heads
	expect_status 0
	expect_stdout "r3 (head)"
	# fixed by hand (undo what ran, correct the file), then repaired
	q "DROP INDEX t_r1_id; DROP TABLE t_r2"
	mkrev -o transaction:false r2 r1 "CREATE INDEX CONCURRENTLY t_r1_id ON t_r1 (id);
CREATE TABLE t_r2 (id int);"
	rt repair
	expect_status 0
	expect_stdout ""
	expect_eq repair "marked the failed upgrade of revision r2 (started $started) as repaired
the version table does not record that upgrade of r2: if you completed it by hand, stamp the revision it was moving to ('retort stamp REV'); otherwise the next run does it again" "$stderr"
	expect_eq log "r1:upgrade:ok r2:upgrade:repaired" "$(log_rows)"
	rt repair
	expect_status 0
	expect_eq repair "nothing to repair" "$stderr"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq progress "Running upgrade r1 -> r2, create r2 ... N ms
Running upgrade r2 -> r3, create r3 ... N ms" "$(progress)"
	expect_eq versions r3 "$(versions)"
	expect_eq tables "public.retort_log public.retort_version public.t_r1 public.t_r2 public.t_r3" "$(tables)"
	expect_eq log "r1:upgrade:ok r2:upgrade:repaired r2:upgrade:ok r3:upgrade:ok" "$(log_rows)"
}

# ---------------------------------------------------------------------------
# read-only commands

@test "current, current -v, history -i, heads and validate never create the version table" {
	chain r 2
	local cmd
	for cmd in current "current -v" "current --check-heads" "history -i" heads validate; do
		# shellcheck disable=SC2086
		rt $cmd
		[ "$cmd" = "current --check-heads" ] && expect_status 3 || expect_status 0
		expect_eq "tables after $cmd" "" "$(tables)"
	done
	rt current -v
	expect_status 0
	expect_stdout "Current revision(s) for $MASKED_URL:"
	rt upgrade r01
	expect_status 0
	rt current -v
	expect_status 0
	expect_eq "current -v, line 1" "Current revision(s) for $MASKED_URL:" "${lines[0]}"
	expect_eq "current -v, line 2" "Rev: r01" "${lines[1]}"
	# read-only: a reading session cannot write
	rt current --check-heads
	expect_status 3
	expect_error "Database is not on all head revisions"
}
