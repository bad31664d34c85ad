#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_wait.bats: --wait-for-db SECONDS: retrying while the server is
# not up yet (a line per attempt, the last error after the time), a
# server that comes up late, and a refused login failing at once (waiting
# never makes a wrong password right). Bad values on every database.

load online_helpers

setup() {
	online_setup
}

teardown() {
	[ -z "${FWD_PID:-}" ] || kill "$FWD_PID" 2>/dev/null || true
	online_teardown
}

# TEST_URL with its host and port replaced (PostgreSQL and MySQL urls).
url_at() {
	printf '%s\n' "$TEST_URL" | sed -E "s#@[^/]*/#@$1/#"
}

# What the client library says to a port nobody listens on, and to a
# wrong password.
msg_refused() {
	case "$DB_DIALECT" in
	mysql) echo "Can't connect to server on '127.0.0.1' (" ;;
	*) echo "Connection refused" ;;
	esac
}
msg_bad_password() {
	case "$DB_DIALECT" in
	mysql) echo "Access denied for user 'retort'@" ;;
	*) echo "password authentication failed" ;;
	esac
}

# A TCP port nobody listens on.
free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

@test "--wait-for-db: bad values are usage errors, nothing connects" {
	table_chain r 1
	for v in x -1 "" 1e9 nan; do
		rt --wait-for-db "$v" upgrade head
		expect_status 2
		expect_error "--wait-for-db takes a number of seconds from 0 to 86400, not '$v'"
	done
	db_is_fresh
}

@test "--wait-for-db: SQLite has nothing to wait for" {
	require_sqlite
	table_chain r 1
	start=$(date +%s)
	rt --wait-for-db 5 --url "sqlite:///$BATS_TEST_TMPDIR/no/such/dir/x.db" upgrade head
	expect_status 1
	[ $(($(date +%s) - start)) -lt 3 ] || { echo "it waited"; false; }
	expect_not_contains stderr "$stderr" "waiting for the database"
}

@test "--wait-for-db: a port nobody listens on: a line per attempt, then the last error" {
	require_server
	table_chain r 1
	url="$(url_at "127.0.0.1:$(free_port)")"
	start=$(date +%s)
	rt --wait-for-db 2 --url "$url" upgrade head
	expect_status 1
	elapsed=$(($(date +%s) - start))
	[ "$elapsed" -ge 2 ] && [ "$elapsed" -le 6 ] || { echo "took $elapsed s"; false; }
	attempts="$(printf '%s\n' "$stderr" | grep -c '^retort: waiting for the database (attempt [0-9]*, [0-9]* of 2 s): cannot connect to ' || true)"
	[ "$attempts" -ge 2 ] || { show_run; false; }
	expect_contains stderr "$stderr" "retort: gave up waiting for the database after 2 s ("
	expect_contains stderr "$stderr" "$(msg_refused)"
	expect_not_contains stderr "$stderr" "$(printf '%s\n' "$TEST_URL" | sed -E 's#^[a-z]+://[^:]*:([^@]*)@.*#\1#')@"
	db_is_fresh
}

@test "--wait-for-db: a server that comes up late is waited for" {
	require_server
	table_chain r 2
	port="$(free_port)"
	target="$(printf '%s\n' "$TEST_URL" | sed -E 's#^.*@([^/]*)/.*#\1#')"
	# a TCP forwarder to the real server, listening only after 2 s
	"$PY" - "$port" "$target" <<'PYEOF' &
import socket, sys, threading, time
port, target = int(sys.argv[1]), sys.argv[2]
host, _, tport = target.rpartition(":")
time.sleep(2)
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(8)
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    finally:
        try:
            b.shutdown(socket.SHUT_WR)
        except OSError:
            pass
while True:
    c, _ = srv.accept()
    u = socket.create_connection((host or "127.0.0.1", int(tport or 5432)))
    threading.Thread(target=pipe, args=(c, u), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()
PYEOF
	FWD_PID=$!
	rt --wait-for-db 20 --url "$(url_at "127.0.0.1:$port")" upgrade head
	expect_status 0
	attempts="$(printf '%s\n' "$stderr" | grep -c '^retort: waiting for the database (attempt ' || true)"
	[ "$attempts" -ge 1 ] || { show_run; false; }
	expect_contains stderr "$stderr" "Running upgrade r001 -> r002, create r002 ... "
	expect_eq versions r002 "$(db_versions)"
}

@test "--wait-for-db: a wrong password fails at once" {
	require_server
	table_chain r 1
	url="$(printf '%s\n' "$TEST_URL" | sed -E 's#^([a-z]+://[^:]*):[^@]*@#\1:wrong-password@#')"
	start=$(date +%s)
	rt --wait-for-db 30 --url "$url" upgrade head
	expect_status 1
	[ $(($(date +%s) - start)) -lt 5 ] || { echo "it waited"; false; }
	expect_not_contains stderr "$stderr" "waiting for the database"
	expect_contains stderr "$stderr" "$(msg_bad_password)"
	expect_contains stderr "$stderr" "(not retried: waiting does not change a refused login)"
	expect_not_contains stderr "$stderr" "wrong-password"
	db_is_fresh
}
