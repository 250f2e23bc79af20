#!/bin/sh
# test-kwb-show-mem.sh — kwb debug --show mem:ADDR[,LEN] on both fixture kernels, as a user runs it.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_VMLINUX, KWB_FIXTURE_612_PROJECT
# and KWB_FIXTURE_INITRAMFS. The shell calls sync, changes the host name and
# calls sync again; a breakpoint in sync stops it each time. The banner's
# bytes must be the ones GDB's x/32xb prints in the same run, and at the
# second stop the node name's changed bytes must be listed.
kwb=${1:?usage: test-kwb-show-mem.sh KWB}
vmlinux=${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}
project612=${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set}
. "$(dirname "$0")/../cli/tap-lib.sh"

# A project's kernel build folder (the key may be relative to the project).
build_dir() {
  d=$(sed -n '/^\[kernel\]/,/^\[/s/^build-dir=//p' "$1/kernel-workbench.ini")
  case $d in /*) echo "$d" ;; *) echo "$1/$d" ;; esac
}

make_project() {
  "$kwb" init "$1" >/dev/null 2>&1 &&
    "$kwb" set "$1" kernel.build-dir "$2" &&
    "$kwb" set "$1" initramfs.output "$initramfs" &&
    "$kwb" set "$1" qemu.accel tcg &&
    "$kwb" set "$1" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }
}

send='sync; hostname kwbtest; sync\n'

for kernel in 6.1 6.12; do
  p=$tmp/p-$kernel
  if [ $kernel = 6.1 ]; then make_project "$p" "$(dirname "$vmlinux")"; else make_project "$p" "$(build_dir "$project612")"; fi

  "$kwb" debug "$p" --break __do_sys_sync --console-send "$send" --show 'mem:&linux_banner,32' \
    --show 'mem:init_uts_ns.name.nodename, 16' --exec 'x/32xb &linux_banner' --continue 1 \
    --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$kernel: --show mem exits 0" [ $rc -eq 0 ]
  check "$kernel: a header names the expression, its address and the length" \
    grep -Eq '^memory: &linux_banner = 0x[0-9a-f]{16}, 32 bytes$' "$tmp/out"
  check "$kernel: the dump shows the banner as text" grep -Eq '^[0-9a-f]{16}  4c 69 6e 75 78 20 .*\|Linux ve' "$tmp/out"
  check "$kernel: the dump's bytes are the ones x/32xb prints" python3 -c '
import re, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
i = next(i for i, l in enumerate(lines) if l.startswith("memory: &linux_banner = "))
address = int(lines[i].split(" = ")[1].split(",")[0], 16)
dump = lines[i + 1:i + 3]
assert int(dump[0][:16], 16) == address and int(dump[1][:16], 16) == address + 16, dump
ours = bytes.fromhex(" ".join(l[18:66] for l in dump))
# The x/32xb of the same stop (each stop prints one).
theirs = bytes(int(w, 16) for l in lines[i:] if "<linux_banner" in l for w in l.split(":", 1)[1].split())[:32]
assert len(ours) == 32 and ours == theirs, (ours, theirs)
assert ours.startswith(b"Linux version "), ours
' "$tmp/out"
  # The lines of the second stop.
  sed -n '/^stopped: /{x;s/^/x/;x};x;/^xx$/{x;p;d};x' "$tmp/out" >"$tmp/second"
  check "$kernel: the second stop shows the new host name" grep -Eq '\|kwbtest\.' "$tmp/second"
  check "$kernel: and lists its changed bytes" grep -Eq '^changed: \+0x0' "$tmp/second"
  sed -n '/^stopped: /{x;s/^/x/;x};x;/^x$/{x;p;d};x' "$tmp/out" >"$tmp/first"
  check "$kernel: the first stop lists no change" sh -c "grep -q '^memory: ' '$tmp/first' && ! grep -q '^changed:' '$tmp/first'"

  "$kwb" debug "$p" --break __do_sys_sync --console-send "$send" --show 'mem:init_uts_ns.name.nodename,16' \
    --show 'mem:$rsp,64' --continue 1 --json --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$kernel: --show mem --json exits 0" [ $rc -eq 0 ]
  check "$kernel: each view is a JSON object with the bytes, their changes and what is unreadable" python3 -c '
import json, sys
stops, views = 0, []
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["event"] == "stopped":
        stops += 1
    if o["event"] != "memory":
        continue
    assert set(o) == {"event", "expression", "address", "length", "bytes", "changed", "unreadable"}, o
    data = bytes.fromhex(o["bytes"])
    assert len(data) == o["length"] and o["unreadable"] == [] and int(o["address"], 16) > 0, o
    views.append((stops, o["expression"], data, o["changed"]))
node = [v for v in views if v[1] == "init_uts_ns.name.nodename"]
stack = [v for v in views if v[1] == "$rsp"]
assert [v[0] for v in node] == [1, 2] and [v[0] for v in stack] == [1, 2], views
assert node[0][3] == [], node
assert node[1][2].startswith(b"kwbtest\0"), node
assert node[1][3] == [i for i in range(16) if node[0][2][i] != node[1][2][i]] != [], node
' "$tmp/out"
done

# An unmapped address: an error that says so, for that view only.
"$kwb" debug "$tmp/p-6.1" --show mem:0x10 --show 'mem:&linux_banner,16' --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unmapped address fails the run (exit 1), no crash" [ $rc -eq 1 ]
check "with a message naming the view and the address" grep -q -- '--show mem:0x10: Cannot read guest memory from 0x10 ' "$tmp/err"
check "the next view is printed all the same" grep -Eq '\|Linux version' "$tmp/out"

"$kwb" debug "$tmp/p-6.1" --show mem >"$tmp/out" 2>"$tmp/err"; rc=$?
check "mem needs an argument (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--show mem needs an argument: --show mem:ADDR\[,LEN\]' '$tmp/err'"
"$kwb" debug "$tmp/p-6.1" --show 'mem:&linux_banner,0' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a zero length is a usage error (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q '“0” is not a length' '$tmp/err'"
"$kwb" debug "$tmp/p-6.1" --show 'mem:&linux_banner,65537' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "so is one above 64 KiB" sh -c "[ $rc -eq 2 ] && grep -q '“65537” is not a length' '$tmp/err'"
"$kwb" debug "$tmp/p-6.1" --show 'mem:container_of(p, struct task_struct, tasks),lots' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "the length follows the last comma outside brackets" sh -c "[ $rc -eq 2 ] && grep -q '“lots” is not a length' '$tmp/err'"
"$kwb" debug "$tmp/p-6.1" --show 'mem:,16' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a length without an address is a usage error" sh -c "[ $rc -eq 2 ] && grep -q 'No address or expression' '$tmp/err'"
check "a usage error starts no VM" sh -c "! grep -q 'QEMU started' '$tmp/err'"

tap_done
