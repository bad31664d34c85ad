#!/bin/sh
# SPDX-License-Identifier: MIT
# Build retort and run the whole test suite, once per build flavour:
#   werror  gcc with -Werror
#   asan    AddressSanitizer + UndefinedBehaviorSanitizer
# The tests run against SQLite files and against a PostgreSQL server that
# tests/pg/server.sh starts in a temporary folder and removes afterwards,
# and against a MariaDB server that tests/mysql/server.sh starts the same
# way (nested: one of each for the whole ctest run).
# Usage: scripts/run-tests.sh [werror|asan]...   (default: both)
set -eu

cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
flavours=${*:-werror asan}
status=0

for f in $flavours; do
	case "$f" in
	werror) opts="-DRETORT_WERROR=ON" ;;
	asan) opts="-DRETORT_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" ;;
	*) echo "run-tests: unknown flavour '$f'" >&2; exit 2 ;;
	esac
	dir=build/test-$f
	echo "== $f: configure and build ($dir)"
	# shellcheck disable=SC2086
	cmake -S . -B "$dir" $opts >/dev/null
	cmake --build "$dir" -j "$jobs"
	echo "== $f: run tests (with throwaway PostgreSQL and MariaDB servers)"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	if ! tests/pg/server.sh run tests/mysql/server.sh run \
		ctest --test-dir "$dir" --output-on-failure -j "$jobs"; then
		status=1
	fi
done
exit $status
