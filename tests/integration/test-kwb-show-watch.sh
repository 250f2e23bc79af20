#!/bin/sh
# test-kwb-show-watch.sh — kwb debug --show watch:EXPR and percpu:VAR on both fixture kernels, as a user runs them.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_PROJECT, KWB_FIXTURE_612_PROJECT
# and KWB_FIXTURE_INITRAMFS. The shell calls sync twice; a breakpoint in sync
# stops it each time. At each stop the watched values print as an indented
# tree (text) or one event per value (JSON); jiffies is marked changed at
# the second stop, init_task's pid never; this_cpu_off shows one copy per
# possible CPU (nr_cpu_ids of them, as GDB prints it at the same stop: the
# two the project boots), CPU 0's being __per_cpu_offset[0].
kwb=${1:?usage: test-kwb-show-watch.sh KWB}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set: run build-aux/test}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 30 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

send='sync; sleep 1; sync\n'

for kernel in 6.1 6.12; do
  if [ $kernel = 6.1 ]; then fixture=${KWB_FIXTURE_PROJECT:?KWB_FIXTURE_PROJECT is not set}
  else fixture=${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set}; fi
  p="$tmp/p-$kernel"
  "$kwb" init "$p" >/dev/null 2>&1 &&
    "$kwb" set "$p" kernel.build-dir "$fixture/build/kernel" &&
    "$kwb" set "$p" initramfs.output "$initramfs" &&
    "$kwb" set "$p" qemu.accel tcg &&
    "$kwb" set "$p" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }

  "$kwb" debug "$p" --break __do_sys_sync --console-send "$send" --show watch:jiffies --show watch:init_task.pid \
    --show watch:init_task.se --show percpu:this_cpu_off --exec 'p jiffies' --exec 'p nr_cpu_ids' --exec 'p __per_cpu_offset[0]' \
    --continue 1 \
    --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$kernel: --show watch/percpu exits 0" [ $rc -eq 0 ]
  sed -n '/^stopped: /{x;s/^/x/;x};x;/^x$/{x;p;d};x' "$tmp/out" >"$tmp/first"
  sed -n '/^stopped: /{x;s/^/x/;x};x;/^xx$/{x;p;d};x' "$tmp/out" >"$tmp/second"
  ours=$(sed -n 's/^  jiffies = \([0-9]*\)  (.*unsigned long)$/\1/p' "$tmp/first")
  gdbs=$(sed -n 's/^\$1 = \([0-9]*\)$/\1/p' "$tmp/first")
  check "$kernel: jiffies at the first stop is what GDB prints, unmarked" sh -c "[ -n '$ours' ] && [ '$ours' = '$gdbs' ]"
  check "$kernel: at the second stop jiffies is marked changed" grep -Eq '^\* jiffies = [0-9]+  \(' "$tmp/second"
  check "$kernel: init_task.pid is 0 and unchanged at both stops" \
    sh -c "[ \$(grep -c '^  init_task.pid = 0  (pid_t)$' '$tmp/out') -eq 2 ]"
  check "$kernel: a struct prints two levels, indented" sh -c "grep -q '^  init_task.se = {...}  (struct sched_entity)$' '$tmp/first' &&
    grep -Eq '^    load = \{\.\.\.\}  \(struct load_weight\)$' '$tmp/first' && grep -Eq '^      weight = [0-9]+  \(' '$tmp/first'"
  ncpus=$(sed -n 's/^\$2 = \([0-9]*\)$/\1/p' "$tmp/first")
  if [ "${ncpus:-0}" -eq 1 ]; then word=CPU; else word=CPUs; fi
  offset0=$(sed -n 's/^\$3 = \([0-9]*\)$/\1/p' "$tmp/first")
  percpu_ok=$(grep -c "^  this_cpu_off = ${ncpus:-x} $word  (unsigned long)\$" "$tmp/first")
  grep -q "^    CPU 0 = ${offset0:-x}  (unsigned long)\$" "$tmp/first" || percpu_ok=0
  [ "$(grep -c '^    CPU [0-9]* = [1-9][0-9]*  (unsigned long)$' "$tmp/first")" = "${ncpus:-x}" ] || percpu_ok=0
  echo "# $kernel: ${ncpus:-?} possible CPUs"
  [ $kernel = 6.1 ] && check "$kernel: the guest has 2 possible CPUs" [ "${ncpus:-0}" = 2 ]
  check "$kernel: a per-CPU variable prints once per possible CPU, with its value there" [ "$percpu_ok" = 1 ]

  "$kwb" debug "$p" --break __do_sys_sync --console-send "$send" --show watch:jiffies --show percpu:this_cpu_off \
    --continue 1 --json --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$kernel: --json exits 0" [ $rc -eq 0 ]
  check "$kernel: one JSON event per value, with its path" python3 -c '
import json, sys
stops, values = 0, {}
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    if o["event"] == "stopped":
        stops += 1
    if o["event"] not in ("watch", "percpu"):
        continue
    assert set(o) == {"event", "path", "depth", "name", "type", "value", "changed", "error"}, o
    assert o["path"].split("/")[-1] == o["name"] and o["path"].count("/") == o["depth"], o
    values[(stops, o["event"], o["path"])] = o
cpus = [k for k in values if k[0] == 1 and k[2].startswith("this_cpu_off/CPU ")]
assert len(cpus) == int(sys.argv[2]), cpus
for n in range(int(sys.argv[2])):
    assert int(values[(1, "percpu", "this_cpu_off/CPU %d" % n)]["value"]) != 0
    assert values[(1, "percpu", "this_cpu_off/CPU %d" % n)]["depth"] == 1
    assert not values[(2, "percpu", "this_cpu_off/CPU %d" % n)]["changed"]
assert values[(1, "percpu", "this_cpu_off/CPU 0")]["value"] == sys.argv[3]
assert values[(1, "percpu", "this_cpu_off")]["depth"] == 0
assert not values[(1, "watch", "jiffies")]["changed"]
assert values[(2, "watch", "jiffies")]["changed"]
' "$tmp/out" "${ncpus:-0}" "${offset0:-x}"
done

"$kwb" debug "$p" --show watch >"$tmp/out" 2>"$tmp/err"; rc=$?
check "watch needs an expression (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--show watch needs an argument: --show watch:EXPR' '$tmp/err'"
"$kwb" debug "$p" --show percpu: >"$tmp/out" 2>"$tmp/err"; rc=$?
check "percpu needs a variable (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--show percpu needs an argument: --show percpu:VAR' '$tmp/err'"
check "a usage error starts no VM" sh -c "! grep -q 'QEMU started' '$tmp/err'"

echo "1..$n"
[ $fails -eq 0 ]
