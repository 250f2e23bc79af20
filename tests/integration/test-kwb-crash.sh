#!/bin/sh
# test-kwb-crash.sh — kwb debug when the guest crashes, on a fixture kernel, as a user runs it.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Arguments: the kwb binary and the kernel (6.1: KWB_FIXTURE_VMLINUX's
# build, 6.12: KWB_FIXTURE_612_PROJECT's, arm64: KWB_FIXTURE_ARM64_PROJECT's,
# with its own BusyBox).
# A module project (tests/data/modules/kwb_crash_mod) crashes on request when
# a word is written to /proc/kwb_crash. Each crash must stop at the module's
# own source line with what the kernel said: a NULL write as "oops:", BUG()
# as "BUG:", panic() as "panic:", WARN() as "warning:" when the project asks
# for warnings; --json gives the report and the frames. A --break on the
# module's function, set before the module is loaded, must hit.
kwb=${1:?usage: test-kwb-crash.sh KWB [6.1|6.12|arm64]}
kernel=${2:-6.1}
arch=x86_64
# What the kernel prints first for a NULL write, and what its report holds
# at the stop (arm64 stops in die(), before the register dump and trace).
headline='BUG: kernel NULL pointer dereference'
report_has='RIP: 0010:kwb_crash_store|Call Trace:'
if [ "$kernel" = 6.12 ]; then
  build="${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}/build/kernel"
elif [ "$kernel" = arm64 ]; then
  fixture=${KWB_FIXTURE_ARM64_PROJECT:?KWB_FIXTURE_ARM64_PROJECT is not set: run build-aux/test}
  build=$fixture/build/kernel
  arch=arm64
  headline='Unable to handle kernel NULL pointer dereference'
  report_has='Mem abort info:'
else
  build=$(dirname "${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}")
fi
src=${KWB_SOURCE_ROOT:?KWB_SOURCE_ROOT is not set}/tests/data/modules/kwb_crash_mod
. "$(dirname "$0")/../cli/tap-lib.sh"

"$kwb" init --arch "$arch" "$tmp/p" >/dev/null 2>&1 &&
  if [ "$arch" = arm64 ]; then
    "$kwb" set "$tmp/p" busybox.source binary &&
      "$kwb" set "$tmp/p" busybox.binary "$fixture/build/busybox/staging/bin/busybox"
  fi &&
  "$kwb" set "$tmp/p" kernel.build-dir "$build" &&
  "$kwb" set "$tmp/p" modules.projects "$src" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 256 &&
  "$kwb" set "$tmp/p" debug.break-at-start false &&
  "$kwb" set "$tmp/p" qemu.freeze false &&
  "$kwb" module build "$tmp/p" >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log" | sed 's/^/# /'; echo "Bail out! cannot make the test project"; exit 1; }

file="$src/kwb_crash_mod.c"
line_of() { grep -n "KWB-LINE: $1 \*/" "$file" | cut -d: -f1; }
crash() { printf 'insmod /lib/modules/$(uname -r)/kwb_crash_mod.ko; echo %s > /proc/kwb_crash\\n' "$1"; }

# A NULL pointer write, with a breakpoint in the module set before it is loaded.
"$kwb" debug "$tmp/p" --break kwb_crash_write --continue 1 --console-send "$(crash null)" \
  --exec 'info frame' --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an oops: exit 0 ($kernel)" [ $rc -eq 0 ]
check "the breakpoint in the module waited for it, and hit" \
  sh -c "grep -q 'pending' '$tmp/err' && grep -q '^stopped: kwb_crash_write at $file:' '$tmp/out'"
check "oops: the faulting function at the module's own line" \
  grep -qx "oops: kwb_crash_store at $file:$(line_of store)" "$tmp/out"
check "with the kernel's headline" grep -q "^  $headline" "$tmp/out"
check "and the source line" grep -q "KWB-LINE: store" "$tmp/out"
check "GDB is in the faulting frame (--exec runs there)" grep -q 'in kwb_crash_store (' "$tmp/out"

# --json: the report and the frames, the faulting one first.
"$kwb" debug "$tmp/p" --json --console-send "$(crash null)" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--json: exit 0" [ $rc -eq 0 ]
check "--json: a crash event with the report and the frames" python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
crash = [e for e in events if e.get("event") == "crash"]
assert len(crash) == 1, crash
c = crash[0]
assert c["kind"] == "oops", c["kind"]
assert c["func"] == "kwb_crash_store" and c["file"] == sys.argv[2] and c["line"] == int(sys.argv[3]), c
assert c["title"].startswith(sys.argv[4]), c["title"]
assert all(part in c["text"] for part in sys.argv[5].split("|")), c["text"]
names = [f["func"] for f in c["frames"]]
assert names[:2] == ["kwb_crash_store", "kwb_crash_write"], names
assert c["frames"][1]["file"] == sys.argv[2], c["frames"][1]
' "$tmp/out" "$file" "$(line_of store)" "$headline" "$report_has"

# BUG(): the same stop, as a BUG.
"$kwb" debug "$tmp/p" --console-send "$(crash bug)" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "BUG(): exit 0" [ $rc -eq 0 ]
check "BUG: at the BUG() line" grep -qx "BUG: kwb_crash_write at $file:$(line_of bug)" "$tmp/out"
check "with kernel BUG at FILE:LINE" grep -q "^  kernel BUG at .*kwb_crash_mod.c:$(line_of bug)!" "$tmp/out"

# panic(): stopped where it was called, with the formatted message.
"$kwb" debug "$tmp/p" --console-send "$(crash panic)" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "panic(): exit 0" [ $rc -eq 0 ]
check "panic: at the caller's line" grep -qx "panic: kwb_crash_write at $file:$(line_of panic)" "$tmp/out"
check "with the formatted message" grep -qx '  Kernel panic - not syncing: kwb_crash_mod: a panic on request (42)' "$tmp/out"

# The panicked guest's memory, read by Debian's crash: its bt is the panic
# task's, from the dump's registers. crash 8.0.2 reads x86-64 6.1 kernels
# (6.12 moved the per-CPU current task where it does not look, arm64 dumps
# are drgn's).
if [ "$kernel" = 6.1 ]; then
  "$kwb" debug "$tmp/p" --console-send "$(crash panic)" --dump "$tmp/panic.core" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "panic() with --dump: exit 0" [ $rc -eq 0 ]
  printf 'bt\nquit\n' >"$tmp/crash.cmd"
  command crash -s --no_kmem_cache "$build/vmlinux" "$tmp/panic.core" -i "$tmp/crash.cmd" >"$tmp/tool" 2>&1
  before=$fails
  check "crash's bt is the panic task's, stopped in panic()" grep -q '^ *\[exception RIP: panic\]' "$tmp/tool"
  check "called from the write to /proc/kwb_crash" grep -Eq '^ *#[0-9]+ \[[0-9a-f]+\] (proc_reg_write|vfs_write) at ' "$tmp/tool"
  [ $fails -eq $before ] || tail -n 30 "$tmp/tool" | sed 's/^/# crash: /'
fi

# WARN(): only when asked for; the kernel carries on after it.
"$kwb" set "$tmp/p" debug.stop-on-warn true >/dev/null
"$kwb" debug "$tmp/p" --console-send "$(crash warn)" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "WARN(): exit 0" [ $rc -eq 0 ]
check "warning: at the WARN() line" grep -qx "warning: kwb_crash_write at $file:$(line_of warn)" "$tmp/out"
check "with its message" grep -q '^  WARNING: kwb_crash_mod: a warning on request' "$tmp/out"

tap_done
