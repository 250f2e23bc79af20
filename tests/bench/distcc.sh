#!/bin/sh
# tests/bench/distcc.sh — what 2 and 8 distcc hosts would give a kernel build, from measured compile times
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: distcc.sh PATH/TO/kwb
# In one run, from empty build dirs, without ccache, -j$KWB_BENCH_JOBS (2):
#   plain:  kwb kernel build, every compile here (plain make)
#   distcc: the same build through a distccd on 127.0.0.1 that runs S
#           compiles at a time (S = $KWB_BENCH_JOBS, the host's /S), whose
#           log gives each object's compile time
# The figure for H hosts is computed from those measured times, not
# guessed. C, the sum of distccd's per-object times, kept S slots busy, so
# C / S of the distributed build's make time was compiling and the rest
# (preprocessing, linking, host tools, make itself) stays on this machine
# whatever the farm; H hosts of S slots each, each slot as fast as one
# here, take C / (S H):
#     T(H) = (T_distcc - C / S) + C / (S H)        speed-up = T_plain / T(H)
# The network is taken as free (preprocessed sources are 1-3 MB each).
#
# Measured here, Debian 12, 2 shared cores at load 11-13 from other builds,
# fast profile 6.1 (tinyconfig + debug fragment), the distcc build of
# test-kwb-distcc (host /4, -j6, ccache recaching) and a plain -j2 build
# started right after it:
#     729 objects through distccd, 3771 s of compiling (5.2 s each on
#     average, median 3.9 s, slowest 36.6 s); make through distcc here
#     1080 s, of which 137 s stays here; plain make -j2 655 s (load 7)
#     2 hosts of 4 slots: 609 s, 1.08x plain make
#     8 hosts of 4 slots: 255 s, 2.57x plain make
# The distccd slots ran at load 12 on 2 cores (4 slots), so each slot was
# slower than a farm's: these are lower bounds. Re-measure, two full
# kernel builds in one run:
#     meson test -C _build --benchmark distcc -v
#
# Set KWB_BENCH_DISTCC_LOG, KWB_BENCH_DISTCC_SECONDS, KWB_BENCH_PLAIN_SECONDS
# (and KWB_BENCH_DISTCC_SLOTS, default $KWB_BENCH_JOBS) to compute the
# figures from an earlier run's distccd log and make times (the seconds= of
# each build's kwb-manifest.ini) without building. Never fails on time.
set -eu

kwb=$(readlink -f "${1:?usage: distcc.sh PATH/TO/kwb}")
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${KWB_BENCH_JOBS:-2}

figures() {
  log=$1; distcc_s=$2; plain_s=$3; slots=$4
  awk -v td="$distcc_s" -v tp="$plain_s" -v slots="$slots" '
    / COMPILE_OK / { for (i = 1; i <= NF; i++) if ($i ~ /^time:[0-9]+ms$/) { gsub(/time:|ms/, "", $i); c += $i / 1000; n++ } }
    END {
      if (n == 0) { print "distcc: no compile in the distccd log"; exit 1 }
      here = td - c / slots; if (here < 0) here = 0
      printf "distcc: %d objects compiled through distccd, %.1f s of compiling (%.2f s each on average)\n", n, c, c / n
      printf "distcc: make: plain %.1f s, through distcc here (%d slots) %.1f s, of which %.1f s stays here\n", tp, slots, td, here
      for (h = 2; h <= 8; h *= 4) {
        t = here + c / (slots * h)
        printf "distcc: %d hosts of %d slots: %.1f s, speed-up vs plain make %.2fx\n", h, slots, t, tp / t
      }
    }' "$log"
}

if [ -n "${KWB_BENCH_DISTCC_LOG:-}" ]; then
  figures "$KWB_BENCH_DISTCC_LOG" "$KWB_BENCH_DISTCC_SECONDS" "$KWB_BENCH_PLAIN_SECONDS" \
    "${KWB_BENCH_DISTCC_SLOTS:-$jobs}"
  exit 0
fi
for tool in distcc distccd python3; do
  if ! command -v $tool > /dev/null; then
    echo "distcc: SKIP, $tool is not installed"
    exit 0
  fi
done
if [ ! -f "$tarball" ]; then
  echo "distcc: SKIP, linux-source-6.1 is not installed"
  exit 0
fi

work=$(mktemp -d)
pid=
cleanup() {
  [ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export KWB_NO_CCACHE=1 LC_ALL=C DISTCC_DIR="$work/distcc"
mkdir -p "$DISTCC_DIR"
unset MAKEFLAGS MFLAGS MAKELEVEL || true

project() {
  "$kwb" init "$work/$1" > /dev/null 2>&1
  "$kwb" set "$work/$1" kernel.source "$tarball" > /dev/null
  "$kwb" set "$work/$1" kernel.source-dir "" > /dev/null
  "$kwb" set "$work/$1" kernel.profile fast > /dev/null
  "$kwb" set "$work/$1" kernel.jobs "$jobs" > /dev/null
  "$kwb" set "$work/$1" kernel.distcc-hosts "$2" > /dev/null
  "$kwb" kernel configure --trust "$work/$1" > /dev/null
}
seconds() { sed -n 's/^seconds=//p' "$work/$1/build/kernel/kwb-manifest.ini"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
distccd --no-detach --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" --jobs "$jobs" \
  --log-stderr --log-level info 2> "$work/distccd.log" &
pid=$!

project plain ""
project distcc "127.0.0.1:$port/$jobs"
"$kwb" kernel build --trust "$work/plain" > /dev/null
"$kwb" kernel build --trust "$work/distcc" > /dev/null
figures "$work/distccd.log" "$(seconds distcc)" "$(seconds plain)" "$jobs"
echo "distcc: load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
