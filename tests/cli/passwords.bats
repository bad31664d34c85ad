#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# passwords.bats: keeping a database password out of sight without a
# database server: a --url password is scrubbed from the process's
# arguments (ps, /proc/PID/cmdline) while retort runs, and password_file
# in retort.ini (its errors name the key and the path, never the
# password). Connecting with password_file, PGPASSWORD and ~/.pgpass is
# in pg_passwords.bats.

load helpers

# silent_server: a TCP listener on 127.0.0.1 that accepts connections and
# never answers (so libpq waits); SILENT_PORT is its port, and it appends
# a line to $TEST_DIR/accepted for each connection.
silent_server() {
	local n
	rm -f "$TEST_DIR/silent.port"
	: >"$TEST_DIR/accepted"
	"$PY" -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write("%d\n" % s.getsockname()[1])
held = []
while True:
    held.append(s.accept()[0])
    with open(sys.argv[2], "a") as f:
        f.write("x\n")
' "$TEST_DIR/silent.port" "$TEST_DIR/accepted" 3>&- &
	SILENT_PID=$!
	for ((n = 0; n < 100; n++)); do
		SILENT_PORT=$(cat "$TEST_DIR/silent.port" 2>/dev/null || true)
		[ -n "$SILENT_PORT" ] && return 0
		sleep 0.05
	done
	echo "silent_server did not start" >&2
	return 1
}

# needs_pg_driver: skip unless this retort was built with PostgreSQL.
needs_pg_driver() {
	if "$RETORT" --url postgresql://u@127.0.0.1:1/db current 2>&1 |
		grep -q 'has no driver'; then
		skip "built without the PostgreSQL driver"
	fi
}

teardown() {
	if [ -n "${SILENT_PID:-}" ]; then
		kill "$SILENT_PID" 2>/dev/null || true
		wait "$SILENT_PID" 2>/dev/null || true
	fi
	cd / || true
	if [ -n "${TEST_DIR:-}" ] && [ -d "$TEST_DIR" ]; then
		chmod -R u+rwX "$TEST_DIR" 2>/dev/null || true
		rm -rf "$TEST_DIR"
	fi
}

# cmdline_while_connecting ARGS...: start retort ARGS in the background,
# wait until it has connected to the silent server (it has parsed its
# arguments by then), print its /proc/PID/cmdline one argument a line,
# then stop it.
cmdline_while_connecting() {
	local pid before n got
	before=$(wc -l <"$TEST_DIR/accepted")
	"$RETORT" "$@" >"$TEST_DIR/bg.out" 2>"$TEST_DIR/bg.err" &
	pid=$!
	for ((n = 0; n < 200; n++)); do
		got=$(wc -l <"$TEST_DIR/accepted")
		[ "$got" -gt "$before" ] && break
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "retort ended before connecting:" >&2
			cat "$TEST_DIR/bg.err" >&2
			return 1
		fi
		sleep 0.05
	done
	tr '\0' '\n' <"/proc/$pid/cmdline"
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

@test "a --url password is gone from /proc/PID/cmdline while retort runs; the rest stays readable" {
	needs_pg_driver
	silent_server
	local hp="127.0.0.1:$SILENT_PORT" q="connect_timeout=20&sslmode=disable"
	local out pw="pw-Secret%40x"
	out=$(cmdline_while_connecting --url "postgresql://bob:$pw@$hp/app?$q" current)
	printf '%s\n' "$out"
	# (each byte of the password becomes a '*', as the mysql client does)
	[ "$out" = "$RETORT
--url
postgresql://bob:${pw//?/*}@$hp/app?$q
current" ]
	# --url=URL, after the command, and a password= query parameter
	out=$(cmdline_while_connecting -q upgrade head "--url=postgres://bob:pw-Secret@$hp/app?password=pw-Other&$q")
	printf '%s\n' "$out"
	[ "$out" = "$RETORT
-q
upgrade
head
--url=postgres://bob:*********@$hp/app?password=********&$q" ]
	# no password, and an '@' in the query: nothing to hide, nothing
	# changed
	out=$(cmdline_while_connecting current --url "postgresql://127.0.0.1:$SILENT_PORT?application_name=a@b&$q")
	printf '%s\n' "$out"
	[ "$out" = "$RETORT
current
--url
postgresql://127.0.0.1:$SILENT_PORT?application_name=a@b&$q" ]
	# a raw '/' in the password (an error for the url parser, which
	# happens later): still hidden
	out=$(cmdline_while_connecting current --url "postgresql://bob:pw/Secret@$hp/app?$q" || true)
	[[ "$out" != *Secret* ]]
}

@test "a key/value --url and a url with several hosts: the password is gone from /proc/PID/cmdline" {
	needs_pg_driver
	silent_server
	local kv="host=127.0.0.1 port=$SILENT_PORT dbname=app user=bob" q="connect_timeout=20 sslmode=disable"
	local out
	out=$(cmdline_while_connecting --url "$kv password=pw-Secret $q" current)
	printf '%s\n' "$out"
	[ "$out" = "$RETORT
--url
$kv password=********* $q
current" ]
	# quoted, with a backslash escape; the quotes stay
	out=$(cmdline_while_connecting current "--url=$kv password = 'pw \\'Secret' $q")
	printf '%s\n' "$out"
	[ "$out" = "$RETORT
current
--url=$kv password = '***********' $q" ]
	# several hosts (the first refuses at once), no '@' before the '/'
	out=$(cmdline_while_connecting current --url "postgresql://bob:pw-Secret@127.0.0.1:1,127.0.0.1:$SILENT_PORT/app?connect_timeout=20&sslmode=disable")
	printf '%s\n' "$out"
	[ "$out" = "$RETORT
current
--url
postgresql://bob:*********@127.0.0.1:1,127.0.0.1:$SILENT_PORT/app?connect_timeout=20&sslmode=disable" ]
}

@test "password_file: a missing, empty, folder or named-pipe file is one config error naming the key and the path" {
	write_config "url = postgresql://bob@127.0.0.1:1/app" "password_file = secret.txt"
	sed -i '/^url = sqlite/d' retort.ini
	local msg="retort: retort.ini:4: cannot read password_file '$TEST_DIR/secret.txt'"
	run --separate-stderr "$RETORT" current
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "$msg: No such file or directory" ]
	: >secret.txt
	run --separate-stderr "$RETORT" upgrade head
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "retort: retort.ini:4: password_file '$TEST_DIR/secret.txt' is empty (its first line is the password)" ]
	rm secret.txt
	mkdir secret.txt
	run --separate-stderr "$RETORT" current
	[ "$status" -eq 2 ]
	[ "$stderr" = "$msg: Is a directory" ]
	rmdir secret.txt
	mkfifo secret.txt
	run --separate-stderr timeout 10 "$RETORT" current
	show
	[ "$status" -eq 2 ]
	[ "$stderr" = "$msg: not a regular file (a named pipe)" ]
	rm secret.txt
	if [ "$(id -u)" != 0 ]; then
		echo pw >secret.txt
		chmod 000 secret.txt
		run --separate-stderr "$RETORT" current
		[ "$status" -eq 2 ]
		[ "$stderr" = "$msg: Permission denied" ]
	fi
}

@test "password_file: its first line is the url's password (shown as ***), relative to the config's folder; a password in the url wins; sqlite ignores it" {
	needs_pg_driver
	mkdir conf
	printf 'pw-FromFile-1\r\nsecond line\n' >conf/secret
	{
		echo "[retort]"
		echo "script_location = $TEST_DIR/migrations"
		echo "url = postgresql://bob@127.0.0.1:1/app"
		echo "password_file = secret"
	} >conf/retort.ini
	# nothing listens on port 1: the message shows the url, with a
	# password now
	run --separate-stderr "$RETORT" -c conf/retort.ini current
	show
	[ "$status" -eq 1 ]
	[[ "$stderr" == "retort: cannot connect to postgresql://bob:***@127.0.0.1:1/app: "* ]]
	[[ "$stderr" != *FromFile* ]]
	run --separate-stderr "$RETORT" -c conf/retort.ini --json current -v
	[[ "$output$stderr" != *FromFile* ]]
	# the url's own password wins; the file is not even read
	rm conf/secret
	run --separate-stderr "$RETORT" -c conf/retort.ini --url "postgresql://bob:pw-Url@127.0.0.1:1/app" current
	show
	[ "$status" -eq 1 ]
	[[ "$stderr" == "retort: cannot connect to postgresql://bob:***@127.0.0.1:1/app: "* ]]
	# sqlite has no password: the (missing) file is not read
	run --separate-stderr "$RETORT" -c conf/retort.ini --url sqlite:///app.db current
	show
	[ "$status" -eq 0 ]
}

@test "schema_command: a password in a URL it is given is shown as *** in its errors" {
	rev a ""
	run "$RETORT" -q upgrade head
	[ "$status" -eq 0 ]
	local before
	before="$(sha256sum app.db)"
	write_config "schema_command = echo broken >&2; exit 3 # --url postgresql://bob:s3cret@db.example/app"
	run --separate-stderr "$RETORT" check
	show
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "retort: retort.ini:4: schema_command 'echo broken >&2; exit 3 # --url postgresql://bob:***@db.example/app' failed with exit status 3: broken" ]
	write_config "schema_command = echo 'not DDL' # --url postgresql://bob:s3cret@db.example/app"
	run --separate-stderr "$RETORT" check
	show
	[ "$status" -eq 2 ]
	[[ "$stderr" == "retort: retort.ini:4: schema_command 'echo 'not DDL' # --url postgresql://bob:***@db.example/app' printed something that does not load as sqlite DDL: "* ]]
	[[ "$stderr" != *s3cret* ]]
	[ "$(sha256sum app.db)" = "$before" ]
}
