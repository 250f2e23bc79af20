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
export XDG_CACHE_HOME="$tmp/cache"
unset GSETTINGS_SCHEMA_DIR
app_id=io.github.kwb.KernelWorkbench
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/log" ] && sed 's/^/# /' "$tmp/log" | tail -30; }

echo "1..7"

if DEB_BUILD_OPTIONS=nocheck "$src/build-aux/package" "$out" >"$tmp/log" 2>&1; then
  ok "dpkg-buildpackage builds it and lintian finds no error"
else
  fail "build-aux/package"
  exit 0
fi
deb=$(ls "$out"/kernel-workbench_*.deb)

dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./|/|' >"$tmp/contents"
missing=""
for f in /usr/bin/kernel-workbench /usr/bin/kwb /usr/share/applications/$app_id.desktop \
         /usr/share/metainfo/$app_id.metainfo.xml /usr/share/glib-2.0/schemas/$app_id.gschema.xml \
         /usr/share/icons/hicolor/scalable/apps/$app_id.svg \
         /usr/share/locale/zh_CN/LC_MESSAGES/kernel-workbench.mo /usr/share/man/man1/kwb.1.gz \
         /usr/share/man/man1/kernel-workbench.1.gz \
         /usr/share/bash-completion/completions/kwb /usr/share/doc/kernel-workbench/copyright; do
  grep -qx "$f" "$tmp/contents" || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "the launcher, kwb, translations, man page, completion"; else fail "missing:$missing"; fi

depends=$(dpkg-deb -f "$deb" Depends)
missing=""
for p in qemu-system-x86 gdb busybox-static libgtk-4-1 libadwaita-1-0 libvte-2.91-gtk4-0 libgtksourceview-5-0 libgit2-; do
  echo "$depends" | grep -q "$p" || missing="$missing $p"
done
if [ -z "$missing" ]; then ok "Depends: the tools it drives and the GTK stack"; else echo "$depends" >"$tmp/log"; fail "Depends lacks:$missing"; fi

root="$tmp/root"
dpkg-deb -x "$deb" "$root"
if "$root/usr/bin/kwb" --help >"$tmp/log" 2>&1 && "$root/usr/bin/kwb" init "$tmp/project" >>"$tmp/log" 2>&1 &&
   [ -f "$tmp/project/kernel-workbench.ini" ]; then
  ok "the packaged kwb runs: --help, init"
else
  fail "the packaged kwb"
fi
if LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$root/usr/bin/kwb" --help >"$tmp/log" 2>&1 && grep -q "用法" "$tmp/log"; then
  ok "the packaged kwb finds the packaged catalogue"
else
  fail "the packaged kwb under LANGUAGE=zh_CN"
fi
if desktop-file-validate "$root/usr/share/applications/$app_id.desktop" >"$tmp/log" 2>&1 &&
   grep -qx "Exec=kernel-workbench --last" "$root/usr/share/applications/$app_id.desktop"; then
  ok "the packaged desktop entry is valid and opens the last project"
else
  fail "the packaged desktop entry"
fi
if zcat "$root/usr/share/man/man1/kwb.1.gz" | MANWIDTH=80 man -l - >"$tmp/log" 2>&1 && grep -q "KWB DEBUG" "$tmp/log"; then
  ok "man reads the packaged kwb(1)"
else
  fail "the packaged kwb(1)"
fi
