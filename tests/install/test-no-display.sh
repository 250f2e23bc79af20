#!/bin/sh
# test-no-display.sh — kernel-workbench without a display says what to do in one line. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-no-display.sh KERNEL_WORKBENCH
app=${1:?usage: test-no-display.sh KERNEL_WORKBENCH}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..3"

env -u DISPLAY -u WAYLAND_DISPLAY "$app" >"$tmp/out" 2>"$tmp/err"
status=$?
if [ $status -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] &&
   grep -q -- "build-aux/run --headless" "$tmp/err" && grep -q "kwb" "$tmp/err" &&
   ! grep -q "cannot open display" "$tmp/err"; then
  echo "ok 1 - one line that points to kwb and build-aux/run --headless, exit 1"
else
  echo "not ok 1 - exit $status, stderr:"
  sed 's/^/# /' "$tmp/err"
fi

env -u DISPLAY -u WAYLAND_DISPLAY DISPLAY=:99999 "$app" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 1 ] && grep -q -- "--headless" "$tmp/err" && ! grep -q "cannot open display" "$tmp/err"; then
  echo "ok 2 - the same for a display that cannot be reached"
else
  echo "not ok 2 - stderr:"; sed 's/^/# /' "$tmp/err"
fi

if env -u DISPLAY -u WAYLAND_DISPLAY "$app" --help >"$tmp/out" 2>"$tmp/err" && grep -q -- "--last" "$tmp/out"; then
  echo "ok 3 - --help needs no display"
else
  echo "not ok 3 - --help failed without a display"; sed 's/^/# /' "$tmp/err"
fi
