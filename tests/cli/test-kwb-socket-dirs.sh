#!/bin/sh
# test-kwb-socket-dirs.sh — a SIGKILLed kwb boot's socket folder is removed by the next start
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Argument: the kwb binary. QEMU is a stand-in that only waits (it never
# opens its sockets), so kwb boot sits in its start with its private socket
# folder made, in an XDG_RUNTIME_DIR of our own. A SIGKILL leaves that folder;
# the next kwb boot must remove it and keep the folder of a kwb still alive;
# a SIGTERM must remove the folder on the way out.
set -u
KWB=${1:?usage: test-kwb-socket-dirs.sh KWB}
. "$(dirname "$0")/tap-lib.sh"
T=$tmp

P="$T/p"
"$KWB" init "$P" >/dev/null 2>&1 || { echo "Bail out! kwb init failed"; exit 1; }
printf '#!/bin/sh\nexec sleep 120\n' > "$T/qemu" && chmod +x "$T/qemu"
: > "$T/bzImage"; : > "$T/vmlinux"; : > "$T/initramfs"
for kv in kernel.profile=prebuilt kernel.image="$T/bzImage" kernel.vmlinux="$T/vmlinux" \
          initramfs.output="$T/initramfs" qemu.binary="$T/qemu" qemu.accel=tcg; do
  "$KWB" set "$P" "${kv%%=*}" "${kv#*=}" >/dev/null || { echo "Bail out! kwb set $kv failed"; exit 1; }
done
export XDG_RUNTIME_DIR="$T/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# Starts kwb boot; sets $pid and $dir (the socket folder it made).
start_boot() {
  before=$(ls "$XDG_RUNTIME_DIR")
  "$KWB" boot "$P" </dev/null >/dev/null 2>"$T/err" &
  pid=$!
  dir=
  i=0
  while [ -z "$dir" ] && kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do
    for d in $(ls "$XDG_RUNTIME_DIR"); do
      case " $before " in *" $d "*) ;; *) [ -s "$XDG_RUNTIME_DIR/$d/owner" ] && dir="$XDG_RUNTIME_DIR/$d" ;; esac
    done
    [ -n "$dir" ] || sleep 0.1
    i=$((i + 1))
  done
}

start_boot 1
dead_dir=$dir
check "kwb boot made its socket folder with its owner recorded" sh -c "[ -n '$dead_dir' ] && grep -q '^$pid ' '$dead_dir/owner'"
kill -KILL $pid; wait $pid 2>/dev/null
check "… SIGKILL leaves the folder behind" test -d "$dead_dir"

start_boot 2
live_pid=$pid live_dir=$dir
check "the next kwb boot removes it" [ ! -e "$dead_dir" ]
check "… and made its own" test -d "$live_dir"

start_boot 3
check "a third kwb boot keeps the folder of the one still running" test -d "$live_dir"
kill -KILL $pid; wait $pid 2>/dev/null

kill -TERM $live_pid
i=0
while kill -0 $live_pid 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
wait $live_pid 2>/dev/null
check "SIGTERM: kwb boot removes its own folder on the way out" [ ! -e "$live_dir" ]

tap_done
