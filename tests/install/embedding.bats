#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Installing retort, then using it as an embedding application would:
# `cmake --install` into a temporary prefix, then docs/embedding.md's
# complete example (migrate.c) built against the installed files only,
# and its in-memory one (memdb.c, retort_use_sqlite()),
# with pkg-config (shared and static) and with a CMake project using
# find_package(retort) (retort::retort and retort::retort_static); each
# program runs. The installed libraries export only retort_*
# (scripts/check-symbols.sh).
#
# Environment (tests/CMakeLists.txt): RETORT_BUILD_DIR, the build to
# install; RETORT_SOURCE_DIR; RETORT_TEST_CFLAGS, the sanitizer flags of
# that build (an ASan library needs an ASan program). With RETORT_PREFIX
# set (scripts/deb-test.sh: /usr, where the .debs installed retort),
# nothing is installed: the tests use what is there.

setup_file() {
	if [ -z "${RETORT_PREFIX:-}" ]; then
		cmake --install "$RETORT_BUILD_DIR" --prefix "$BATS_FILE_TMPDIR/prefix" \
			>"$BATS_FILE_TMPDIR/install.log"
	fi
	# the example, as the page shows it
	awk '/^```c$/ { inb = 1; buf = ""; next }
	     inb && /^```$/ { inb = 0; if (buf ~ /migrate\.c: an application/) printf "%s", buf; next }
	     inb { buf = buf $0 "\n" }' \
		"$RETORT_SOURCE_DIR/docs/embedding.md" >"$BATS_FILE_TMPDIR/migrate.c"
	# the application's own connection (retort_use_sqlite)
	awk '/^```c$/ { inb = 1; buf = ""; next }
	     inb && /^```$/ { inb = 0; if (buf ~ /memdb\.c: migrations applied/) printf "%s", buf; next }
	     inb { buf = buf $0 "\n" }' \
		"$RETORT_SOURCE_DIR/docs/embedding.md" >"$BATS_FILE_TMPDIR/memdb.c"
}

setup() {
	if [ -n "${RETORT_PREFIX:-}" ]; then
		P=$RETORT_PREFIX
		LIBDIR=$(pkg-config --variable=libdir retort)
	else
		P="$BATS_FILE_TMPDIR/prefix"
		LIBDIR=$(dirname "$(find "$P" -name libretort.a)")
		export PKG_CONFIG_PATH="$LIBDIR/pkgconfig"
	fi
	CFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic ${RETORT_TEST_CFLAGS:-}"
	W="$BATS_TEST_TMPDIR"
	cd "$W"
}

# Run ./$1 twice on a new database: the first run applies both revisions,
# the second has nothing to do.
run_migrate() {
	run "./$1" "$W/app.db"
	[ "$status" -eq 0 ] || { echo "$output"; false; }
	[[ "$output" == *"2 step(s) to run"* ]]
	[[ "$output" == *"applied 0002 (2/2)"* ]]
	[[ "$output" == *"database is at 0002 (head)"* ]]
	[[ "$output" == *"expected failure: code -4: Can't locate revision identified by 'nosuch'"* ]]
	run "./$1" "$W/app.db"
	[ "$status" -eq 0 ]
	[[ "$output" == *"0 step(s) to run"* ]]
}

@test "the prefix holds the tool, the libraries, the headers, retort.pc, the CMake package and the docs" {
	if [ -z "${RETORT_PREFIX:-}" ]; then
		# (Debian's packages compress the docs, and keep the licence
		# in copyright: scripts/deb-test.sh checks them)
		for f in share/doc/retort/README.md share/doc/retort/LICENSE \
			share/doc/retort/CHANGELOG.md share/doc/retort/embedding.md; do
			[ -f "$P/$f" ] || { echo "missing $f"; false; }
		done
	fi
	for f in bin/retort include/retort.h include/retort_version.h \
		share/bash-completion/completions/retort \
		share/zsh/vendor-completions/_retort \
		share/fish/vendor_completions.d/retort.fish; do
		[ -f "$P/$f" ] || { echo "missing $f"; false; }
	done
	for f in libretort.a libretort.so.0.1.0 pkgconfig/retort.pc \
		cmake/retort/retort-config.cmake \
		cmake/retort/retort-config-version.cmake \
		cmake/retort/retort-targets.cmake; do
		[ -f "$LIBDIR/$f" ] || { echo "missing $f"; false; }
	done
	[ "$(readlink "$LIBDIR/libretort.so.0")" = libretort.so.0.1.0 ]
	[ "$(readlink "$LIBDIR/libretort.so")" = libretort.so.0 ]
	readelf -d "$LIBDIR/libretort.so.0.1.0" | grep -q 'Library soname: \[libretort.so.0\]'
	run "$P/bin/retort" --version
	[ "$status" -eq 0 ]
	[ "$output" = "retort 0.1.0" ]
	# man pages, when the build made them (scdoc found)
	if [ -z "${RETORT_PREFIX:-}" ] && [ -f "$RETORT_BUILD_DIR/man/retort.1" ]; then
		for f in man1/retort.1 man1/retort-upgrade.1 man1/retort-help.1 \
			man5/retort.ini.5; do
			[ -f "$P/share/man/$f" ] || { echo "missing man/$f"; false; }
		done
	fi
	# the completions are the program's own description of itself
	"$P/bin/retort" __complete bash | cmp - "$P/share/bash-completion/completions/retort"
	"$P/bin/retort" __complete fish | cmp - "$P/share/fish/vendor_completions.d/retort.fish"
}

@test "retort.pc: the prefix installed to, the version, Requires.private" {
	run pkg-config --modversion retort
	[ "$output" = 0.1.0 ]
	run pkg-config --variable=prefix retort
	[ "$output" = "$P" ]
	run pkg-config --print-requires-private retort
	[[ "$output" == *sqlite3* && "$output" == *inih* ]]
	run pkg-config --cflags retort
	[ "$status" -eq 0 ]
	# (pkg-config leaves out /usr/include, a system folder)
	[ "$P" = /usr ] || [[ "$output" == *"-I$P/include"* ]]
}

@test "version macros and retort_version() agree with the installed version" {
	cat >v.c <<'C'
#include <stdio.h>
#include <string.h>
#include <retort.h>
#if RETORT_VERSION_NUMBER != RETORT_VERSION_MAJOR * 1000000 + RETORT_VERSION_MINOR * 1000 + RETORT_VERSION_PATCH
#error RETORT_VERSION_NUMBER
#endif
int main(void)
{
	printf("%s %d %s\n", RETORT_VERSION_STRING, RETORT_VERSION_NUMBER, retort_version());
	return strcmp(RETORT_VERSION_STRING, retort_version()) != 0;
}
C
	cc $CFLAGS v.c $(pkg-config --cflags --libs retort) -Wl,-rpath,"$LIBDIR" -o v
	run ./v
	[ "$status" -eq 0 ]
	[ "$output" = "0.1.0 1000 0.1.0" ]
}

@test "docs/embedding.md's example, pkg-config, shared library" {
	[ -s "$BATS_FILE_TMPDIR/migrate.c" ]
	cp "$BATS_FILE_TMPDIR/migrate.c" .
	cc $CFLAGS migrate.c $(pkg-config --cflags --libs retort) \
		-Wl,-rpath,"$LIBDIR" -o migrate
	readelf -d migrate | grep -q 'NEEDED.*libretort.so.0'
	ldd ./migrate | grep -q "$LIBDIR/libretort.so.0"
	run_migrate migrate
}

@test "docs/embedding.md's example, pkg-config, static library" {
	cp "$BATS_FILE_TMPDIR/migrate.c" .
	cc $CFLAGS migrate.c $(pkg-config --cflags retort) \
		-L"$(pkg-config --variable=libdir retort)" -l:libretort.a \
		$(pkg-config --libs $(pkg-config --print-requires-private retort)) \
		-o migrate
	! readelf -d migrate | grep -q libretort
	run_migrate migrate
}

@test "docs/embedding.md's example, CMake find_package(retort), shared and static" {
	mkdir src
	cp "$BATS_FILE_TMPDIR/migrate.c" src/
	cat >src/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(migrate C)
find_package(retort 0.1 REQUIRED)
add_executable(migrate_shared migrate.c)
target_link_libraries(migrate_shared PRIVATE retort::retort)
add_executable(migrate_static migrate.c)
target_link_libraries(migrate_static PRIVATE retort::retort_static)
CMAKE
	cmake -S src -B b -DCMAKE_PREFIX_PATH="$P" \
		-DCMAKE_C_FLAGS="$CFLAGS" \
		-DCMAKE_EXE_LINKER_FLAGS="${RETORT_TEST_CFLAGS:-}" >cmake.log ||
		{ cat cmake.log; false; }
	cmake --build b >>cmake.log 2>&1 || { cat cmake.log; false; }
	readelf -d b/migrate_shared | grep -q 'NEEDED.*libretort.so.0'
	! readelf -d b/migrate_static | grep -q libretort
	cd b
	run_migrate migrate_shared
	rm "$W/app.db"
	run_migrate migrate_static
}

@test "docs/embedding.md's in-memory example: retort_use_sqlite on the application's handle" {
	[ -s "$BATS_FILE_TMPDIR/memdb.c" ]
	cp "$BATS_FILE_TMPDIR/memdb.c" .
	cc $CFLAGS memdb.c $(pkg-config --cflags --libs retort sqlite3) \
		-Wl,-rpath,"$LIBDIR" -o memdb
	run ./memdb
	echo "$output"
	[ "$status" -eq 0 ]
	# what the page shows under the program
	[ "$output" = "$(printf '1 first\n0001')" ]
}

@test "find_package(retort 1.0) fails: 0.1 is not compatible" {
	mkdir src
	cat >src/CMakeLists.txt <<'CMAKE'
cmake_minimum_required(VERSION 3.18)
project(v C)
find_package(retort 1.0 REQUIRED)
CMAKE
	run cmake -S src -B b -DCMAKE_PREFIX_PATH="$P"
	[ "$status" -ne 0 ]
	[[ "$output" == *"0.1.0"* ]]
}

@test "the installed libraries export retort_* only (check-symbols.sh)" {
	run "$RETORT_SOURCE_DIR/scripts/check-symbols.sh" "$P/include/retort.h" \
		"$LIBDIR/libretort.so" "$LIBDIR/libretort.a"
	echo "$output"
	[ "$status" -eq 0 ]
	run sh -c "nm -D --defined-only '$LIBDIR/libretort.so' | awk '{ print \$3 }' | grep -v '^retort_'"
	[ "$output" = "" ]
}

@test "check-symbols.sh reports an internal symbol a library exports" {
	printf 'int rt_leak(void) { return 0; }\n' >x.c
	cc -shared -fPIC x.c -o libx.so
	run "$RETORT_SOURCE_DIR/scripts/check-symbols.sh" "$P/include/retort.h" libx.so
	[ "$status" -eq 1 ]
	[[ "$output" == *"exports 'rt_leak', which retort.h does not declare"* ]]
	[[ "$output" == *"does not export 'retort_open'"* ]]
}
