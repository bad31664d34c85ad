#!/bin/sh
# SPDX-License-Identifier: MIT
# The demo behind `make demo`: the library example on a real SQLite file.
# Usage: examples/demo.sh PATH/TO/retort [DATABASE_DIR]
# The database goes to DATABASE_DIR (default: build/demo), never into the
# tracked example folder.
set -eu

retort=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
dbdir=${2:-$here/../build/demo}
mkdir -p "$dbdir"
dbdir=$(cd "$dbdir" && pwd)
db=$dbdir/library.db
rm -f "$db" "$db-journal"
export DATABASE_URL="sqlite:///$db"
cd "$here/library"

step() {
	printf '\n\033[1m$ retort %s\033[0m\n' "$*"
	"$retort" "$@"
}

step heads
step history
step upgrade head
step current -v
step history -i
step downgrade -1
step current
step upgrade head
step current
step validate
printf '\n\033[1m$ sqlite3 %s "SELECT title, published_year FROM book"\033[0m\n' "$db"
if command -v sqlite3 >/dev/null 2>&1; then
	sqlite3 "$db" "SELECT title, published_year FROM book ORDER BY id"
fi
printf '\nThe database is %s.\n' "$db"
