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
#   make format     clang-format the C sources

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
BUILD ?= build/release

.PHONY: all build deps test-deps test test-werror test-asan test-random demo bench fuzz format clean

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DRETORT_BUILD_TESTS=OFF >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

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

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build
