#!/bin/sh
# SPDX-License-Identifier: MIT
# check-symbols.sh: what libretort shows the programs that link it.
#
#   shared library  its dynamic symbol table defines exactly the functions
#                   that retort.h declares (RETORT_EXTERN): no internal
#                   symbol, and no public function missing;
#   static archive  every global symbol it defines is retort_* (public)
#                   or rt_* (internal), so that its internals cannot
#                   collide with an application's own names, and it
#                   defines every public function.
#
# Usage: scripts/check-symbols.sh HEADER SHARED_LIB [STATIC_LIB]
# Prints each finding; exit 0 clean, 1 with findings, 2 on bad usage.
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
	echo "usage: $0 HEADER SHARED_LIB [STATIC_LIB]" >&2
	exit 2
fi
header=$1
shared=$2
static=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# Internal prefixes still used in src/schema/ (the schema model, sx_, and
# its diff, dx_) until they are renamed to rt_sx_/rt_dx_: reported as
# notes, not findings. Empty this list once they are gone.
legacy=''

tr '\n' ' ' <"$header" |
	grep -oE 'RETORT_EXTERN\([^)]*\)[ *]*retort_[a-z0-9_]+ *\(' |
	sed -E 's/.*[ *)](retort_[a-z0-9_]+) *\($/\1/' | sort -u >"$tmp/declared"
if [ ! -s "$tmp/declared" ]; then
	echo "check-symbols: no RETORT_EXTERN function in $header" >&2
	exit 2
fi

nm -D --defined-only "$shared" | awk 'NF >= 3 { print $3 }' |
	sed 's/@.*//' | sort -u >"$tmp/exported"
comm -13 "$tmp/declared" "$tmp/exported" >"$tmp/extra"
comm -23 "$tmp/declared" "$tmp/exported" >"$tmp/missing"
while read -r s; do
	echo "$shared: exports '$s', which retort.h does not declare"
	status=1
done <"$tmp/extra"
while read -r s; do
	echo "$shared: does not export '$s' (declared in retort.h)"
	status=1
done <"$tmp/missing"
echo "$shared: $(wc -l <"$tmp/exported") dynamic symbols," \
	"$(wc -l <"$tmp/declared") declared"

if [ -n "$static" ]; then
	nm -g --defined-only "$static" | awk 'NF >= 3 { print $3 }' |
		sort -u >"$tmp/globals"
	notes=0
	while read -r s; do
		case "$s" in
		retort_* | rt_*) continue ;;
		__odr_asan.*) continue ;; # ASan's marker of a global (sanitizer builds)
		esac
		known=0
		for p in $legacy; do
			case "$s" in
			"$p"*) known=1 ;;
			esac
		done
		if [ $known = 1 ]; then
			notes=$((notes + 1))
			continue
		fi
		echo "$static: global symbol '$s' is neither retort_* nor rt_*"
		status=1
	done <"$tmp/globals"
	comm -23 "$tmp/declared" "$tmp/globals" >"$tmp/missing"
	while read -r s; do
		echo "$static: does not define '$s' (declared in retort.h)"
		status=1
	done <"$tmp/missing"
	echo "$static: $(wc -l <"$tmp/globals") global symbols" \
		"($notes with a legacy prefix: $legacy)"
fi
exit $status
