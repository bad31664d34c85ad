#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# online_concurrency.bats: several retort processes on one database at
# once (two deploys running `retort upgrade head`): each revision runs
# exactly once and every process ends with the database at its target.

load online_helpers

setup() {
	online_setup
}

teardown() {
	online_teardown
}

# start_retort NAME ARGS...: run retort in the background, stderr in
# $BATS_TEST_TMPDIR/NAME.err; appends the pid to PIDS and the name to NAMES.
start_retort() {
	local name="$1"
	shift
	"$RETORT" "$@" >"$BATS_TEST_TMPDIR/$name.out" 2>"$BATS_TEST_TMPDIR/$name.err" 3>&- &
	PIDS+=("$!")
	NAMES+=("$name")
	BG_PIDS="${BG_PIDS:-} $!"
}

# wait_all: wait for every started process; fails naming those that did
# not exit 0.
wait_all() {
	local i rc bad=0
	for i in "${!PIDS[@]}"; do
		rc=0
		wait "${PIDS[$i]}" || rc=$?
		if [ "$rc" != 0 ]; then
			echo "${NAMES[$i]} exited $rc"
			cat "$BATS_TEST_TMPDIR/${NAMES[$i]}.err"
			bad=1
		fi
	done
	PIDS=()
	NAMES=()
	BG_PIDS=
	return $bad
}

# unexpected_stderr NAME...: stderr lines other than progress, lock waits
# (SQLite's and PostgreSQL's wording) and re-planning notes.
unexpected_stderr() {
	local n
	for n in "$@"; do
		grep -v -e '^Running ' \
			-e '^retort: waiting for another process to release the lock on ' \
			-e '^retort: waiting for the migration lock on ' \
			-e '^another process changed the database; planning again$' \
			"$BATS_TEST_TMPDIR/$n.err" || true
	done
}

# check_log_consistent: in the log, every revision alternates upgrade,
# downgrade, upgrade, ... and is applied now exactly when its table exists
# and it is at or below the version row (linear chain r001..).
check_log_consistent() {
	local version="$1" k=0
	[ -n "$version" ] && k=$((10#${version#r}))
	db_query "SELECT revision, direction FROM retort_log WHERE direction IN ('upgrade', 'downgrade') ORDER BY id" |
		awk -F'|' -v k="$k" '
		{
			want = ($1 in last && last[$1] == "upgrade") ? "downgrade" : "upgrade"
			if ($2 != want) { print "revision " $1 ": " $2 " after " (($1 in last) ? last[$1] : "nothing"); bad = 1 }
			last[$1] = $2
		}
		END {
			for (r in last) {
				n = substr(r, 2) + 0
				applied = (last[r] == "upgrade")
				if (applied != (n <= k)) { print "revision " r ": last " last[r] " but the version row is at " k; bad = 1 }
			}
			exit bad
		}'
}

@test "4 concurrent 'upgrade head' on 50 revisions: all succeed, each revision applied once" {
	table_chain r 50 200
	PIDS=() NAMES=()
	for round in 1 2; do
		for i in 1 2 3 4; do
			start_retort "up$round-$i" upgrade head
		done
		wait_all
		expect_eq "round $round version row" r050 "$(db_versions)"
		expect_eq "round $round revision tables" 50 "$(db_tables | grep -c '^t_r[0-9]*$')"
		expect_eq "round $round unexpected stderr" "" \
			"$(unexpected_stderr "up$round-1" "up$round-2" "up$round-3" "up$round-4")"
		# every revision ran in exactly one of the four processes
		expect_eq "round $round progress lines" 50 \
			"$(cat "$BATS_TEST_TMPDIR"/up"$round"-*.err | grep -c '^Running upgrade ')"
		expect_eq "round $round upgrades applied twice" "" \
			"$(db_query "SELECT revision FROM retort_log WHERE direction = 'upgrade' GROUP BY revision HAVING count(*) <> $round")"
		expect_eq "round $round upgrade rows" "$((50 * round))|50" \
			"$(db_query "SELECT count(*), count(DISTINCT revision) FROM retort_log WHERE direction = 'upgrade'")"
		if [ "$round" = 1 ]; then
			rt -q downgrade base
			expect_status 0
			expect_eq "tables after downgrade base" "" "$(app_tables)"
		fi
	done
	expect_eq "unfinished log rows" 0 \
		"$(db_query "SELECT count(*) FROM retort_log WHERE status <> 'ok'")"
}

@test "concurrent 'downgrade base' and 'upgrade head' races leave a consistent database" {
	table_chain r 20 100
	PIDS=() NAMES=()
	for round in 1 2 3; do
		start_retort "up$round-a" upgrade head
		start_retort "down$round-a" downgrade base
		start_retort "up$round-b" upgrade head
		start_retort "down$round-b" downgrade base
		wait_all
		expect_eq "round $round unexpected stderr" "" \
			"$(unexpected_stderr "up$round-a" "down$round-a" "up$round-b" "down$round-b")"
		version="$(db_versions)"
		case "$version" in
		"" | r0[0-2][0-9]) ;;
		*)
			echo "round $round: version rows '$version'"
			return 1
			;;
		esac
		# the tables are exactly those of the revisions at or below the
		# version row
		k=0
		[ -n "$version" ] && k=$((10#${version#r}))
		want=""
		for ((j = 1; j <= k; j++)); do
			want+="$(printf 't_r%03d ' "$j")"
		done
		expect_eq "round $round tables (version '$version')" "${want% }" "$(app_tables)"
		check_log_consistent "$version"
	done
	expect_eq "unfinished log rows" 0 \
		"$(db_query "SELECT count(*) FROM retort_log WHERE status <> 'ok'")"
	# and a final upgrade ends at head
	rt -q upgrade head
	expect_status 0
	expect_eq versions r020 "$(db_versions)"
	check_log_consistent r020
}
