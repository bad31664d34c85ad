#!/bin/sh
# SPDX-License-Identifier: MIT
# run-long.sh: run each libFuzzer target for a fixed time with its corpus,
# one after the other, and report executions and findings (`make
# fuzz-long`; build the targets first with `make fuzz`).
#
#   fuzz/run-long.sh SECONDS TARGET...        e.g. fuzz/run-long.sh 600 args config script
#
# For each TARGET: build/fuzz/fuzz/fuzz_TARGET fuzzes for SECONDS, seeded
# with fuzz/corpus/TARGET (read-only) and fuzz/TARGET.dict when there is
# one; new inputs go to build/fuzz/long/TARGET (kept between runs, so a
# later run goes on from there), findings (crash-, leak-, timeout-, oom-)
# to build/fuzz/long/findings/, the fuzzer's log to
# build/fuzz/long/TARGET.log. Prints one line per target and exits 1 when
# anything was found. FUZZ_FLAGS adds libFuzzer flags (e.g. -jobs=2).
set -u

seconds=${1:?usage: $0 SECONDS TARGET...}
shift
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/fuzz/fuzz
out=$root/build/fuzz/long
mkdir -p "$out/findings"
status=0

for t in "$@"; do
	fz=$bin/fuzz_$t
	if [ ! -x "$fz" ]; then
		echo "fuzz-long: $fz is missing (run make fuzz)" >&2
		status=2
		continue
	fi
	mkdir -p "$out/$t"
	dict=
	[ -f "$root/fuzz/$t.dict" ] && dict=-dict=$root/fuzz/$t.dict
	before=$(ls "$out/findings" | grep -c "^$t-" || true)
	# shellcheck disable=SC2086
	"$fz" $dict -max_total_time="$seconds" -timeout=10 -max_len=4096 \
		-print_final_stats=1 -artifact_prefix="$out/findings/$t-" \
		${FUZZ_FLAGS:-} "$out/$t" "$root/fuzz/corpus/$t" \
		>"$out/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$t.log" | tail -n 1)
	corpus=$(ls "$out/$t" | wc -l)
	after=$(ls "$out/findings" | grep -c "^$t-" || true)
	found=$((after - before))
	echo "fuzz_$t: ${execs:-?} execs in ${seconds} s (${rate:-?}/s), $corpus inputs in $out/$t, findings: $found (exit $rc)"
	if [ "$found" -gt 0 ] || [ "$rc" -ne 0 ]; then
		status=1
		ls -t "$out/findings" | grep "^$t-" | head -n "$((found > 0 ? found : 1))" |
			sed "s|^|  $out/findings/|"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|.*runtime error)' \
			"$out/$t.log" | head -n 5 | sed 's/^/  /'
	fi
done
exit $status
