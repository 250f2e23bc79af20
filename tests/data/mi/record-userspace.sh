#!/bin/sh
# record-userspace.sh — record tests/data/mi/userspace.mi from the real GDB
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/data/mi/record-userspace.sh [OUTPUT]   (needs gcc and gdb)
# Copies src/ into a folder whose name is not ASCII (GDB then writes its path
# with octal escapes), builds it with gcc -g -O0 and feeds GDB a fixed list of
# MI commands: breakpoints (one with two locations: helper() is a static
# inline in two files), a hardware breakpoint, a condition, errors, stops,
# frames, locals, threads and thread groups, a CLI command, the exit.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/userspace.mi}
work=$(mktemp -d /tmp/kwb-mi-XXXXXX)
trap 'rm -rf "$work"' EXIT
dir="$work/dïr ü"
mkdir -p "$dir"
cp "$here"/src/*.c "$here"/src/*.h "$dir"/
(cd "$dir" && gcc -g -O0 -pthread -o prog prog-a.c prog-b.c)

cat > "$work/commands" <<MI
1-gdb-set inferior-tty /dev/null
2-file-exec-and-symbols "$dir/prog"
3-break-insert main
4-break-insert helper
5-break-insert no_such_function
6-break-insert -h worker
7-break-insert -c "x > 40" from_b
8-exec-run
9-stack-list-frames
10-stack-list-variables --all-values
11-exec-next
12-data-evaluate-expression greeting
13-exec-continue
14-stack-list-frames
15-stack-list-variables --simple-values
16-exec-finish
17-interpreter-exec console "info breakpoints"
18-break-disable 2
19-break-delete 7
20-exec-continue
21-thread-info
22-list-thread-groups
23-list-thread-groups i1
24-data-evaluate-expression no_such_variable
25-break-insert -h worker
26-break-insert "$dir/prog-a.c:31"
27-exec-continue
28-thread-info
29-stack-list-frames
30-exec-continue
31-exec-continue
32-exec-continue
33-exec-continue
34-no-such-command
35-gdb-exit
MI
gdb --interpreter=mi3 -nx -q < "$work/commands" > "$out"
echo "recorded $(wc -l < "$out") lines into $out"

# MI2 writes a multi-location breakpoint as bkpt={…},{…},{…}: nameless
# tuples after a named one, which the parser must accept too.
cat > "$work/commands2" <<MI
1-file-exec-and-symbols "$dir/prog"
2-break-insert helper
3-break-list
4-gdb-exit
MI
gdb --interpreter=mi2 -nx -q < "$work/commands2" > "${out%.mi}-mi2.mi"
echo "recorded $(wc -l < "${out%.mi}-mi2.mi") lines into ${out%.mi}-mi2.mi"

# Big lines for the benchmark: every function GDB knows once libc is loaded
# (-symbol-info-functions is one record of thousands of tuples), and deep
# stacks. tests/bench/mi-parse repeats this file to tens of MB.
cat > "$work/commands3" <<MI
1-file-exec-and-symbols "$dir/prog"
2-break-insert worker
3-exec-run
4-symbol-info-functions --include-nondebug
5-symbol-info-variables
6-stack-list-frames
7-thread-info
8-stack-list-variables --all-values
9-gdb-exit
MI
gdb --interpreter=mi3 -nx -q < "$work/commands3" > "${out%.mi}-symbols.mi"
echo "recorded $(wc -c < "${out%.mi}-symbols.mi") bytes into ${out%.mi}-symbols.mi"
