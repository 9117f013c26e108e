#!/bin/bash
# Builds the rasgate binary package (`make deb`): stages a copy of the
# source tree under BUILD_DIR/deb/src with packaging/debian as debian/
# (the top level of the repository has no debian/), runs
# dpkg-buildpackage -b there and leaves the .deb, .buildinfo and
# .changes in BUILD_DIR/deb/.
# Usage: packaging/mkdeb.sh BUILD_DIR
set -eu
B=${1:?usage: packaging/mkdeb.sh BUILD_DIR}
top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$B"
out=$(cd "$B" && pwd)/deb
ver=$(dpkg-parsechangelog -l "$top/packaging/debian/changelog" -S Version)
src=$out/src/rasgate-$ver

rm -rf "$out"
mkdir -p "$src"
cd "$top"
# The files git knows of plus new ones it does not ignore; without git,
# everything but build output and caches.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files -z --cached --others --exclude-standard
else
	find . -path './build*' -prune -o -path ./.cache -prune -o \
	    -path ./.git -prune -o -type f -print0 | sed -z 's|^\./||'
fi | while IFS= read -r -d '' f; do
	[ -f "$f" ] && printf '%s\0' "$f"
done | tar -c --null -T - -f - | tar -x -C "$src"
rm -rf "$src/debian"
cp -a packaging/debian "$src/debian"

cd "$src"
# A fresh build in the copy: no variables or jobserver from a calling make.
# (make also exports its command-line variables, B among them).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES B DESTDIR
opts="nocheck noautodbgsym parallel=$(nproc)"
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:+$DEB_BUILD_OPTIONS }$opts" \
    dpkg-buildpackage -us -uc -b
mv "$out"/src/*.deb "$out"/src/*.buildinfo "$out"/src/*.changes "$out"/
rm -rf "$out/src"
ls -l "$out"/*.deb
