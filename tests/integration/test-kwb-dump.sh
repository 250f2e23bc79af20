#!/bin/sh
# test-kwb-dump.sh — kwb debug --dump on a fixture kernel, read back by crash and drgn.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Arguments: the kwb binary and the kernel (6.1: KWB_FIXTURE_VMLINUX's
# build, 6.12: KWB_FIXTURE_612_PROJECT's); needs KWB_FIXTURE_INITRAMFS, and
# crash and python3-drgn (build-aux/install-deps test).
# The dump is written at the first stop in __do_sys_newuname, so a real
# task is inside a system call in it: the boot script (rcS) calls uname
# before the prompt, and the uname typed at the prompt would do otherwise.
kwb=${1:?usage: test-kwb-dump.sh KWB [6.1|6.12]}
kernel=${2:-6.1}
# Absolute: the dump is written from another directory.
case $kwb in /*) ;; *) kwb="$(pwd)/$kwb" ;; esac
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set: run build-aux/test}
if [ "$kernel" = 6.12 ]; then
  build="${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}/build/kernel"
else
  build=$(dirname "${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}")
fi
vmlinux="$build/vmlinux"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err" "$tmp/tool"; do [ -f "$f" ] && tail -n 30 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$build" &&
  "$kwb" set "$tmp/p" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }

# A relative --dump is relative to the current directory.
mkdir "$tmp/here"
(cd "$tmp/here" && "$kwb" debug "$tmp/p" --break __do_sys_newuname --console-send 'uname -a\n' --dump vmcore \
  --exec 'p 6*7' --timeout 240 >"$tmp/out" 2>"$tmp/err"); rc=$?
dump="$tmp/here/vmcore"
check "--dump exits 0" [ $rc -eq 0 ]
want_id=$(readelf -n "$vmlinux" | sed -n 's/^ *Build ID: *//p')
check "the last line names the file, its size and vmlinux's build-id" \
  grep -Eq "^dump: $dump \([0-9]+ MiB, build-id $want_id\)$" "$tmp/out"
dump_at=$(grep -n '^dump: ' "$tmp/out" | head -n 1 | cut -d: -f1)
exec_at=$(grep -n '^\$1 = 42$' "$tmp/out" | head -n 1 | cut -d: -f1)
check "the dump comes before the --exec output of the stop" [ "${dump_at:-9999}" -lt "${exec_at:-0}" ]
check "progress on stderr up to 100%" grep -Eq '^dump: 100% \([0-9]+ of [0-9]+ MiB\)' "$tmp/err"
check "no temporary file is left beside it" sh -c "[ -z \"\$(ls -A '$tmp/here' | grep -v '^vmcore\$' | grep -v '^vmcore.build-id\$')\" ]"
size=$(stat -c %s "$dump" 2>/dev/null || echo 0)
secs=$(sed -n 's/^dump: written in \([0-9.]*\) s$/\1/p' "$tmp/err")
echo "# dump: $((size / 1048576)) MiB in ${secs:-?} s ($kernel)"

check "the file is a 64-bit ELF core (e_type ET_CORE)" python3 -c '
import struct, sys
h = open(sys.argv[1], "rb").read(18)
assert h[:4] == b"\x7fELF" and h[4] == 2, h
assert struct.unpack_from("<H", h, 16)[0] == 4, h
' "$dump"
check "FILE.build-id holds vmlinux's build-id" [ "$(cat "$dump.build-id")" = "$want_id" ]

# drgn: the kernel's first task, and the stack of each CPU's task: the one
# in uname unwinds from its CPU's registers at the stop.
cat >"$tmp/drgn.py" <<'PY'
from drgn.helpers.linux.cpumask import for_each_online_cpu
from drgn.helpers.linux.percpu import per_cpu
print("init_task.comm", prog["init_task"].comm.string_().decode())
for cpu in for_each_online_cpu(prog):
    task = per_cpu(prog["runqueues"], cpu).curr
    names = " ".join(frame.name or "?" for frame in prog.stack_trace(task))
    print("cpu", cpu, task.comm.string_().decode(), names)
PY
drgn -q -c "$dump" -s "$vmlinux" "$tmp/drgn.py" >"$tmp/tool" 2>&1
check "drgn reads init_task.comm: swapper/0" grep -qx 'init_task.comm swapper/0' "$tmp/tool"
check "drgn unwinds the running task from __do_sys_newuname to do_syscall_64" \
  grep -Eq '^cpu [0-9]+ [^ ]+ __do_sys_newuname .*do_syscall_64' "$tmp/tool"
sed -n 's/^cpu /# drgn: cpu /p' "$tmp/tool"

# crash: the kernel's banner read from the dump, and the active tasks'
# backtraces (bt -a), one of them the task stopped in the system call. Both
# fixture kernels use a slab allocator crash 8.0.2 does not read (SLOB,
# SLUB_TINY): --no_kmem_cache. crash 8.0.2 predates Linux 6.2, which moved
# each CPU's current task into struct pcpu_hot: on 6.12's dumps its own
# start-up reads a stack at 0 and, depending on the guest's memory, corrupts
# its heap and aborts. It is asked about the 6.1 dump only (README says
# which kernels it reads); drgn reads both above.
if [ "$kernel" = 6.1 ]; then
  printf 'p linux_banner\nbt -a\nquit\n' >"$tmp/crash.cmd"
  crash -s --no_kmem_cache "$vmlinux" "$dump" -i "$tmp/crash.cmd" >"$tmp/tool" 2>&1
  check "crash opens the dump and reads the kernel's banner from it" \
    grep -Eq "^linux_banner = .*\"Linux version $kernel\." "$tmp/tool"
  check "crash's bt -a starts the stopped task at the breakpoint, from the dump's registers" \
    grep -q '^ *\[exception RIP: __do_sys_newuname\]' "$tmp/tool"
  check "and unwinds it to the system call's entry" \
    grep -Eq '^ *#[0-9]+ \[[0-9a-f]+\] entry_SYSCALL_64' "$tmp/tool"
  check "crash's bt -a reads every stack" sh -c "! grep -q 'invalid size request' '$tmp/tool'"
else
  echo "# crash 8.0.2 predates Linux 6.2: not asked about this $kernel dump"
fi

# --json: one "dump" line with the absolute path, the size and the build-id.
"$kwb" debug "$tmp/p" --break __do_sys_newuname --console-send 'uname -a\n' --dump "$tmp/j/core" --json \
  --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--dump --json exits 0 and makes the missing folder" sh -c "[ $rc -eq 0 ] && [ -f '$tmp/j/core' ]"
check "--json prints a dump line" python3 -c '
import json, os, sys
dumps = [o for o in map(json.loads, open(sys.argv[1])) if o["event"] == "dump"]
assert len(dumps) == 1, dumps
d = dumps[0]
assert d["path"] == sys.argv[2] and d["size"] == os.path.getsize(sys.argv[2]), d
assert d["build_id"] == sys.argv[3] and d["milliseconds"] >= 0, d
' "$tmp/out" "$tmp/j/core" "$want_id"
rm -f "$tmp/j/core"

# A folder that cannot be made: the stop still prints, kwb says why and exits 1.
"$kwb" debug "$tmp/p" --break __do_sys_newuname --console-send 'uname -a\n' --dump /proc/kwb-no/vmcore \
  --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unwritable --dump exits 1" [ $rc -eq 1 ]
check "and says which folder it could not make" grep -q '^kwb: --dump: Cannot make the folder /proc/kwb-no for the memory dump' "$tmp/err"
check "after printing the stop" grep -q '^stopped: __do_sys_newuname ' "$tmp/out"

"$kwb" debug "$tmp/p" --dump '' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an empty --dump is a usage error (exit 2) that starts no VM" \
  sh -c "[ $rc -eq 2 ] && grep -q -- '--dump takes a file name' '$tmp/err' && ! grep -q 'QEMU started' '$tmp/err'"

echo "1..$n"
[ $fails -eq 0 ]
