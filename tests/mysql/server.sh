#!/bin/sh
# SPDX-License-Identifier: MIT
# A throwaway MariaDB server for the tests, from Debian's mariadb-server
# package: mariadb-install-db in a temporary folder, mariadbd on a Unix
# socket in that folder and a free TCP port on 127.0.0.1 (as root with
# --user=root: the data folder is ours alone and removed on exit).
#
#   tests/mysql/server.sh start DIR    start; prints shell exports to eval
#   tests/mysql/server.sh stop DIR     stop and remove DIR
#   tests/mysql/server.sh restart DIR  stop the server (kill -9, as a crash)
#                                      and start it again on the same port
#   tests/mysql/server.sh run CMD...   start, run CMD with the exports,
#                                      always stop and clean up
#
# The exports: RETORT_TEST_MYSQL_DIR (the folder, for restart),
# RETORT_TEST_MYSQL_SOCKET, RETORT_TEST_MYSQL_PORT, and
# RETORT_TEST_MYSQL_URL, a password-authenticated TCP url for the user
# `retort` (all privileges, with GRANT) on database `retort_test`.
set -eu

mariadbd=$(command -v mariadbd || command -v mysqld || ls /usr/sbin/mariadbd 2>/dev/null || true)
[ -n "$mariadbd" ] && command -v mariadb-install-db >/dev/null || {
	echo "server.sh: MariaDB binaries not found (apt-get install mariadb-server)" >&2
	exit 1
}

free_port() {
	/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

user_flag() {
	[ "$(id -u)" -eq 0 ] && echo --user=root || true
}

launch() {
	dir=$1
	port=$(cat "$dir/port")
	# shellcheck disable=SC2046
	"$mariadbd" --no-defaults $(user_flag) --datadir="$dir/data" \
		--socket="$dir/sock" --port="$port" --bind-address=127.0.0.1 \
		--pid-file="$dir/pid" --log-error="$dir/server.log" \
		--skip-log-bin --innodb-flush-log-at-trx-commit=2 \
		--innodb-doublewrite=0 --innodb-buffer-pool-size=64M \
		--innodb-log-file-size=16M --skip-name-resolve \
		--max-connections=200 --character-set-server=utf8mb4 \
		--collation-server=utf8mb4_general_ci >/dev/null 2>&1 &
	i=0
	while ! mariadb-admin --no-defaults --socket="$dir/sock" -uroot \
		ping >/dev/null 2>&1; do
		i=$((i + 1))
		if [ "$i" -gt 300 ]; then
			cat "$dir/server.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

start() {
	dir=$1
	mkdir -p "$dir"
	free_port >"$dir/port"
	# shellcheck disable=SC2046
	mariadb-install-db --no-defaults $(user_flag) --datadir="$dir/data" \
		--auth-root-authentication-method=normal --skip-test-db \
		>"$dir/install.log" 2>&1 || {
		cat "$dir/install.log" >&2
		exit 1
	}
	launch "$dir"
	mariadb --no-defaults --socket="$dir/sock" -uroot <<SQL
CREATE USER 'retort'@'127.0.0.1' IDENTIFIED BY 'secret-pw';
CREATE USER 'retort'@'localhost' IDENTIFIED BY 'secret-pw';
GRANT ALL PRIVILEGES ON *.* TO 'retort'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'retort'@'localhost' WITH GRANT OPTION;
CREATE DATABASE retort_test;
SQL
	port=$(cat "$dir/port")
	cat <<ENV
export RETORT_TEST_MYSQL_DIR='$dir' RETORT_TEST_MYSQL_SOCKET='$dir/sock' RETORT_TEST_MYSQL_PORT='$port'
export RETORT_TEST_MYSQL_URL='mysql://retort:secret-pw@127.0.0.1:$port/retort_test'
ENV
}

kill_server() {
	dir=$1
	if [ -f "$dir/pid" ]; then
		kill -9 "$(cat "$dir/pid")" 2>/dev/null || true
		i=0
		while kill -0 "$(cat "$dir/pid")" 2>/dev/null && [ "$i" -lt 100 ]; do
			i=$((i + 1))
			sleep 0.05
		done
		rm -f "$dir/pid" "$dir/sock"
	fi
}

stop() {
	kill_server "$1"
	rm -rf "$1"
}

case "${1:-}" in
start)
	start "$2"
	;;
stop)
	stop "$2"
	;;
restart)
	kill_server "$2"
	launch "$2"
	;;
run)
	shift
	dir=$(mktemp -d /tmp/retort-mysql.XXXXXX)
	trap 'stop "$dir"' EXIT INT TERM
	eval "$(start "$dir")"
	"$@"
	;;
*)
	echo "usage: $0 start DIR | stop DIR | restart DIR | run CMD..." >&2
	exit 2
	;;
esac
