#!/bin/sh
# test-package.sh — build the .deb from a clean copy, check what it holds, run it from a throwaway root. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-package.sh SOURCE_ROOT OUTPUT_DIR
#
# build-aux/package builds the package (lintian errors fail it; the
# package's own test run is skipped: build-aux/test runs those suites).
# Then: the files a user gets, the Depends: line, and the binaries extracted
# with dpkg-deb -x into a temporary root, run from there.
src=${1:?usage: test-package.sh SOURCE_ROOT OUTPUT_DIR}
out=${2:?usage: test-package.sh SOURCE_ROOT OUTPUT_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/install/installed-checks.sh"
export XDG_CACHE_HOME="$tmp/cache"
root="$tmp/root"

depends_on() {
  depends=$(dpkg-deb -f "$deb" Depends)
  echo "Depends: $depends"
  for p in "$@"; do
    echo "$depends" | grep -q "$p" || { echo "no $p"; return 1; }
  done
}
kwb_runs() {
  "$root/usr/bin/kwb" --help && "$root/usr/bin/kwb" init "$tmp/project" && [ -f "$tmp/project/kernel-workbench.ini" ]
}
man_reads() {
  zcat "$root/usr/share/man/man1/kwb.1.gz" | MANWIDTH=80 man -l - | grep "KWB DEBUG"
}

echo "1..7"
check "dpkg-buildpackage builds it and lintian finds no error" env DEB_BUILD_OPTIONS=nocheck "$src/build-aux/package" "$out"
deb=$(ls "$out"/kernel-workbench_*.deb 2>/dev/null)
[ -n "$deb" ] || deb="$tmp/missing.deb"
dpkg-deb -x "$deb" "$root" 2>/dev/null || mkdir -p "$root"
check "the launcher, kwb, translations, man pages, completion" files_present "$root" \
  usr/bin/kernel-workbench usr/bin/kwb usr/share/applications/$app_id.desktop \
  usr/share/metainfo/$app_id.metainfo.xml usr/share/glib-2.0/schemas/$app_id.gschema.xml \
  usr/share/icons/hicolor/scalable/apps/$app_id.svg \
  usr/share/locale/zh_CN/LC_MESSAGES/kernel-workbench.mo usr/share/man/man1/kwb.1.gz \
  usr/share/man/man1/kernel-workbench.1.gz usr/share/bash-completion/completions/kwb \
  usr/share/doc/kernel-workbench/copyright
check "Depends: the tools it drives and the GTK stack" depends_on qemu-system-x86 gdb busybox-static \
  libgtk-4-1 libadwaita-1-0 libvte-2.91-gtk4-0 libgtksourceview-5-0 libgit2-
check "the packaged kwb runs: --help, init" kwb_runs
check "the packaged binaries find the packaged catalogue" speaks_chinese "$root/usr/bin"
check "the packaged launcher is valid and opens the last project" \
  launcher_valid "$root/usr/share/applications/$app_id.desktop" kernel-workbench
check "man reads the packaged kwb(1)" man_reads
