#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# Shell completions, written by `retort __complete bash|zsh|fish` from the
# parser's own tables (cli/complete.c): the bash one sourced and driven as
# bash would (COMP_WORDS/COMP_CWORD in, COMPREPLY out); every command and
# every option of the tables reaches it; revision ids and labels come from
# the project; the zsh and fish ones parse, and fish completes.

load helpers

setup() {
	TEST_DIR="$(mktemp -d "${BATS_TMPDIR:-/tmp}/retort-bats.XXXXXX")"
	cd "$TEST_DIR" || return 1
	mkdir -p migrations/versions
	write_config
	# the completion runs `retort` from PATH, as a shell would
	mkdir bin
	ln -s "$RETORT" bin/retort
	PATH="$TEST_DIR/bin:$PATH"
	"$RETORT" __complete bash >retort.bash
	source ./retort.bash
}

# complete WORD...: COMPREPLY for the command line WORD..., the cursor at
# the end of the last word (use "" for a new word), one per line, sorted.
complete_line() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_retort
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "bash: retort up<TAB> completes the command upgrade" {
	[ "$(complete_line retort up)" = upgrade ]
}

@test "bash: retort upgrade --s<TAB> completes --sql" {
	[ "$(complete_line retort upgrade --s)" = "--sql" ]
}

@test "bash: the script is registered for retort and passes bash -n" {
	bash -n retort.bash
	run complete -p retort
	[ "$output" = "complete -F _retort retort" ]
}

@test "bash: every command of the table, after global options too" {
	expected=$("$RETORT" __complete commands | cut -f1 | sort)
	[ "$(complete_line retort "")" = "$expected" ]
	[ "$(complete_line retort -q --color never "")" = "$expected" ]
	[[ "$expected" == *upgrade* && "$expected" != *__complete* ]]
}

@test "bash: every option of every command's table, and no other" {
	globals=$("$RETORT" __complete options | cut -f1,2 | tr '\t' '\n' | grep . | sort)
	for cmd in $("$RETORT" __complete commands | cut -f1); do
		own=$("$RETORT" __complete options "$cmd" | cut -f1,2 | tr '\t' '\n' | grep . || true)
		got=$(complete_line retort "$cmd" -)
		# its own options, and the global ones it does not hide
		want=$( { printf '%s\n' $own; for g in $globals; do
			grep -qx -- "$g" <<<"$own" || printf '%s\n' "$g"; done; } |
			grep . | sort -u)
		got_long=$(complete_line retort "$cmd" --)
		[ "$got" = "$want" ] || { echo "$cmd: got [$got] want [$want]"; false; }
		[ "$got_long" = "$(grep -- '^--' <<<"$want")" ] || { echo "$cmd --"; false; }
	done
}

@test "bash: revision ids, branch labels and head/heads/base where a revision goes" {
	"$RETORT" revision -m one --rev-id aaa111 >/dev/null
	"$RETORT" revision -m two --rev-id bbb222 --branch-label feat >/dev/null
	all=$(printf '%s\n' aaa111 base bbb222 feat head heads)
	[ "$(complete_line retort upgrade "")" = "$all" ]
	[ "$(complete_line retort downgrade b)" = "$(printf '%s\n' base bbb222)" ]
	[ "$(complete_line retort stamp --purge f)" = feat ]
	[ "$(complete_line retort merge a)" = aaa111 ]
	[ "$(complete_line retort show "")" = "$all" ]
	[ "$(complete_line retort revision --head a)" = aaa111 ]
	[ "$(complete_line retort history -r "")" = "$all" ]
	# the project named by -c, before the command
	mkdir -p other/migrations/versions
	cd other
	write_config
	[ "$(complete_line retort upgrade a)" = "" ]
	[ "$(complete_line retort -c ../retort.ini upgrade a)" = aaa111 ]
}

@test "bash: outside a project only the keywords; __complete revisions says nothing" {
	rm retort.ini
	[ "$(complete_line retort upgrade h)" = "$(printf '%s\n' head heads)" ]
	run --separate-stderr "$RETORT" __complete revisions
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "bash: option values: files, folders, --color's words, commands for help" {
	mkdir adir
	: >afile
	[ "$(complete_line retort --color "")" = "$(printf '%s\n' always auto never)" ]
	[ "$(complete_line retort -c af)" = afile ]
	[ "$(complete_line retort dump -o af)" = afile ]
	[ "$(complete_line retort init ad)" = adir ]
	[ "$(complete_line retort help dow)" = downgrade ]
	# current -c is --check-heads, a flag, not the global -c FILE
	[ "$(complete_line retort current -c af)" = "" ]
	[ "$(complete_line retort revision -m "")" = "" ]
}

@test "the hidden command is neither listed nor suggested" {
	run "$RETORT" --help
	[[ "$output" != *__complete* ]]
	run "$RETORT" help
	[[ "$output" != *__complete* ]]
	run "$RETORT" __complet
	[ "$status" -eq 2 ]
	[[ "$output" != *"__complete'"* ]]
	run "$RETORT" __complete nonsense
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: retort __complete"* ]]
}

@test "zsh: the script parses and defines _retort" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	"$RETORT" __complete zsh >_retort
	zsh -n _retort
	[ "$(head -1 _retort)" = "#compdef retort" ]
	run zsh -c 'source ./_retort 2>/dev/null; whence -w _retort _retort_revisions'
	[[ "$output" == *"_retort: function"* ]]
	# every command and option of the tables is in it
	for cmd in $("$RETORT" __complete commands | cut -f1); do
		grep -q "^		'$cmd:" _retort
		for o in $("$RETORT" __complete options "$cmd" | cut -f1 | grep .); do
			grep -q -- "$o" _retort
		done
	done
}

@test "fish: the script parses and completes commands, options and revisions" {
	command -v fish >/dev/null || skip "fish is not installed"
	"$RETORT" __complete fish >retort.fish
	fish -n retort.fish
	"$RETORT" revision -m one --rev-id aaa111 >/dev/null
	run fish -c 'source retort.fish; complete -C"retort up"'
	[[ "$output" == "upgrade"* ]]
	run fish -c 'source retort.fish; complete -C"retort upgrade --s"'
	[[ "$output" == "--sql"* ]]
	run fish -c 'source retort.fish; complete -C"retort upgrade "'
	[[ "$output" == *aaa111* && "$output" == *heads* ]]
}
