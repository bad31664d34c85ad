#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the Debian packages that building and testing retort need, when they
# are missing. Safe to run repeatedly: it only calls apt-get when a package is
# absent. Usage: scripts/install-deps.sh [build|test|bench|deb]
set -eu

mode=${1:-build}

build_pkgs="cmake make gcc pkg-config libsqlite3-dev libpq-dev libmariadb-dev libinih-dev sqlite3 scdoc"
# man-db and groff-base render the man pages, zsh and fish parse their
# completions (tests/cli/man.bats, completion.bats); python3-alembic,
# python3-sqlalchemy and python3-psycopg2 run Alembic against SQLite and
# PostgreSQL for `retort import` and retort_sqlalchemy (online_alembic.bats,
# online_sqlalchemy.bats), python3-pymysql against MariaDB
# (test_mysql_alembic.py); git is what `lint --base` runs (tests/cli/lint.bats);
# mariadb-server is tests/mysql/server.sh's test server
test_pkgs="$build_pkgs libcriterion-dev bats sqlite3 python3 python3-alembic python3-sqlalchemy python3-psycopg2 python3-pymysql clang postgresql mariadb-server mariadb-client man-db groff-base zsh fish git"
# make bench: taskset (util-linux) holds lint to one core
bench_pkgs="$test_pkgs util-linux"
# make deb: the Debian packaging tools, and what debian/control's
# Build-Depends names; make deb-test runs the install test with bats
deb_pkgs="$build_pkgs dpkg-dev debhelper lintian bats man-db"

case "$mode" in
build) want=$build_pkgs ;;
test) want=$test_pkgs ;;
bench) want=$bench_pkgs ;;
deb) want=$deb_pkgs ;;
*) echo "usage: $0 [build|test|bench|deb]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO=sudo
	else
		echo "install-deps: missing packages:$missing (run as root to install them)" >&2
		exit 1
	fi
else
	SUDO=
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null || $SUDO apt-get update
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
