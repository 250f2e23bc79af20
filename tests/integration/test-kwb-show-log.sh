#!/bin/sh
# test-kwb-show-log.sh — kwb debug --show log on the fixture kernel, as a user runs it.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_VMLINUX and KWB_FIXTURE_INITRAMFS.
# The shell writes a marker to /dev/kmsg and calls sync twice; a breakpoint in
# sync stops it each time. The log lines come at the first stop (with the
# kernel's banner and the marker) and only the new ones at the second.
kwb=${1:?usage: test-kwb-show-log.sh KWB}
vmlinux=${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 30 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$(dirname "$vmlinux")" &&
  "$kwb" set "$tmp/p" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }

send='echo kwb-marker > /dev/kmsg; sync; echo kwb-second > /dev/kmsg; sync\n'

"$kwb" debug "$tmp/p" --break __do_sys_sync --console-send "$send" --show log --exec 'p 6*7' --continue 1 \
  --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--show log exits 0" [ $rc -eq 0 ]
marker_at=$(grep -n 'kwb-marker$' "$tmp/out" | head -n 1 | cut -d: -f1)
exec_at=$(grep -n '^\$1 = 42$' "$tmp/out" | head -n 1 | cut -d: -f1)
check "the log comes before the --exec output of the same stop" [ "${marker_at:-9999}" -lt "${exec_at:-0}" ]
# The lines between the first and the second stop, and after the second.
sed -n '/^stopped: /{x;s/^/x/;x};x;/^x$/{x;p;d};x' "$tmp/out" >"$tmp/first"
sed -n '/^stopped: /{x;s/^/x/;x};x;/^xx$/{x;p;d};x' "$tmp/out" >"$tmp/second"
check "the first stop prints the kernel's banner" grep -Eq '^\[ +0\.[0-9]{6}\] <5> Linux version ' "$tmp/first"
check "and the marker at /dev/kmsg's level 4" grep -Eq '^\[ +[0-9]+\.[0-9]{6}\] <4> kwb-marker$' "$tmp/first"
check "the second stop prints the line written after the first" grep -Eq '^\[ +[0-9]+\.[0-9]{6}\] <4> kwb-second$' "$tmp/second"
check "but neither the banner nor the marker again" sh -c "! grep -Eq 'Linux version|kwb-marker' '$tmp/second'"

"$kwb" debug "$tmp/p" --break __do_sys_sync --console-send "$send" --show log --continue 1 --json --timeout 240 \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--show log --json exits 0" [ $rc -eq 0 ]
check "every log record is a JSON object with seq, level, time_ns, text and new" python3 -c '
import json, sys
stops, seen, last = 0, {}, -1
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    o = json.loads(line)
    if o["event"] == "stopped":
        stops += 1
    if o["event"] != "log":
        continue
    assert set(o) == {"event", "seq", "level", "time_ns", "text", "new"}, o
    assert o["new"] is True and 0 <= o["level"] <= 7 and o["seq"] > last, o
    last = o["seq"]
    seen[o["text"]] = stops
assert seen.get("kwb-marker") == 1 and seen.get("kwb-second") == 2, seen
assert any(t.startswith("Linux version ") and s == 1 for t, s in seen.items())
' "$tmp/out"

# Before any console exists (setup_log_buf runs long before the serial
# console registers): the log is read from memory all the same.
"$kwb" debug "$tmp/p" --break setup_log_buf --show log --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a stop before the console: exit 0" [ $rc -eq 0 ]
check "the console has printed nothing of the kernel's yet" sh -c "! grep -q 'Linux version' '$tmp/err'"
check "but --show log prints the banner from memory" grep -Eq '^\[ +0\.000000\] <5> Linux version ' "$tmp/out"

"$kwb" debug "$tmp/p" --show nosuchview >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unknown view is a usage error (exit 2) naming it" sh -c "[ $rc -eq 2 ] && grep -q 'unknown view “nosuchview”' '$tmp/err'"
"$kwb" debug "$tmp/p" --show log:all >"$tmp/out" 2>"$tmp/err"; rc=$?
check "log takes no argument (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--show log takes no argument' '$tmp/err'"
check "a usage error starts no VM" sh -c "! grep -q 'QEMU started' '$tmp/err'"

echo "1..$n"
[ $fails -eq 0 ]
