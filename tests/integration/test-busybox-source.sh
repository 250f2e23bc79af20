#!/bin/sh
# test-busybox-source.sh — build Debian's BusyBox sources out of tree with kwb busybox
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Real make, real gcc. The source tree's checksum (every file's bytes,
# type, mode and mtime) must be the same before and after. The build folder
# is a fixture under ~/.cache/kernel-workbench/fixtures/busybox-KEY, KEY a
# hash of the source tree and of this recipe, so a second run is an
# incremental make (seconds) rather than a full build (minutes).
set -u

KWB="${KWB:-$KWB_BUILD_ROOT/app/cli/kwb}"
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kernel-workbench"
n=0
fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); echo "not ok $n - $1"; fail=1; }
check()  { if eval "$2"; then ok "$1"; else not_ok "$1"; fi; }

for tool in make gcc; do
  if ! command -v $tool >/dev/null; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done

src=$("$HERE/get-busybox-source.sh" 2>/tmp/kwb-get-busybox.$$.err | tail -n 1)
rc=$?
if [ -z "$src" ] || [ ! -f "$src/Makefile" ]; then
  if [ "$rc" = 77 ] || grep -q 'dpkg-source missing\|no deb-src' /tmp/kwb-get-busybox.$$.err; then
    echo "1..0 # SKIP cannot get BusyBox sources: $(tail -n 1 /tmp/kwb-get-busybox.$$.err)"
    rm -f /tmp/kwb-get-busybox.$$.err
    exit 0
  fi
  echo "Bail out! get-busybox-source.sh failed: $(cat /tmp/kwb-get-busybox.$$.err)"
  exit 1
fi
rm -f /tmp/kwb-get-busybox.$$.err

tree_sum() {
  ( cd "$1" && find . -printf '%y %m %s %T@ %p %l\n' | LC_ALL=C sort &&
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum ) | sha256sum | cut -d' ' -f1
}

before=$(tree_sum "$src")
# The recipe (defconfig + STATIC + INSTALL_NO_USR) is part of the key: bump
# it when kwb-busybox.c changes what it builds.
key=$(printf '%s\nrecipe 1: defconfig STATIC INSTALL_NO_USR\n' "$before" | sha256sum | cut -c1-16)
build="$CACHE/fixtures/busybox-$key"
proj=$(mktemp -d)
trap 'rm -rf "$proj"' EXIT

"$KWB" init "$proj" >/dev/null
"$KWB" set "$proj" busybox.source tree >/dev/null
"$KWB" set "$proj" busybox.tree "$src" >/dev/null
"$KWB" set "$proj" busybox.build-dir "$build" >/dev/null

echo "# source $src"
echo "# build  $build"
if "$KWB" busybox "$proj" > "$proj/out.txt" 2>&1; then
  ok "kwb busybox builds Debian's BusyBox out of tree"
else
  not_ok "kwb busybox builds Debian's BusyBox out of tree"
  sed 's/^/# /' "$proj/out.txt"
fi
sed 's/^/# /' "$proj/out.txt" | tail -n 5

after=$(tree_sum "$src")
check "source tree unchanged (checksum before = after)" '[ "$before" = "$after" ]'
check "no build output in the source tree" '[ ! -e "$src/.config" ] && [ ! -e "$src/busybox" ] && [ ! -e "$src/_install" ]'
check "CONFIG_STATIC=y kept after oldconfig" 'grep -qx CONFIG_STATIC=y "$build/obj/.config"'
check "CONFIG_INSTALL_NO_USR=y kept after oldconfig" 'grep -qx CONFIG_INSTALL_NO_USR=y "$build/obj/.config"'
check "installed into the staging folder" '[ -x "$build/staging/bin/busybox" ] && [ -L "$build/staging/linuxrc" ]'
check "no /usr in the staging folder (INSTALL_NO_USR)" '[ ! -e "$build/staging/usr/bin" ] || [ -z "$(ls -A "$build/staging/usr/bin")" ]'
check "log kept in the build folder" 'grep -q "CONFIG_STATIC=y" "$build/build.log"'
if "$KWB" busybox --check "$proj" > "$proj/check.txt" 2>&1; then
  ok "the built binary passes the static-binary check: $(cat "$proj/check.txt")"
else
  not_ok "the built binary passes the static-binary check"
  sed 's/^/# /' "$proj/check.txt"
fi
if "$KWB" initramfs "$proj" -o "$proj/initramfs.cpio.gz" > "$proj/init.txt" 2>&1; then
  ok "an initramfs builds from the source-built BusyBox"
else
  not_ok "an initramfs builds from the source-built BusyBox"
  sed 's/^/# /' "$proj/init.txt"
fi

echo "1..$n"
exit $fail
