#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# The manual pages (man/*.scd, scdoc): each renders with scdoc, then with
# man -l and groff without a warning; and they say what `retort help` says
# (scripts/check-man.py against the program's own tables), which the
# checker is shown to notice when a page drifts.

load helpers

setup() {
	TEST_DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/retort-bats.XXXXXX")"
	cd "$TEST_DIR" || return 1
	MAN_SRC="$RETORT_SOURCE_DIR/man"
	CHECK="$RETORT_SOURCE_DIR/scripts/check-man.py"
}

# render: every page into ./out/NAME.SECTION
render() {
	mkdir -p out
	local f
	for f in "$MAN_SRC"/*.scd; do
		scdoc <"$f" >"out/$(basename "$f" .scd)" || {
			echo "scdoc failed on $f"
			return 1
		}
	done
}

@test "a page for retort, for each command and for retort.ini" {
	[ -f "$MAN_SRC/retort.1.scd" ]
	[ -f "$MAN_SRC/retort.ini.5.scd" ]
	for cmd in $("$RETORT" __complete commands | cut -f1); do
		[ -f "$MAN_SRC/retort-$cmd.1.scd" ] || { echo "no page for $cmd"; false; }
	done
}

@test "every page renders with man -l and groff without a warning" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	command -v groff >/dev/null || skip "groff is not installed"
	render
	n=0
	for page in out/*; do
		# groff's own warnings (-ww), then man-db's pipeline, as a user sees it
		warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		[ -z "$warnings" ] || { echo "$page: $warnings"; false; }
		if command -v man >/dev/null; then
			text=$(MANWIDTH=80 man --warnings -l "$page" 2>"$page.err")
			[ ! -s "$page.err" ] || { echo "$page:"; cat "$page.err"; false; }
			[[ "$text" == *NAME* ]]
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 19 ]
}

@test "retort help CMD and the man pages list the same options, usage and summary" {
	run python3 "$CHECK" "$RETORT" "$MAN_SRC"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"check-man: "*" command(s), 0 finding(s)" ]]
}

@test "the rendered page shows each option with the help text" {
	command -v scdoc >/dev/null || skip "scdoc is not installed"
	command -v man >/dev/null || skip "man is not installed"
	render
	text=$(MANWIDTH=200 man -l out/retort-upgrade.1 2>/dev/null | tr -s ' ')
	while IFS=$'\t' read -r long short arg help; do
		[[ "$text" == *"$long"* ]]
		[[ "$text" == *"$help"* ]] || { echo "no '$help'"; false; }
	done < <("$RETORT" __complete options upgrade)
	[[ "$text" == *"retort upgrade [--sql | --dry-run] TARGET"* ]]
}

@test "check-man.py notices a page that drifted from the tables" {
	cp -r "$MAN_SRC" m
	sed -i 's/^\*--sql\*$/*--sequel*/' m/retort-upgrade.1.scd
	sed -i 's/^retort-heads - .*/retort-heads - show the heads/' m/retort-heads.1.scd
	rm m/retort-edit.1.scd
	sed -i 's/^\tfull entries\.$/\tthe full entries./' m/retort-history.1.scd
	run python3 "$CHECK" "$RETORT" m
	[ "$status" -eq 1 ]
	[[ "$output" == *"retort-upgrade.1.scd OPTIONS: no entry '--sql'"* ]]
	[[ "$output" == *"entry '--sequel' is not an option of the table"* ]]
	[[ "$output" == *"retort-heads.1.scd: NAME is 'retort-heads - show the heads'"* ]]
	[[ "$output" == *"retort-edit.1.scd: missing"* ]]
	[[ "$output" == *"'-v, --verbose' is described as 'the full entries'"* ]]
	[[ "$output" == *"5 finding(s)"* ]]
}
