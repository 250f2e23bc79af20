#!/bin/sh
# test-kwb-build.sh — kwb build on a fresh project, the build-folder guard, and no build left after a SIGKILL
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Argument: the kwb binary. The kernel is tests/data/kernel-fake (with
# KWB_FAKE_BUILD_OK its make succeeds in a moment), so the whole pipeline
# runs on a fresh project without a real kernel build; BusyBox is the host's.
set -u
KWB=${1:?usage: test-kwb-build.sh KWB}
DATA="$KWB_SOURCE_ROOT/tests/data"
. "$(dirname "$0")/tap-lib.sh"
T=$tmp
# The fake builds must not teach the real ones their object counts.
export XDG_CACHE_HOME="$T/cache"

"$KWB" --help >"$T/out" 2>&1
check "kwb --help lists build" grep -q '^  build ' "$T/out"
"$KWB" build >"$T/out" 2>"$T/err"; rc=$?
check "build without a project is bad usage" [ $rc -eq 2 ]

# A fresh project: kernel (configured, then built), initramfs, in that order.
"$KWB" init "$T/p" >/dev/null 2>&1 &&
  "$KWB" set "$T/p" kernel.source "$DATA/kernel-fake" >/dev/null &&
  "$KWB" set "$T/p" kernel.build-dir "$T/kb" >/dev/null &&
  "$KWB" set "$T/p" initramfs.output "$T/initramfs.cpio.gz" >/dev/null || { echo "Bail out! cannot make the project"; exit 1; }
KWB_FAKE_BUILD_OK=1 KWB_NO_CCACHE=1 "$KWB" build "$T/p" >"$T/out" 2>"$T/err"; rc=$?
check "kwb build of a fresh project exits 0" [ $rc -eq 0 ]
check "the kernel step is configured and compiled, with progress lines" \
  sh -c "grep -q '^kernel: config$' '$T/out' && grep -q '^kernel: compile: [0-9]*/[0-9]* objects' '$T/out' && grep -q '^kernel: Built$' '$T/out'"
check "no counted line carries the config stage" sh -c "! grep -q 'config: [0-9]' '$T/out'"
check "the initramfs comes after the kernel" \
  sh -c "[ \$(grep -n '^kernel: Built' '$T/out' | cut -d: -f1) -lt \$(grep -n '^initramfs: Written:' '$T/out' | cut -d: -f1) ]"
check "BusyBox from the host and no module projects: no line for them" sh -c "! grep -q '^busybox:\\|^modules:' '$T/out'"
check "the initramfs is written" test -s "$T/initramfs.cpio.gz"
check "the kernel build wrote its manifest" grep -q '^bzImage=' "$T/kb/kwb-manifest.ini"

# A compiler error: the failed step, and the error as FILE:LINE:COL.
KWB_NO_CCACHE=1 "$KWB" build "$T/p" >"$T/out" 2>"$T/err"; rc=$?
check "a failing kernel fails kwb build with exit 1" [ $rc -eq 1 ]
check "… names the step and the file and line" \
  sh -c "grep -q '^kernel: Failed' '$T/out' && grep -q 'kernel-fake/init/main.c:12:5: error:' '$T/err'"

# A build folder inside the source tree is refused before anything runs.
cp -r "$DATA/kernel-fake" "$T/src"
"$KWB" set "$T/p" kernel.source "$T/src" >/dev/null
"$KWB" set "$T/p" kernel.build-dir "$T/src/out" >/dev/null
KWB_FAKE_BUILD_OK=1 "$KWB" kernel build "$T/p" >"$T/out" 2>"$T/err"; rc=$?
check "kernel build-dir inside the source: exit 1, a clear error" sh -c "[ $rc -eq 1 ] && grep -q 'inside the source tree' '$T/err'"
check "… and nothing was written there" test ! -e "$T/src/out"
"$KWB" set "$T/p" kernel.build-dir "$T/src" >/dev/null
KWB_FAKE_BUILD_OK=1 "$KWB" kernel build "$T/p" >"$T/out" 2>"$T/err"; rc=$?
check "kernel build-dir equal to the source: refused" sh -c "[ $rc -eq 1 ] && grep -q 'inside the source tree' '$T/err' && test ! -e '$T/src/.config'"
mkdir -p "$T/bb/src" && touch "$T/bb/src/Makefile" "$T/bb/src/Config.in"
"$KWB" set "$T/p" busybox.source tree >/dev/null
"$KWB" set "$T/p" busybox.tree "$T/bb/src" >/dev/null
"$KWB" set "$T/p" busybox.build-dir "$T/bb/src/build" >/dev/null
"$KWB" busybox "$T/p" >"$T/out" 2>"$T/err"; rc=$?
check "BusyBox build-dir inside its tree: the same refusal" sh -c "[ $rc -eq 1 ] && grep -q 'inside the source tree' '$T/err'"

# SIGKILL of kwb during a build: nothing of the build stays. The "kernel"
# build folder has a Makefile whose modules target runs a sub-make that
# runs a long sleep, the way make, sub-makes and cc1 form a tree.
marker="1000.$$"
# A pattern that matches the sleep but not a command line that holds it.
pattern="sleep 1000[.]$$"
mkdir -p "$T/k2/scripts/mod" "$T/q/modules/m"
printf '#!/bin/sh\n' > "$T/k2/scripts/mod/modpost" && chmod +x "$T/k2/scripts/mod/modpost"
printf 'modules:\n\t$(MAKE) -f $(CURDIR)/sub.mk\n' > "$T/k2/Makefile"
printf 'all:\n\tsleep %s; true\n' "$marker" > "$T/k2/sub.mk"
printf 'obj-m += m.o\n' > "$T/q/modules/m/Kbuild"
"$KWB" init "$T/q" >/dev/null 2>&1 &&
  "$KWB" set "$T/q" kernel.build-dir "$T/k2" >/dev/null &&
  "$KWB" set "$T/q" modules.projects modules/m >/dev/null || { echo "Bail out! cannot make the module project"; exit 1; }
"$KWB" module build "$T/q" >"$T/out" 2>"$T/err" &
kwb_pid=$!
# Wait (bounded) for the build's deepest process to exist.
i=0
while ! pgrep -f "$pattern" >/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
check "the build's sleep runs under make and a sub-make" sh -c "pgrep -f '$pattern' >/dev/null"
kill -9 "$kwb_pid"
wait "$kwb_pid" 2>/dev/null
i=0
while pgrep -f "$pattern" >/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done
check "5 s after SIGKILL of kwb, no process of its build is left" sh -c "! pgrep -f '$pattern' >/dev/null"
pkill -9 -f "$pattern" 2>/dev/null

tap_done
