# SPDX-License-Identifier: MIT
# Common tasks. The real build is CMake; this file only drives it.
#
#   make            build (build/release)
#   make test       install test deps, build twice (-Werror; ASan+UBSan) and
#                   run the whole suite in both builds
#   make test-random  the random differential test of autogenerate with
#                   RANDOM_PAIRS pairs per database (default 3000) from
#                   RANDOM_SEED (default 1), on SQLite and PostgreSQL
#   make demo       build and run the example project on SQLite
#   make bench      run the benchmarks and write docs/benchmarks.md
#   make fuzz       build the libFuzzer targets with clang (build/fuzz)
#   make fuzz-long  build them, then run each for FUZZ_SECONDS (default 600)
#                   with its corpus; prints execs and findings
#   make format     clang-format the C sources
#   make install    build (Release) and install under PREFIX (default
#                   /usr/local; DESTDIR=... stages it): cmake --install
#   make deb        the Debian packages retort, libretort0, libretort-dev
#                   (dpkg-buildpackage on a copy of the tree, then lintian)
#                   in build/deb
#   make deb-test   make deb, then install them with dpkg -i, use them, and
#                   remove them again (needs root)

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
BUILD ?= build/release
PREFIX ?= /usr/local

.PHONY: all build install deb deb-test deps test-deps test test-werror test-asan test-random demo bench fuzz fuzz-long format clean

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DRETORT_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

# The prefix is given at configure time too, so that GNUInstallDirs picks
# its library folder (lib/<triplet> for /usr on Debian, else lib).
install: deps
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DRETORT_BUILD_TESTS=OFF \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)
	@DESTDIR=$(DESTDIR) $(CMAKE) --install $(BUILD) --prefix $(PREFIX)

# The packaging tools are installed here only, not for make test (where
# the package is built only when they are present).
deb:
	@scripts/install-deps.sh deb
	@scripts/build-deb.sh build/deb

deb-test: deb
	@scripts/deb-test.sh build/deb

test: test-deps
	@scripts/run-tests.sh

test-werror: test-deps
	@scripts/run-tests.sh werror

test-asan: test-deps
	@scripts/run-tests.sh asan

RANDOM_PAIRS ?= 3000
RANDOM_SEED ?= 1
test-random: test-deps
	@$(CMAKE) -S . -B build/test-werror -DRETORT_WERROR=ON >/dev/null
	@$(CMAKE) --build build/test-werror -j $(JOBS) --target test_schema_random
	@RETORT_RANDOM_PAIRS=$(RANDOM_PAIRS) RETORT_RANDOM_SEED=$(RANDOM_SEED) \
		tests/pg/server.sh run build/test-werror/tests/test_schema_random --jobs 1

demo: build
	@examples/demo.sh $(BUILD)/cli/retort

bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh $(BUILD)/cli/retort

fuzz: test-deps
	@$(CMAKE) -S . -B build/fuzz -DCMAKE_C_COMPILER=clang -DRETORT_BUILD_FUZZERS=ON -DRETORT_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build build/fuzz -j $(JOBS) --target $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
	@echo "fuzzers built in build/fuzz/fuzz/ (see docs/fuzzing.md)"

FUZZ_SECONDS ?= 600
fuzz-long: fuzz
	@fuzz/run-long.sh $(FUZZ_SECONDS) $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
