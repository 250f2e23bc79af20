#!/bin/sh
# record-kernel.sh — record tests/data/mi/kernel.mi: GDB 13 + QEMU + the test kernel
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/data/mi/record-kernel.sh [KERNEL_DIR [OUTPUT]]
# KERNEL_DIR holds bzImage and vmlinux (default: the test-kernel fixture,
# ~/.cache/kernel-workbench/fixtures/current-kernel). QEMU waits (-S) on a
# private unix socket; GDB loads vmlinux, connects with `target remote`,
# breaks at start_kernel, continues, lists frames, reads init_task.comm
# (a char array: octal \000 escapes), runs `bt` and a monitor command, and
# gets errors for an unknown symbol and an unknown register.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:-$HOME/.cache/kernel-workbench/fixtures/current-kernel}
out=${2:-$here/kernel.mi}
work=$(mktemp -d /tmp/kwb-mi-kernel-XXXXXX)
sock=$work/gdb.sock

qemu-system-x86_64 -S -gdb "unix:path=$sock,server=on,wait=off" \
  -kernel "$kdir/bzImage" -append "console=ttyS0 nokaslr" \
  -display none -serial null -monitor none -m 256 -no-reboot &
qemu=$!
trap 'kill $qemu 2>/dev/null; rm -rf "$work"' EXIT
i=0
while [ ! -S "$sock" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

cat > "$work/commands" <<MI
1-file-exec-and-symbols "$kdir/vmlinux"
2-target-select remote $sock
3-break-insert start_kernel
4-break-insert -h do_one_initcall
5-break-insert no_such_kernel_symbol
6-exec-continue
7-stack-list-frames
8-data-evaluate-expression init_task.comm
9-data-evaluate-expression \$rip
10-data-evaluate-expression \$no_such_register
11-interpreter-exec console "bt"
12-interpreter-exec console "monitor info status"
13-thread-info
14-list-thread-groups
15-exec-next
16-stack-list-variables --simple-values
17-break-delete 1
18-exec-continue
19-stack-list-frames
20-stack-list-variables --simple-values
21-target-detach
22-gdb-exit
MI
timeout 300 gdb --interpreter=mi3 -nx -q < "$work/commands" > "$out"
echo "recorded $(wc -l < "$out") lines into $out"
