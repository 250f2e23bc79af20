#!/bin/sh
# record-watchpoints.sh — record tests/data/mi/watchpoints.mi: watchpoints and
# hardware breakpoints through GDB 13 + QEMU's gdbstub (TCG, 2 vCPUs)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/data/mi/record-watchpoints.sh [KERNEL_DIR [OUTPUT]]
# KERNEL_DIR holds bzImage and vmlinux (default: the test-kernel fixture).
# A write watchpoint set at the reset vector (its old value unreadable), a
# hardware breakpoint on start_kernel, a write watchpoint on jiffies hit
# twice, an unknown symbol, a register (GDB can only watch it in software),
# a read and an access watchpoint on the same word hit together, and a
# watchpoint on a stack array that goes out of scope.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:-$HOME/.cache/kernel-workbench/fixtures/current-kernel}
out=${2:-$here/watchpoints.mi}
work=$(mktemp -d /tmp/kwb-mi-watch-XXXXXX)
sock=$work/gdb.sock

qemu-system-x86_64 -S -accel tcg -smp 2 -gdb "unix:path=$sock,server=on,wait=off" \
  -kernel "$kdir/bzImage" -append "console=ttyS0 nokaslr" \
  -display none -serial null -monitor none -m 256 -no-reboot &
qemu=$!
trap 'kill $qemu 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

cat > "$work/commands" <<MI
1-file-exec-and-symbols "$kdir/vmlinux"
2-target-select remote $sock
3-break-watch jiffies_64
4-break-insert -h start_kernel
5-exec-continue
6-break-delete 1
7-break-watch jiffies
8-break-info 3
9-break-watch no_such_kernel_symbol
10-break-watch \$rax
11-break-delete 4
12-break-delete 2
13-exec-continue
14-exec-continue
15-break-delete 3
16-break-watch -r jiffies
17-break-watch -a jiffies_64
18-exec-continue
19-break-delete 5 6
20-break-insert -h do_one_initcall
21-exec-continue
22-break-delete 7
23-break-watch msgbuf[0]
24-exec-continue
25-break-info
26-target-detach
27-gdb-exit
MI
timeout 600 gdb --interpreter=mi3 -nx -q < "$work/commands" > "$out"
echo "recorded $(wc -l < "$out") lines into $out"
