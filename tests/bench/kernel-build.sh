#!/bin/sh
# tests/bench/kernel-build.sh — kwb kernel build (fast profile) vs the same make by hand, and the no-op rebuild
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: kernel-build.sh PATH/TO/kwb
# Both sides start from an empty build dir in the same run, on the same
# extracted linux-source-6.1, with the same options and -j, without ccache:
#   ours:    kwb kernel build (tinyconfig, merge_config.sh, olddefconfig,
#            make bzImage modules scripts_gdb, GDB index cache, manifest)
#   by hand: the same make commands typed in a shell
# Prints the overhead ratio, the minutes, and each side's no-op rebuild.
# Takes two full kernel builds (about 10 minutes on 2 cores). Never fails on time.
set -eu

kwb=$(readlink -f "${1:?usage: kernel-build.sh PATH/TO/kwb}")
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${KWB_BENCH_JOBS:-2}
if [ ! -f "$tarball" ]; then
  echo "kernel-build: SKIP, linux-source-6.1 is not installed"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM
export KWB_NO_CCACHE=1
unset MAKEFLAGS MFLAGS MAKELEVEL || true
export LC_ALL=C

now() { date +%s.%N; }
elapsed() { echo "$2 - $1" | bc; }

"$kwb" init "$work/ours" >/dev/null 2>&1
"$kwb" set "$work/ours" kernel.source "$tarball"
"$kwb" set "$work/ours" kernel.source-dir ""
"$kwb" set "$work/ours" kernel.profile fast
"$kwb" set "$work/ours" kernel.jobs "$jobs"
"$kwb" kernel configure --print-fragment "$work/ours" > "$work/fragment.config"
# Extract (once, shared) and learn the tree's path: not timed.
"$kwb" kernel configure "$work/ours" >/dev/null
src=$(sed -n 's/^make -C \([^ ]*\) O=.*/\1/p' "$work/ours/build/kernel/kwb-build.log" | head -n 1)
rm -rf "$work/ours/build"

t0=$(now)
"$kwb" kernel build "$work/ours" > "$work/ours.out"
t1=$(now)

hand=$work/hand
mkdir -p "$hand"
t2=$(now)
(
  make -C "$src" O="$hand" tinyconfig
  cd "$hand" && sh "$src/scripts/kconfig/merge_config.sh" -m -O "$hand" .config "$work/fragment.config"
  make -C "$src" O="$hand" olddefconfig
  make -C "$src" O="$hand" -j"$jobs" bzImage modules scripts_gdb
) > "$work/hand.log" 2>&1
t3=$(now)

t4=$(now)
"$kwb" kernel build "$work/ours" > "$work/ours-noop.out"
t5=$(now)
make -C "$src" O="$hand" -j"$jobs" bzImage modules scripts_gdb > "$work/hand-noop.log" 2>&1
t6=$(now)

ours=$(elapsed "$t0" "$t1")
byhand=$(elapsed "$t2" "$t3")
ours_noop=$(elapsed "$t4" "$t5")
hand_noop=$(elapsed "$t5" "$t6")
same=no
cmp -s "$work/ours/build/kernel/.config" "$hand/.config" && same=yes

printf 'kernel-build: kwb kernel build %.1f s (%.2f min), make by hand %.1f s (%.2f min), overhead ratio %.3f\n' \
  "$ours" "$(echo "$ours / 60" | bc -l)" "$byhand" "$(echo "$byhand / 60" | bc -l)" "$(echo "$ours / $byhand" | bc -l)"
printf 'kernel-build: no-op rebuild: kwb %.1f s (%s), make by hand %.1f s\n' \
  "$ours_noop" "$(tail -n 2 "$work/ours-noop.out" | head -n 1)" "$hand_noop"
printf 'kernel-build: same .config on both sides: %s; -j%s; objects: %s\n' \
  "$same" "$jobs" "$(grep -c '^  \(CC\|AS\|AR\|LD\|HOSTCC\|HOSTLD\) ' "$work/hand.log" || true)"
