#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the Debian packages retort, libretort0 and libretort-dev from a copy
# of the source tree (so that dpkg-buildpackage's output, written next to
# the tree it builds, stays under OUT), then run lintian on them, failing on
# errors. Needs dpkg-dev, debhelper and lintian (`make deb` installs them).
#
# Usage: scripts/build-deb.sh [OUT]   (default build/deb)
# Leaves OUT/*.deb and OUT/*.changes; prints the .deb paths.
set -eu

cd "$(dirname "$0")/.."
out=${1:-build/deb}
case "$out" in /*) ;; *) out=$PWD/$out ;; esac
version=$(dpkg-parsechangelog -S Version)
upstream=$(sed -n 's/^project(retort VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
if [ "${version%%-*}" != "$upstream" ]; then
	echo "build-deb: debian/changelog says $version, CMakeLists.txt $upstream" >&2
	exit 1
fi

rm -rf "$out"
src=$out/retort-$version
mkdir -p "$src"
# the tracked and new files (not build/ or other ignored output)
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard |
		xargs -0 sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
fi

echo "== dpkg-buildpackage -us -uc -b ($src)"
(cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
	tail -40 "$out/build.log" >&2
	echo "build-deb: dpkg-buildpackage failed (log: $out/build.log)" >&2
	exit 1
}
changes=$(ls "$out"/retort_*.changes)
echo "== lintian $changes"
lintian --fail-on error "$changes" >"$out/lintian.log" 2>&1 || {
	cat "$out/lintian.log"
	echo "build-deb: lintian found errors" >&2
	exit 1
}
cat "$out/lintian.log"
ls "$out"/*.deb
