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

# Wall time, and CPU time (user+sys of the whole process tree): the machine
# is shared, and CPU time is what our overhead would add under any load.
timed() {
  name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/$name.time" "$@"
}
wall() { cut -d' ' -f1 "$work/$1.time"; }
cpu() { awk '{ print $2 + $3 }' "$work/$1.time"; }
ratio() { echo "$1 / $2" | bc -l; }

if [ ! -x /usr/bin/time ]; then
  echo "kernel-build: SKIP, /usr/bin/time is not installed (apt-get install time)"
  exit 0
fi

"$kwb" init "$work/ours" >/dev/null 2>&1
"$kwb" set "$work/ours" kernel.source "$tarball"
"$kwb" set "$work/ours" kernel.source-dir ""
"$kwb" set "$work/ours" kernel.profile fast
"$kwb" set "$work/ours" kernel.jobs "$jobs"
"$kwb" kernel configure --print-fragment "$work/ours" > "$work/fragment.config"
# Extract (once, shared) and learn the tree's path: not timed.
"$kwb" kernel configure "$work/ours" >/dev/null
src=$(sed -n 's/^\$ make -C \([^ ]*\) O=.*/\1/p' "$work/ours/build/kernel/kwb-build.log" | head -n 1)
# Whichever side runs first on a fresh tree is slower (measured here: 37 s
# vs 31 s for `prepare kernel/`, either order): warm up, untimed, with the
# same config, so that the comparison is of the tools and not of the order.
mkdir -p "$work/warm"
cp "$work/ours/build/kernel/.config" "$work/warm/.config" 2>/dev/null || true
make -C "$src" O="$work/warm" olddefconfig > /dev/null 2>&1
make -C "$src" O="$work/warm" -j"$jobs" prepare init/ > /dev/null 2>&1 || true
rm -rf "$work/warm" "$work/ours/build"

timed ours "$kwb" kernel build "$work/ours" > "$work/ours.out"

hand=$work/hand
mkdir -p "$hand"
timed hand sh -c '
  set -e
  make -C "$1" O="$2" tinyconfig
  cd "$2" && sh "$1/scripts/kconfig/merge_config.sh" -m -O "$2" .config "$3"
  make -C "$1" O="$2" olddefconfig
  make -C "$1" O="$2" -j"$4" bzImage modules scripts_gdb
' sh "$src" "$hand" "$work/fragment.config" "$jobs" > "$work/hand.log" 2>&1

timed ours-noop "$kwb" kernel build "$work/ours" > "$work/ours-noop.out"
timed hand-noop make -C "$src" O="$hand" -j"$jobs" bzImage modules scripts_gdb > "$work/hand-noop.log" 2>&1

same=no
cmp -s "$work/ours/build/kernel/.config" "$hand/.config" && same=yes

printf 'kernel-build: wall: kwb kernel build %.1f s (%.2f min), make by hand %.1f s (%.2f min), ratio %.3f\n' \
  "$(wall ours)" "$(echo "$(wall ours) / 60" | bc -l)" "$(wall hand)" "$(echo "$(wall hand) / 60" | bc -l)" \
  "$(ratio "$(wall ours)" "$(wall hand)")"
printf 'kernel-build: cpu (user+sys): kwb %.1f s, make by hand %.1f s, overhead ratio %.3f\n' \
  "$(cpu ours)" "$(cpu hand)" "$(ratio "$(cpu ours)" "$(cpu hand)")"
printf 'kernel-build: no-op rebuild: kwb %.1f s (%s), make by hand %.1f s\n' \
  "$(wall ours-noop)" "$(tail -n 2 "$work/ours-noop.out" | head -n 1)" "$(wall hand-noop)"
printf 'kernel-build: same .config on both sides: %s; -j%s; progress lines by hand: %s; load average now: %s\n' \
  "$same" "$jobs" "$(grep -c '^  \(CC\|AS\|AR\|LD\|HOSTCC\|HOSTLD\) ' "$work/hand.log" || true)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
