#!/bin/sh
# SPDX-License-Identifier: MIT
# Install the packages that scripts/build-deb.sh built, with dpkg -i, and
# use them as a user would: `retort --version`, a project upgraded with the
# installed command, the completions and man page in their places, and
# docs/embedding.md's example built with pkg-config and with CMake against
# /usr (tests/install/embedding.bats with the system as its prefix). The
# packages are removed afterwards unless they were installed before.
# Needs root (or sudo).
#
# Usage: scripts/deb-test.sh [OUT]   (default build/deb)
set -eu

cd "$(dirname "$0")/.."
out=${1:-build/deb}
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
version=$(dpkg-parsechangelog -S Version)

was_installed=
for p in retort libretort0 libretort-dev; do
	if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		was_installed="$was_installed $p"
	fi
done
cleanup() {
	if [ -z "$was_installed" ]; then
		$SUDO dpkg -r retort libretort-dev libretort0 >/dev/null
	fi
}
trap cleanup EXIT

echo "== dpkg -i $out/*.deb"
$SUDO dpkg -i "$out"/retort_"$version"_*.deb "$out"/libretort0_"$version"_*.deb \
	"$out"/libretort-dev_"$version"_*.deb >/dev/null
status=0

echo "== retort --version"
got=$(/usr/bin/retort --version)
[ "$got" = "retort ${version%%-*}" ] || { echo "got '$got'"; status=1; }

echo "== a project, with the installed command"
t=$(mktemp -d)
(
	cd "$t"
	retort init migrations >/dev/null 2>&1
	retort revision -m one --rev-id aaa111 >/dev/null 2>&1
	retort upgrade head 2>/dev/null
	[ "$(retort current)" = "aaa111 (head)" ]
) || { echo "deb-test: the installed retort failed"; status=1; }
rm -rf "$t"

echo "== files in their places"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in /usr/share/man/man1/retort.1.gz /usr/share/man/man5/retort.ini.5.gz \
	/usr/share/bash-completion/completions/retort \
	/usr/share/zsh/vendor-completions/_retort \
	/usr/share/fish/vendor_completions.d/retort.fish \
	/usr/include/retort.h /usr/lib/"$multiarch"/libretort.so.0 \
	/usr/lib/"$multiarch"/pkgconfig/retort.pc \
	/usr/lib/"$multiarch"/cmake/retort/retort-config.cmake; do
	[ -e "$f" ] || { echo "deb-test: missing $f"; status=1; }
done
man -w retort-upgrade >/dev/null || { echo "deb-test: man cannot find retort-upgrade"; status=1; }

echo "== docs/embedding.md's example against the packages"
RETORT_PREFIX=/usr RETORT_SOURCE_DIR=$PWD bats tests/install/embedding.bats || status=1
exit $status
