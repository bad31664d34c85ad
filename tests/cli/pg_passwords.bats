#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# pg_passwords.bats: the ways a password can reach PostgreSQL without being
# on retort's command line, and the one that is: password_file in
# retort.ini, PGPASSWORD and ~/.pgpass / PGPASSFILE (libpq's, which retort
# must leave alone when the url has no password, or an empty one), and a
# --url password scrubbed from /proc/PID/cmdline while retort waits for
# the migration lock. Each test has its own database (pg_helpers.bash);
# teardown fails a test whose output shows a password.

load pg_helpers

setup() {
	pg_setup
	NOPW_URL="postgresql://$PG_USER@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"
}

teardown() {
	pg_teardown
}

# rt_env NAME=VALUE... -- ARGS...: rt (output kept for teardown's check)
# with these variables set, the other PG* variables unset.
rt_env() {
	local e=()
	while [ "$1" != -- ]; do
		e+=("$1")
		shift
	done
	shift
	run --separate-stderr rt_exec_env "${e[@]}" -- "$@"
}

rt_exec_env() {
	local e=() f rc
	while [ "$1" != -- ]; do
		e+=("$1")
		shift
	done
	shift
	f=$(mktemp "$OUT_DIR/run.XXXXXX") || return 99
	env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD -u PGPASSFILE \
		-u PGDATABASE -u PGSERVICE -u PGOPTIONS -u PGAPPNAME \
		-u PGCONNECT_TIMEOUT -u PGSSLMODE "${e[@]}" "$RETORT" "$@" \
		>"$f.out" 2>"$f.err"
	rc=$?
	cat "$f.out"
	cat "$f.err" >&2
	return $rc
}

@test "password_file: a url without a password connects with the file's first line; a wrong one is one line, never printed" {
	chain r 2
	printf '%s\n' "$PG_PASSWORD" >"$PROJ/db.secret"
	chmod 600 "$PROJ/db.secret"
	{
		echo "[retort]"
		echo "script_location = %(here)s/migrations"
		echo "url = $NOPW_URL"
		echo "password_file = db.secret"
	} >"$PROJ/retort.ini"
	# HOME without a .pgpass: the password comes from the file alone
	rt_env HOME="$BATS_TEST_TMPDIR" -- upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r02 "$(versions)"
	rt_env HOME="$BATS_TEST_TMPDIR" -- current -v
	expect_status 0
	expect_eq "first line" "Current revision(s) for $MASKED_URL:" "${lines[0]}"
	# from another folder: relative to the config's folder, not the cwd
	cd "$BATS_TEST_TMPDIR"
	rt_env HOME="$BATS_TEST_TMPDIR" -- -c "$PROJ/retort.ini" current
	expect_status 0
	expect_stdout "r02 (head)"
	# a wrong password in the file
	EXTRA_SECRETS=(wrong-pw-7e2a)
	echo wrong-pw-7e2a >"$PROJ/db.secret"
	rt_env HOME="$BATS_TEST_TMPDIR" -- -c "$PROJ/retort.ini" current
	expect_status 1
	expect_stdout ""
	expect_eq stderr "retort: cannot connect to $MASKED_URL: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: FATAL:  password authentication failed for user \"$PG_USER\"" "$stderr"
}

@test "PGPASSWORD: used when the url has no password, or an empty one (retort passes none); a url password wins" {
	chain r 1
	pg_config
	local url
	for url in "$NOPW_URL" "postgresql://$PG_USER:@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB"; do
		rt_env HOME="$BATS_TEST_TMPDIR" PGPASSWORD="$PG_PASSWORD" -- --url "$url" current
		expect_status 0
		expect_no_error
	done
	# without it, the server asks for one
	rt_env HOME="$BATS_TEST_TMPDIR" -- --url "$NOPW_URL" current
	expect_status 1
	expect_eq stderr "retort: cannot connect to $NOPW_URL: connection to server at \"$PG_TCP_HOST\", port $PG_TCP_PORT failed: fe_sendauth: no password supplied" "$stderr"
	# the url's password beats PGPASSWORD, as in libpq
	EXTRA_SECRETS=(wrong-pw-51bd)
	rt_env HOME="$BATS_TEST_TMPDIR" PGPASSWORD=wrong-pw-51bd -- --url "$TEST_URL" upgrade head
	expect_status 0
	expect_eq versions r01 "$(versions)"
}

@test "~/.pgpass and PGPASSFILE: used when the url has no password" {
	chain r 1
	pg_config
	mkdir -p "$BATS_TEST_TMPDIR/home"
	echo "$PG_TCP_HOST:$PG_TCP_PORT:*:$PG_USER:$PG_PASSWORD" >"$BATS_TEST_TMPDIR/home/.pgpass"
	chmod 600 "$BATS_TEST_TMPDIR/home/.pgpass"
	rt_env HOME="$BATS_TEST_TMPDIR/home" -- --url "$NOPW_URL" upgrade head
	expect_status 0
	expect_no_error
	cp "$BATS_TEST_TMPDIR/home/.pgpass" "$BATS_TEST_TMPDIR/pgpass"
	rm "$BATS_TEST_TMPDIR/home/.pgpass"
	rt_env HOME="$BATS_TEST_TMPDIR/home" PGPASSFILE="$BATS_TEST_TMPDIR/pgpass" -- --url "$NOPW_URL" current
	expect_status 0
	expect_stdout "r01 (head)"
}

@test "the --url password is not in /proc/PID/cmdline while retort waits for the lock" {
	chain r 1
	local key out="$BATS_TEST_TMPDIR/holder.out" n pid cmdline
	key=$(lock_key retort_version)
	psql_admin -A -t -d "$TEST_DB" \
		-c "SELECT pg_backend_pid() FROM (SELECT pg_advisory_lock($key)) l" \
		-c "SELECT pg_sleep(3)" >"$out" 3>&- &
	BG_PIDS="$BG_PIDS $!"
	for ((n = 0; n < 200; n++)); do
		[ -s "$out" ] && break
		sleep 0.05
	done
	[ -s "$out" ]
	env -u PGHOST -u PGPORT -u PGUSER -u PGPASSWORD "$RETORT" \
		--url "$TEST_URL" upgrade head >"$OUT_DIR/bg.out" 2>"$OUT_DIR/bg.err" 3>&- &
	pid=$!
	BG_PIDS="$BG_PIDS $pid"
	for ((n = 0; n < 200; n++)); do
		grep -q '^retort: waiting for the migration lock' "$OUT_DIR/bg.err" && break
		sleep 0.05
	done
	cmdline=$(tr '\0' '\n' <"/proc/$pid/cmdline")
	wait "$pid"
	expect_eq "cmdline while waiting" "$RETORT
--url
postgresql://$PG_USER:${PG_PASSWORD//?/*}@$PG_TCP_HOST:$PG_TCP_PORT/$TEST_DB
upgrade
head" "$cmdline"
	grep -q '^retort: waiting for the migration lock' "$OUT_DIR/bg.err"
	expect_eq versions r01 "$(versions)"
}
