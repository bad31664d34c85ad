#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# pg_copy.bats: COPY to or from the client on PostgreSQL, and the rule
# that every failure is one non-empty line.
#
# `COPY ... FROM stdin` (as pg_dump writes it, rows following) or
# `COPY ... TO stdout` puts libpq in a COPY state that retort cannot
# serve. The driver must end the copy at once and fail with a line naming
# the statement, wherever it meets one: a revision's transactional section
# (pipelined), a transaction:false section (statement by statement), and
# the declared schema loaded by `check` (which no check of revision files
# sees). Each run goes through `timeout`, so that a retort that spins or
# hangs fails the test instead of blocking it.

load pg_helpers

setup() {
	pg_setup
	# retort under `timeout -s KILL 20`
	local real="$RETORT"
	RETORT="$BATS_TEST_TMPDIR/retort-timeout"
	printf '#!/bin/sh\nexec timeout -s KILL 20 %s "$@"\n' "$real" >"$RETORT"
	chmod +x "$RETORT"
}

teardown() {
	pg_teardown
}

# timed ARGS...: rt ARGS, with the wall time in ms in $took_ms.
timed() {
	local t0
	t0=$(date +%s%N)
	rt "$@"
	took_ms=$((($(date +%s%N) - t0) / 1000000))
}

# expect_fast MAX_MS: the last timed run took at most MAX_MS.
expect_fast() {
	[ "$took_ms" -le "$1" ] || {
		echo "took $took_ms ms (at most $1 expected)"
		show_run
		return 1
	}
}

# expect_released: no retort session is left on the server, and nobody
# holds an advisory lock in the test database.
expect_released() {
	local n
	for ((n = 0; n < 100; n++)); do
		[ "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retort' AND datname = current_database()")" = 0 ] && break
		sleep 0.05
	done
	expect_eq "retort sessions" 0 "$(q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'retort' AND datname = current_database()")"
	expect_eq "advisory locks" 0 "$(q "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")"
}

# scratch_dbs: the retort_scratch_* databases on the server.
scratch_dbs() {
	q "SELECT datname FROM pg_database WHERE datname LIKE 'retort\_scratch\_%' ORDER BY 1"
}

# expect_copy_refused FILE LINE: exit 1 or 2 (a check of the revision
# files may refuse it before it runs), one error line naming FILE:LINE
# and COPY.
expect_copy_refused() {
	if [ "$status" != 1 ] && [ "$status" != 2 ]; then
		echo "expected exit status 1 or 2, got $status"
		show_run
		return 1
	fi
	expect_eq "error lines" 1 "$(error_lines | grep -c .)"
	expect_match "error line" "^retort: $(re_quote "$1"):$2: .*COPY .*(stdin|stdout|STDIN|STDOUT)" "$(error_lines)"
}

DUMP_COPY='COPY public.t_r1 (id) FROM stdin;
1
2
\.'

@test "COPY ... FROM stdin with rows, as pg_dump writes it, in a revision: fails at once naming the line, rolled back, lock released" {
	mkrev r1 ""
	mkrev r2 r1 "INSERT INTO t_r1 VALUES (0);
$DUMP_COPY
INSERT INTO t_r1 VALUES (3);"
	# (retort refuses the COPY before anything of the run starts, so r1
	# is applied on its own first)
	rt upgrade r1
	expect_status 0
	timed upgrade head
	expect_copy_refused "$(revfile r2)" 11
	expect_fast 5000
	expect_eq versions r1 "$(versions)"
	expect_eq rows "" "$(q "SELECT id FROM t_r1")"
	expect_released
	# fixed, it applies
	mkrev r2 r1 "INSERT INTO t_r1 VALUES (0);"
	rt upgrade head
	expect_status 0
	expect_no_error
	expect_eq versions r2 "$(versions)"
}

@test "COPY ... FROM stdin in a transaction:false section: fails at once naming the line, not an empty message" {
	mkrev r1 ""
	mkrev -o transaction:false r2 r1 "INSERT INTO t_r1 VALUES (0);
$DUMP_COPY"
	rt upgrade r1
	expect_status 0
	timed upgrade head
	expect_copy_refused "$(revfile r2)" 11
	expect_fast 5000
	expect_eq versions r1 "$(versions)"
	expect_released
}

@test "COPY ... TO stdout in a revision and in a transaction:false section: fails at once naming the line" {
	mkrev r1 ""
	mkrev r2 r1 "INSERT INTO t_r1 VALUES (1);
COPY (SELECT generate_series(1, 100000)) TO STDOUT;
INSERT INTO t_r1 VALUES (2);"
	rt upgrade r1
	expect_status 0
	timed upgrade head
	expect_copy_refused "$(revfile r2)" 11
	expect_fast 5000
	expect_eq versions r1 "$(versions)"
	expect_eq rows "" "$(q "SELECT id FROM t_r1")"
	expect_released
	mkrev -o transaction:false r2 r1 "INSERT INTO t_r1 VALUES (1);
COPY t_r1 TO STDOUT;"
	timed upgrade head
	expect_copy_refused "$(revfile r2)" 11
	expect_fast 5000
	expect_eq versions r1 "$(versions)"
	expect_released
}

@test "COPY ... FROM stdin in the declared schema: check fails at once naming the line, and drops its scratch database" {
	mkrev r1 "" -
	rt upgrade head
	expect_status 0
	cat >"$PROJ/schema.sql" <<'SQL'
CREATE TABLE t (id int);

COPY public.t (id) FROM stdin;
1
\.

CREATE TABLE u (id int);
SQL
	pg_config "schema = %(here)s/schema.sql"
	local before
	before=$(scratch_dbs)
	timed check
	expect_status 2
	expect_fast 5000
	expect_error "$PROJ/schema.sql:3: COPY ... FROM stdin is not supported: retort sends SQL only, so there is no data to copy (rows after the COPY are not read); load the data with INSERT statements or COPY FROM a server file"
	expect_eq "scratch databases" "$before" "$(scratch_dbs)"
	expect_released
}

@test "every failure is one non-empty line: refused connection, bad SQL, COPY, transaction:false COPY" {
	mkrev r1 ""
	mkrev r2 r1 "SELEC 1;"
	mkrev r3 r2 "COPY t_r1 FROM stdin;"
	mkrev -o transaction:false r4 r3 "COPY t_r1 FROM stdin;"
	local cmd line
	for cmd in "--url postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:1/$TEST_DB upgrade head" \
		"upgrade r2" "upgrade r3" "upgrade r4"; do
		if [ "$cmd" = "upgrade r3" ]; then mkrev r2 r1 -; fi
		if [ "$cmd" = "upgrade r4" ]; then mkrev r3 r2 -; fi
		# shellcheck disable=SC2086
		rt $cmd
		[ "$status" != 0 ] || {
			echo "$cmd succeeded"
			show_run
			return 1
		}
		expect_eq "stderr lines of $cmd" 1 "$(printf '%s\n' "$stderr" | grep -vc '^Running ')"
		line=$(printf '%s\n' "$stderr" | grep -v '^Running ')
		expect_match "error line of $cmd" '^retort: .*[^ :]$' "$line"
		# nothing empty after a "file:line:" or "...:" prefix
		if [[ "$line" =~ :\ *$ ]] || [[ "$line" =~ :\ \( ]]; then
			echo "empty message in: $line"
			return 1
		fi
	done
}
