#!/bin/bash
# test-kwb-signals.sh — SIGTERM or SIGINT during a writing command leaves no temporary file
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Argument: the kwb binary. Every writing command replaces its file
# through a temporary one in the same folder (.initramfs.cpio.gz.XXXXXX,
# kernel-workbench.ini.XXXXXX). A signal must leave either the whole old file
# or the whole new one, never the temporary file, and end the command with
# 128 + the signal and one line.
#
# The initramfs is large (a 24 MB extra file) so that its write lasts long
# enough to be interrupted at varied points: when its temporary file appears,
# and some time later. kwb set and kwb init write in an instant, so GDB
# stops them at the rename that ends their write and delivers the signal
# there: without the signal handling they die with the temporary file in
# place. BusyBox is the host's static one (busybox-static).
set -u
# Job control (bash allows it without a terminal): a background job then
# gets SIGINT like a foreground one; without it the shell starts the job
# with SIGINT ignored, which the read-only kwb mi parse would keep.
set -m
KWB=${1:?usage: test-kwb-signals.sh KWB}
. "$(dirname "$0")/tap-lib.sh"
T=$tmp

signo() { case $1 in INT) echo 2 ;; TERM) echo 15 ;; esac; }

# Temporary files of our writers anywhere under $1.
temps() {
  find "$1" \( -name '.initramfs.cpio.gz.*' -o -name 'kernel-workbench.ini.?*' \
               -o -name '.kernel-workbench.ini.*' \) -print 2>/dev/null
}

# Waits at most 60 s for pid $1; its exit status in $rc (255: still running, killed).
bounded_wait() {
  i=0
  while kill -0 "$1" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$1" 2>/dev/null; then
    kill -KILL "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    rc=255
  else
    wait "$1"
    rc=$?
  fi
}

# Waits (at most 10 s) until pid $1 runs kwb itself, or has ended. A signal
# sent earlier would hit the shell's child before its exec, still opening a
# redirection (a FIFO blocks that open): the shell then reports the
# interrupted open with exit 1, and kwb is never tested.
KWB_EXE=$(readlink -f "$KWB")
wait_running() {
  i=0
  while kill -0 "$1" 2>/dev/null && [ "$(readlink "/proc/$1/exe" 2>/dev/null)" != "$KWB_EXE" ] && [ $i -lt 1000 ]; do
    sleep 0.01; i=$((i + 1))
  done
}

[ -x /bin/busybox ] || { echo "1..0 # SKIP no /bin/busybox (busybox-static)"; exit 0; }

P="$T/p"
"$KWB" init "$P" >/dev/null 2>&1 &&
  "$KWB" set "$P" busybox.binary /bin/busybox >/dev/null &&
  head -c 24000000 /dev/urandom > "$P/big.bin" &&
  echo 0 > "$P/stamp" &&
  "$KWB" set "$P" initramfs.extra-files "big.bin:/big.bin;stamp:/stamp" >/dev/null &&
  "$KWB" initramfs "$P" >/dev/null || { echo "Bail out! cannot make the project"; exit 1; }
OUT="$P/build/initramfs.cpio.gz"

# --- kwb initramfs, interrupted while it writes -----------------------------
# delay: 0 = as soon as the temporary file appears; else that many tenths of
# a second later (inside the gzip of the large file).
iteration=0
for case in "TERM 0" "INT 0" "TERM 1" "INT 2" "TERM 3"; do
  set -- $case
  sig=$1 delay=$2
  iteration=$((iteration + 1))
  echo "$iteration" > "$P/stamp"
  old=$(sha256sum < "$OUT")
  "$KWB" initramfs "$P" >"$T/out" 2>"$T/err" &
  pid=$!
  i=0
  while [ -z "$(temps "$P/build")" ] && kill -0 $pid 2>/dev/null && [ $i -lt 1000 ]; do
    sleep 0.01; i=$((i + 1))
  done
  seen=$(temps "$P/build")
  [ "$delay" -gt 0 ] && sleep "0.$delay"
  kill -"$sig" $pid 2>/dev/null
  bounded_wait $pid
  expected=$((128 + $(signo "$sig")))
  # The reference: the same inputs written elsewhere, uninterrupted.
  "$KWB" initramfs -o "$T/ref.cpio.gz" "$P" >/dev/null 2>&1
  new=$(sha256sum < "$T/ref.cpio.gz")
  now=$(sha256sum < "$OUT")
  check "SIG$sig ${delay}00 ms into the write: the temporary file had appeared" [ -n "$seen" ]
  if [ $rc -eq 0 ] && [ "$delay" -ge 2 ]; then
    # Under a light load the write may end before the later signals; never
    # before one sent within 0.1 s of the temporary file appearing.
    check "… the write had ended before the signal: exit 0 and the new archive" [ "$now" = "$new" ]
  else
    check "… kwb initramfs exits $expected" [ $rc -eq $expected ]
    check "… with one line saying so" sh -c "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'SIG$sig' '$T/err'"
  fi
  check "… no temporary file is left" [ -z "$(temps "$P")" ]
  check "… the archive is the whole old one or the whole new one" \
    sh -c "{ [ '$now' = '$old' ] || [ '$now' = '$new' ]; } && gzip -t '$OUT'"
done
# --- kwb set, kwb init and kwb initramfs, signalled inside their rename ------
if command -v gdb >/dev/null 2>&1; then
  # Runs kwb under GDB, stops it at the rename that ends its write, checks that
  # the temporary file is there, and delivers signal $1 at that point.
  at_rename() {
    sig=$1; shift
    rm -f "$T/gdb.out"
    timeout 120 gdb -q -nx -batch \
      -ex 'set breakpoint pending on' -ex 'set confirm off' \
      -ex 'break rename' -ex 'run' -ex 'delete' \
      -ex "shell find '$T' \\( -name '.initramfs.cpio.gz.*' -o -name 'kernel-workbench.ini.?*' \\) > '$T/at-rename'" \
      -ex "signal SIG$sig" \
      --args "$KWB" "$@" >"$T/gdb.out" 2>&1
  }
  exited_with() { grep -q "exited with code $(printf '%04o' "$1")\\]" "$T/gdb.out"; }

  at_rename TERM set "$P" qemu.memory 1536
  check "kwb set under GDB: stopped at the rename with its temporary file" test -s "$T/at-rename"
  check "… SIGTERM there: kwb set exits 143" exited_with 143
  check "… no temporary file is left" [ -z "$(temps "$P")" ]
  check "… the project file is whole and has the new value" \
    sh -c "'$KWB' show '$P' | grep -q '^  memory  *= 1536'"

  at_rename INT init "$T/fresh"
  check "kwb init under GDB: stopped at the rename with its temporary file" test -s "$T/at-rename"
  check "… SIGINT there: kwb init exits 130" exited_with 130
  check "… no temporary file is left" [ -z "$(temps "$T/fresh")" ]
  check "… the new project file is whole" sh -c "'$KWB' show '$T/fresh' >/dev/null 2>&1"

  echo 99 > "$P/stamp"
  at_rename TERM initramfs "$P"
  "$KWB" initramfs -o "$T/ref.cpio.gz" "$P" >/dev/null 2>&1
  check "kwb initramfs under GDB: stopped at the rename with its temporary file" test -s "$T/at-rename"
  check "… SIGTERM there: kwb initramfs exits 143" exited_with 143
  check "… no temporary file is left" [ -z "$(temps "$P")" ]
  check "… the archive is the whole new one" cmp -s "$OUT" "$T/ref.cpio.gz"
else
  ok "# SKIP no gdb"
fi

# --- kwb set, signalled at varied points ------------------------------------
for ms in 0 1 2 3 5 8 13 21; do
  "$KWB" set "$P" qemu.memory $((1000 + ms)) >/dev/null 2>&1 &
  pid=$!
  sleep "0.0$(printf '%02d' $ms)"
  kill -TERM $pid 2>/dev/null
  bounded_wait $pid
  [ $rc -eq 0 ] || [ $rc -eq 143 ] || break
  [ -z "$(temps "$P")" ] || break
  "$KWB" show "$P" >/dev/null 2>&1 || break
done
check "kwb set with SIGTERM at 0–21 ms: exit 0 or 143, the file whole, no temporary file (last: $ms ms, exit $rc)" \
  sh -c "[ $rc -eq 0 ] || [ $rc -eq 143 ]"
check "… and nothing left after the loop" [ -z "$(temps "$P")" ]

# --- a writing command stuck where no cancel reaches still ends --------------
# Its project file is a named pipe: reading it waits for a writer. Either the
# pipe is refused at once (exit 1), or the read blocks and the signal must
# still end kwb after its grace period (exit 143), never leave it hanging.
mkdir "$T/stuck" && mkfifo "$T/stuck/kernel-workbench.ini"
"$KWB" set "$T/stuck" qemu.memory 512 >"$T/out" 2>"$T/err" &
pid=$!
wait_running $pid
sleep 0.5
kill -TERM $pid 2>/dev/null
bounded_wait $pid
check "SIGTERM ends a kwb set blocked reading a pipe (exit $rc)" sh -c "[ $rc -eq 143 ] || [ $rc -eq 1 ]"
if [ $rc -eq 143 ]; then
  check "… with one line saying why" sh -c "[ \$(wc -l < '$T/err') -eq 1 ] && grep -q 'did not stop after the signal' '$T/err'"
fi

# --- a command that writes nothing still dies at once on Ctrl+C -------------
mkfifo "$T/stdin"
sleep 60 > "$T/stdin" &
writer=$!
"$KWB" mi parse < "$T/stdin" >/dev/null 2>&1 &
pid=$!
wait_running $pid
sleep 0.3
kill -INT $pid
bounded_wait $pid
kill $writer 2>/dev/null
check "SIGINT ends kwb mi parse while it waits on its input (exit $rc)" [ $rc -eq 130 ]

tap_done
