#!/bin/sh
# test-kwb-replay.sh — kwb record and kwb replay on the fixture kernel: a run recorded, replayed, gone back through.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_PROJECT and G_TEST_SRCDIR.
#
# The recorded run loads the test module and writes its counter through the
# poke parameter. The replay stops where the module writes, runs on past the
# write, then goes back to it with a watchpoint (reverse-continue) and one
# instruction further back (reverse-stepi). The replay takes snapshots as it
# runs forwards, and the steps back start from them. Replaying is slow under
# QEMU 7.2, hence the long timeouts; no duration is asserted.
kwb=${1:?usage: test-kwb-replay.sh KWB}
fixture=${KWB_FIXTURE_PROJECT:?KWB_FIXTURE_PROJECT is not set: run build-aux/test}
srcdir=${G_TEST_SRCDIR:?G_TEST_SRCDIR is not set}
if ! command -v qemu-img >/dev/null; then
  echo "1..0 # SKIP qemu-img is not installed (Debian package qemu-utils)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'pkill -KILL -f "$tmp/" 2>/dev/null; rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 40 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
# Any replay's recording: rec/ and the copy rec-as-made/.
no_qemu() { ! pgrep -f "[q]emu-system.*$tmp/rec" >/dev/null; }

mod=$srcdir/data/modules/kwb_test_mod/kwb_test_mod.c
poke_line=$(grep -n 'KWB-LINE: poke' "$mod" | cut -d: -f1)
cp -r "$srcdir/data/modules/kwb_test_mod" "$tmp/kwb_test_mod"
"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$fixture/build/kernel" >/dev/null &&
  "$kwb" set "$tmp/p" modules.projects "$tmp/kwb_test_mod" >/dev/null &&
  "$kwb" module build "$tmp/p" >/dev/null 2>&1 || { echo "Bail out! cannot make the test project"; exit 1; }

# --- record ---
send='insmod /lib/modules/$(uname -r)/kwb_test_mod.ko; echo 5 > /sys/module/kwb_test_mod/parameters/poke; echo rec-$((6*7))\n'
"$kwb" record "$tmp/p" -o "$tmp/rec" --seconds 25 --console-send "$send" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb record exits 0" [ $rc -eq 0 ]
check "it says what it recorded: seconds, instructions, size, folder" \
  grep -Eq "^recorded: [0-9.]+ s, [1-9][0-9]* instructions, .* in $tmp/rec\$" "$tmp/out"
check "the guest ran under TCG on one CPU, and said so" grep -q 'Recording: QEMU runs the guest under TCG on one CPU' "$tmp/err"
check "and said that its 1024 MiB of memory make steps back slower" \
  grep -q 'Each step back in a replay loads a snapshot of all 1024 MiB of guest memory' "$tmp/err"
check "typed input reached the shell whole (the module poked, the echo ran)" \
  sh -c "grep -q 'kwb_test_mod: poked 5, counter 6' '$tmp/err' && grep -q 'rec-42' '$tmp/err'"
check "the folder holds the log, the snapshot image and recording.ini" \
  sh -c "[ -s '$tmp/rec/replay.bin' ] && [ -s '$tmp/rec/snapshots.qcow2' ] && grep -q '^finished=true' '$tmp/rec/recording.ini'"
check "the init snapshot is in the image" sh -c "qemu-img snapshot -l '$tmp/rec/snapshots.qcow2' | grep -qw init"
check "recording.ini names the kernel and initramfs with their SHA-256" \
  sh -c "grep -Eq '^kernel-sha256=[0-9a-f]{64}\$' '$tmp/rec/recording.ini' && grep -Eq '^initramfs-sha256=[0-9a-f]{64}\$' '$tmp/rec/recording.ini'"
check "no QEMU is left behind" no_qemu

"$kwb" record "$tmp/p" -o "$tmp/rec" --seconds 5 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "recording into a used folder is refused, and it stays as it was" \
  sh -c "[ $rc -eq 1 ] && grep -q 'already exists' '$tmp/err' && grep -q '^finished=true' '$tmp/rec/recording.ini'"

# The recording as made (its first snapshot only), for the snapshot near the stop below.
cp -r "$tmp/rec" "$tmp/rec-as-made"

# --- replay, forwards then backwards ---
# At most 3 snapshots (the recording's own and two of the replay's): the
# run to the module's write is long enough for more, so some make room
# (GLib prints the debug message saying so on stdout).
KWB_REPLAY_MAX_SNAPSHOTS=3 G_MESSAGES_DEBUG=kwb-core \
"$kwb" replay "$tmp/rec" --break kwb_test_mod_poke --exec finish --exec 'watch kwb_test_mod_counter' \
  --exec reverse-continue --exec reverse-stepi --exec 'print kwb_test_mod_counter' --timeout 1500 \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb replay exits 0" [ $rc -eq 0 ]
check "the replay stops at the module's pending breakpoint, on the write's line" \
  grep -q "^stopped: kwb_test_mod_poke at .*kwb_test_mod.c:$poke_line (breakpoint-hit)" "$tmp/out"
check "the console shows what was recorded" grep -q 'kwb_test_mod: poked 5, counter 6' "$tmp/err"
check "finish runs forward past the write" grep -q '^finish took [0-9.]* s$' "$tmp/out"
# QEMU stops a backwards search just after the instruction that wrote.
next_line=$((poke_line + 1))
check "reverse-continue with a watchpoint goes back to the module's write" \
  grep -Eq "^(stopped|watchpoint): .*kwb_test_mod_poke.* at .*kwb_test_mod.c:($poke_line|$next_line)" "$tmp/out"
check "and says how long it took" grep -q '^reverse-continue took [0-9.]* s$' "$tmp/out"
# Its snapshots are saved without a flush each (the image is synced at the end).
check "the replaying QEMU saves to its image without flushes" grep -q 'QEMU: .*id=rr,format=qcow2,cache=unsafe' "$tmp/out"
# A step back that replays longer than the replay's progress tick (1 s)
# says meanwhile where the replay is; a quicker one has nothing to say.
slow=$(awk '/^reverse-[a-z]* took / && $3 > 3 { print $1; exit }' "$tmp/out")
if [ -n "$slow" ]; then
  check "$slow took over 3 s, and said meanwhile where the replay was" \
    grep -Eq "^kwb: $slow: replaying from a snapshot, at instruction [0-9]+\$" "$tmp/err"
else
  echo "# every step back took 3 s or less: no progress line to check"
fi
# Before the write the counter is what init left: 1.
check "reverse-stepi goes back to the write's line, before it: the counter is 1 again" \
  sh -c "grep -q '^stopped: kwb_test_mod_poke at .*kwb_test_mod.c:$poke_line (end-stepping-range)' '$tmp/out' &&
         grep -q '^reverse-stepi took [0-9.]* s\$' '$tmp/out' && grep -q '^\\\$[0-9]* = 1\$' '$tmp/out'"
check "no QEMU is left behind" no_qemu
# The run up to the module's write lasts many seconds: snapshots were taken on the way.
check "the replay left snapshots along the run in the recording's image" \
  sh -c "qemu-img snapshot -l '$tmp/rec/snapshots.qcow2' | grep -q ' kwb-[0-9]'"
qemu-img snapshot -l "$tmp/rec/snapshots.qcow2" | sed 's/^/# /'
check "at the cap, snapshots were deleted to make room, and the image holds no more than 3" \
  sh -c "cat '$tmp/out' '$tmp/err' | grep -q 'a snapshot was deleted to make room for one at instruction [0-9]* (at most 3 are kept)' &&
         [ \$(qemu-img snapshot -l '$tmp/rec/snapshots.qcow2' | grep -Ec ' (init|kwb-[0-9]+) ') -le 3 ]"

# --- a snapshot near the stop ---
# The recording as made holds only the snapshot at its start, and this
# replay takes none as it runs (where a tick lands depends on the host's
# pace): the step back over the module's write, hundreds of millions of
# instructions in, first makes one 200000 instructions before the stop,
# and the guest comes back to the stop before stepping back. reverse-next
# ends on the write's line, at the breakpoint there.
KWB_REPLAY_TICK_SNAPSHOTS=0 G_MESSAGES_DEBUG=kwb-core \
"$kwb" replay "$tmp/rec-as-made" --break kwb_test_mod_poke --exec next --exec reverse-next \
  --exec 'print kwb_test_mod_counter' \
  --timeout 1500 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb replay exits 0" [ $rc -eq 0 ]
near=$(sed -n 's/.*Replay: a snapshot 200000 instructions before the stop at \([0-9]*\) first.*/\1/p' "$tmp/out" | tail -n 1)
check "a step back first made a snapshot 200000 instructions before its stop" \
  sh -c "[ -n '$near' ] && qemu-img snapshot -l '$tmp/rec-as-made/snapshots.qcow2' | grep -qw \"kwb-\$(($near - 200000))\""
check "and reverse-next went back to the write's line, before it: the counter is 1" \
  sh -c "grep -q '^reverse-next took [0-9.]* s\$' '$tmp/out' &&
         grep -Eq '^stopped: kwb_test_mod_poke at .*kwb_test_mod.c:$poke_line \\((end-stepping-range|breakpoint-hit)\\)' '$tmp/out' &&
         grep -q '^\\\$[0-9]* = 1\$' '$tmp/out'"
check "no other snapshot was taken" \
  sh -c "[ \$(qemu-img snapshot -l '$tmp/rec-as-made/snapshots.qcow2' | grep -Ec ' (init|kwb-[0-9]+) ') -eq 2 ]"
check "no QEMU is left behind" no_qemu

# --- refused: another initramfs than recorded ---
cp "$tmp/p/build/initramfs.cpio.gz" "$tmp/initramfs.keep"
printf 'x' >>"$tmp/p/build/initramfs.cpio.gz"
"$kwb" replay "$tmp/rec" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a changed initramfs is refused with the reason" \
  sh -c "[ $rc -eq 1 ] && grep -q 'another initramfs' '$tmp/err' && ! grep -q 'QEMU started' '$tmp/err'"
cp "$tmp/initramfs.keep" "$tmp/p/build/initramfs.cpio.gz"

"$kwb" replay "$tmp/nothing" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a folder that is no recording is refused, naming kwb record" sh -c "[ $rc -eq 1 ] && grep -q 'kwb record' '$tmp/err'"

echo "1..$n"
[ $fails -eq 0 ]
