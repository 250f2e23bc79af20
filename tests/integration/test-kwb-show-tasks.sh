#!/bin/sh
# test-kwb-show-tasks.sh — kwb debug --show tasks on a fixture kernel, as a user runs it.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Arguments: the kwb binary and the kernel (6.1: KWB_FIXTURE_VMLINUX's
# build, 6.12: KWB_FIXTURE_612_PROJECT's); needs KWB_FIXTURE_INITRAMFS.
# The shell leaves a sleep in the background and calls sync, where a
# breakpoint stops it. The table must list what the kernel's own lx-ps,
# run at the same stop with --exec, lists (same PIDs and names), mark sync
# current, show the sleep sleeping; --json must say the same in objects.
kwb=${1:?usage: test-kwb-show-tasks.sh KWB [6.1|6.12]}
kernel=${2:-6.1}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set: run build-aux/test}
if [ "$kernel" = 6.12 ]; then
  build="${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}/build/kernel"
else
  build=$(dirname "${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}")
fi
. "$(dirname "$0")/../cli/tap-lib.sh"

"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$build" &&
  "$kwb" set "$tmp/p" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }

# The foreground sleep lets the background one go to sleep first.
send='sleep 1000 & sleep 1; sync\n'

"$kwb" debug "$tmp/p" --break __do_sys_sync --console-send "$send" --show tasks --exec lx-ps \
  --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--show tasks exits 0 ($kernel)" [ $rc -eq 0 ]
check "a table with ps's columns" grep -Eq '^ +PID +TGID CPU ST COMM$' "$tmp/out"
check "sync is the current task, running" grep -Eq '^\* +[0-9]+ +[0-9]+ +[0-9]+ R  sync$' "$tmp/out"
check "PID 1 is there, sleeping" grep -Eq '^  +1 +1 +[0-9]+ S  ' "$tmp/out"
check "the background sleep sleeps" grep -Eq '^  +[0-9]+ +[0-9]+ +[0-9]+ S  (sleep|exe)$' "$tmp/out"
check "kernel threads are listed" grep -Eq ' kthreadd$' "$tmp/out"
check "the same PIDs and names as lx-ps, in the same order" python3 -c '
import re, sys
ours, theirs = [], []
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    line = line.rstrip("\n")
    m = re.match(r"^[ *] +(\d+) +\d+ +(\d+) (\S)  (.*)$", line)
    if m:
        pid, cpu, comm = int(m.group(1)), int(m.group(2)), m.group(4)
        # The idle tasks of the other CPUs are on no task list: lx-ps has none of them.
        if not (pid == 0 and cpu != 0 and comm.startswith("swapper/")):
            ours.append((pid, comm))
        continue
    m = re.match(r"^0x[0-9a-f]+ +(\d+) +(.*)$", line)
    if m:
        theirs.append((int(m.group(1)), m.group(2).strip()))
assert len(theirs) >= 10, theirs
assert ours == theirs, (ours, theirs)
' "$tmp/out"
tasks_at=$(grep -n ' kthreadd$' "$tmp/out" | head -n 1 | cut -d: -f1)
lx_at=$(grep -n '^0x' "$tmp/out" | head -n 1 | cut -d: -f1)
check "the table comes before the --exec output of the same stop" [ "${tasks_at:-9999}" -lt "${lx_at:-0}" ]

"$kwb" debug "$tmp/p" --break __do_sys_sync --console-send "$send" --show tasks --exec lx-ps --json \
  --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--show tasks --json exits 0" [ $rc -eq 0 ]
check "every task is a JSON object; one current per CPU; the same tasks as lx-ps" python3 -c '
import json, re, sys
tasks, lx = [], []
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    o = json.loads(line)
    if o["event"] == "task":
        assert set(o) == {"event", "pid", "tgid", "comm", "state", "state_name", "cpu", "on_cpu",
                          "current", "kernel_thread", "address"}, o
        assert o["state"] in "RSDTtXZPI" and len(o["state"]) == 1, o
        assert re.fullmatch(r"0x[0-9a-f]{16}", o["address"]), o
        tasks.append(o)
    elif o["event"] == "exec":
        for l in o["output"].splitlines():
            m = re.match(r"^(0x[0-9a-f]+) +(\d+) +(.*)$", l)
            if m:
                lx.append((m.group(1), int(m.group(2)), m.group(3).strip()))
current = [t for t in tasks if t["current"]]
cpus = {t["cpu"] for t in current}
assert len(current) == len(cpus) >= 1, current
assert any(t["comm"] == "sync" and t["state"] == "R" and t["on_cpu"] for t in current), current
sleeping = [t for t in tasks if t["comm"] in ("sleep", "exe") and t["state"] == "S"]
assert sleeping and sleeping[0]["state_name"] == "sleeping" and not sleeping[0]["kernel_thread"], tasks
assert any(t["comm"] == "kthreadd" and t["kernel_thread"] for t in tasks)
ours = [(t["address"], t["pid"], t["comm"]) for t in tasks
        if not (t["pid"] == 0 and t["cpu"] != 0 and t["comm"].startswith("swapper/"))]
assert ours == lx, (ours, lx)
' "$tmp/out"

"$kwb" debug "$tmp/p" --show tasks:all >"$tmp/out" 2>"$tmp/err"; rc=$?
check "tasks takes no argument (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--show tasks takes no argument' '$tmp/err'"
"$kwb" debug "$tmp/p" --show task >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a misspelt view is a usage error naming the known ones" sh -c "[ $rc -eq 2 ] && grep -q 'unknown view “task”.*tasks' '$tmp/err'"
check "a usage error starts no VM" sh -c "! grep -q 'QEMU started' '$tmp/err'"

tap_done
