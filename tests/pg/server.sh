#!/bin/sh
# SPDX-License-Identifier: MIT
# A throwaway PostgreSQL server for the tests, from Debian's postgresql
# package: initdb in a temporary folder, pg_ctl on a Unix socket in that
# folder and a free TCP port on 127.0.0.1, run as the `postgres` user when
# we are root (PostgreSQL refuses to run as root).
#
#   tests/pg/server.sh start DIR   start; prints shell exports to eval
#   tests/pg/server.sh stop DIR    stop and remove DIR
#   tests/pg/server.sh run CMD...  start, run CMD with the exports, always
#                                  stop and clean up (even on failure)
#
# The exports: PGHOST (the socket folder), PGPORT, PGUSER=postgres, and
# RETORT_TEST_PG_URL, a password-authenticated TCP url for the role
# `retort` (superuser) on database `retort_test`.
set -eu

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bindir" ] && [ -x "$bindir/initdb" ] || {
	echo "server.sh: PostgreSQL binaries not found (apt-get install postgresql)" >&2
	exit 1
}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
	dir=$1
	mkdir -p "$dir"
	chmod 755 "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
	port=$(free_port)
	as_pg "$bindir/initdb" -D "$dir/data" -U postgres -A trust \
		--no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
max_locks_per_transaction = 512
CONF
	cat >"$dir/data/pg_hba.conf" <<HBA
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
HBA
	as_pg "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	echo "$port" >"$dir/port"
	as_pg "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres \
		-v ON_ERROR_STOP=1 -q >/dev/null <<SQL
CREATE ROLE retort LOGIN SUPERUSER PASSWORD 'secret-pw';
CREATE DATABASE retort_test OWNER retort;
SQL
	cat <<ENV
export PGHOST='$dir' PGPORT='$port' PGUSER=postgres
export RETORT_TEST_PG_URL='postgresql://retort:secret-pw@127.0.0.1:$port/retort_test'
ENV
}

stop() {
	dir=$1
	if [ -d "$dir/data" ]; then
		as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop \
			>/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
}

case "${1:-}" in
start)
	start "$2"
	;;
stop)
	stop "$2"
	;;
run)
	shift
	dir=$(mktemp -d /tmp/retort-pg.XXXXXX)
	trap 'stop "$dir"' EXIT INT TERM
	eval "$(start "$dir")"
	"$@"
	;;
*)
	echo "usage: $0 start DIR | stop DIR | run CMD..." >&2
	exit 2
	;;
esac
