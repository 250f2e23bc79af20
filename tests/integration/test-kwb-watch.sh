#!/bin/sh
# test-kwb-watch.sh — kwb debug --watch and --hbreak on both fixture kernels, as a user runs them.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_VMLINUX, KWB_FIXTURE_612_PROJECT
# and KWB_FIXTURE_INITRAMFS. The watchpoint on jiffies is set before the kernel
# runs, so its first old value is GDB's "<unreadable>"; the timer tick writes it.
kwb=${1:?usage: test-kwb-watch.sh KWB}
vmlinux=${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}
project612=${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && grep -v '^\[' "$f" | tail -n 20 | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

make_project() { # DIR BUILD_DIR
  "$kwb" init "$1" >/dev/null 2>&1 &&
    "$kwb" set "$1" kernel.build-dir "$2" &&
    "$kwb" set "$1" initramfs.output "$initramfs" &&
    "$kwb" set "$1" qemu.accel tcg &&
    "$kwb" set "$1" qemu.memory 256 || { echo "Bail out! cannot make the test project $1"; exit 1; }
}
make_project "$tmp/p6.1" "$(dirname "$vmlinux")"
[ -f "$project612/build/kernel/vmlinux" ] || { echo "Bail out! no vmlinux in $project612/build/kernel"; exit 1; }
make_project "$tmp/p6.12" "$project612/build/kernel"

for k in 6.1 6.12; do
  p=$tmp/p$k
  "$kwb" debug "$p" --watch jiffies --continue 1 --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$k: --watch jiffies exits 0" [ $rc -eq 0 ]
  grep '^watchpoint: ' "$tmp/out" >"$tmp/lines"
  check "$k: two writes, each 'watchpoint: jiffies OLD → NEW at FILE:LINE'" sh -c "
    [ \$(wc -l < '$tmp/lines') -eq 2 ] &&
    ! grep -Evq '^watchpoint: jiffies (<unreadable>|[0-9]+) → [0-9]+ at /.*/kernel/time/[a-z_-]+\\.c:[0-9]+$' '$tmp/lines'"
  first_new=$(sed -n '1s/.* → \([0-9]*\) at .*/\1/p' "$tmp/lines")
  second_old=$(sed -n '2s/^watchpoint: jiffies \([0-9]*\) → .*/\1/p' "$tmp/lines")
  check "$k: the second write's old value is the first one's new value" [ -n "$first_new" -a "$first_new" = "$second_old" ]
  check "$k: the source line that wrote it follows" sh -c "grep -A1 '^watchpoint: ' '$tmp/out' | grep -Eq '^ +[0-9]+	'"

  "$kwb" debug "$p" --watch jiffies --json --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$k: --watch --json exits 0" [ $rc -eq 0 ]
  check "$k: the stop is one {\"event\":\"watchpoint\",…} object with old and new" python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8", errors="surrogateescape")]
w = [e for e in events if e["event"] == "watchpoint"]
assert len(w) == 1 and not [e for e in events if e["event"] == "stopped"], events
w = w[0]
assert set(w) == {"event", "number", "expression", "kind", "old", "new", "func", "file", "line", "addr", "source"}, w
assert w["expression"] == "jiffies" and w["kind"] == "write" and w["number"] >= 1, w
assert int(w["new"]) > 0 and w["line"] > 0 and w["file"].endswith(".c") and w["addr"].startswith("0x"), w
' "$tmp/out"

  "$kwb" debug "$p" --hbreak do_timer --continue 1 --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$k: --hbreak do_timer is hit twice" sh -c "[ $rc -eq 0 ] && [ \$(grep -c '^stopped: do_timer at .*(breakpoint-hit)$' '$tmp/out') -eq 2 ]"

  "$kwb" debug "$p" --hbreak do_timer --watch jiffies --watch init_task.pid --watch init_task.tgid \
    --watch init_task.prio --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$k: a fifth debug register is refused up front: exit 1, saying what to do" sh -c "
    [ $rc -eq 1 ] && grep -q 'Cannot set a watchpoint on “init_task.prio”: it needs 1 debug register and 4 of the 4 are taken' '$tmp/err' &&
    grep -q 'Delete or disable one of them first' '$tmp/err' && grep -q '1 requested breakpoint or watchpoint could not be set' '$tmp/err'"
  check "$k: the four others work: the first stop comes" grep -Eq '^(stopped: do_timer|watchpoint: jiffies)' "$tmp/out"

  "$kwb" debug "$p" --watch no_such_kernel_symbol --hbreak do_timer --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
  check "$k: a bad expression: exit 1 with GDB's reason" sh -c "
    [ $rc -eq 1 ] && grep -q 'No symbol \"no_such_kernel_symbol\" in current context' '$tmp/err'"
done

"$kwb" debug "$tmp/p6.1" --watch '' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an empty --watch is a usage error (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--watch takes an expression' '$tmp/err'"
"$kwb" debug "$tmp/p6.1" --hbreak ' ' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an empty --hbreak is a usage error (exit 2)" sh -c "[ $rc -eq 2 ] && grep -q -- '--hbreak takes a location' '$tmp/err'"
"$kwb" debug "$tmp/p6.1" --watch >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--watch without its argument is a usage error (exit 2)" [ $rc -eq 2 ]
check "a usage error starts no VM" sh -c "! grep -q 'QEMU started' '$tmp/err'"
"$kwb" debug --help >"$tmp/out" 2>&1
check "--help lists --watch and --hbreak" sh -c "grep -q -- '--watch=EXPRESSION' '$tmp/out' && grep -q -- '--hbreak=LOCATION' '$tmp/out'"

echo "1..$n"
[ $fails -eq 0 ]
