#!/bin/sh
# test-kwb-debug.sh — kwb debug as a user runs it, on the fixture kernel.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Arguments: the kwb binary, and arm64 for the arm64 fixture (a virt
# guest under qemu-system-aarch64 and gdb-multiarch). Needs
# KWB_FIXTURE_PROJECT (or KWB_FIXTURE_ARM64_PROJECT).
kwb=${1:?usage: test-kwb-debug.sh KWB [arm64]}
arch=${2:-x86_64}
if [ "$arch" = arm64 ]; then
  project=${KWB_FIXTURE_ARM64_PROJECT:?KWB_FIXTURE_ARM64_PROJECT is not set: run build-aux/test}
  vmlinux=$project/build/kernel/vmlinux
  initramfs=$project/build/initramfs.cpio.gz
  image=arch/arm64/boot/Image
  syscall=__arm64_sys_newuname
  machine=aarch64
else
  project=${KWB_FIXTURE_PROJECT:?KWB_FIXTURE_PROJECT is not set: run build-aux/test}
  vmlinux=${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set}
  initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set}
  image=arch/x86/boot/bzImage
  syscall=__x64_sys_newuname
  machine=x86_64
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 30 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

# The fixture's project stays untouched: a project of our own points at the
# fixture's kernel build and initramfs (TCG, the same on every machine).
cp "$project/kernel-workbench.ini" "$tmp/kernel-workbench.ini.orig"
"$kwb" init --arch "$arch" "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$(dirname "$vmlinux")" &&
  "$kwb" set "$tmp/p" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 256 || { echo "Bail out! cannot make the test project"; exit 1; }

# Default: break at start_kernel, print the stop with its source line, end.
"$kwb" debug "$tmp/p" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb debug exits 0" [ $rc -eq 0 ]
check "prints the stop at start_kernel in init/main.c" grep -Eq '^stopped: start_kernel at /.*/init/main\.c:[0-9]+ \(breakpoint-hit\)$' "$tmp/out"
check "prints the source line" sh -c "sed -n 2p '$tmp/out' | grep -Eq '^ +[0-9]+	'"

# JSON, an explicit breakpoint, a GDB command at the stop.
"$kwb" debug "$tmp/p" --json --break start_kernel --exec "p \$pc" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "--json exits 0" [ $rc -eq 0 ]
check "--json prints a stopped event" grep -q '^{"event":"stopped","reason":"breakpoint-hit","func":"start_kernel"' "$tmp/out"
check "--exec output is printed" grep -q '"event":"exec","output":"\$1 = ' "$tmp/out"
check "every --json line is one JSON object" python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8", errors="surrogateescape"):
    assert isinstance(json.loads(line), dict), line
' "$tmp/out"

# Continue to the shell and type a command.
"$kwb" debug "$tmp/p" --break __do_sys_newuname --console-send 'uname -r\n' --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a breakpoint hit from a console command" grep -q '^stopped: __do_sys_newuname at .*kernel/sys.c' "$tmp/out"

# The architecture's syscall entry; continued (uname calls it more than
# once), the guest prints its machine, then reboots, which ends the VM
# (-no-reboot; a tinyconfig x86 kernel cannot power off, only halt).
"$kwb" debug "$tmp/p" --break "$syscall" --console-send 'uname -m; reboot -f\n' --continue 20 --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "stops at $syscall" grep -q "^stopped: $syscall at .*kernel/sys.c" "$tmp/out"
check "the console then prints $machine" grep -q "^$machine" "$tmp/err"
check "and the guest's reboot ends the session" sh -c "[ $rc -eq 1 ] && grep -q 'The virtual machine ended' '$tmp/err'"

# A breakpoint that does not exist: a clear message, the session goes on.
"$kwb" debug "$tmp/p" --break no_such_function_here --break start_kernel --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a missing function is reported" grep -q 'no_such_function_here' "$tmp/err"
check "and the other breakpoint still stops" grep -q '^stopped: start_kernel' "$tmp/out"
check "but kwb debug exits 1, saying a breakpoint was not set" sh -c "[ $rc -eq 1 ] && grep -q 'could not be set' '$tmp/err'"

# A breakpoint that is never hit (here: nothing sets the hostname, while
# BusyBox's init does call reboot(); with a vmlinux that is not the kernel's,
# the same): the timeout is an error, with the reason.
"$kwb" debug "$tmp/p" --break __do_sys_sethostname --timeout 20 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no stop before --timeout: exit 1 saying so" sh -c "[ $rc -eq 1 ] && grep -q 'no stop within 20 s' '$tmp/err'"

# QEMU stops answering (SIGSTOP): found out, a clear message, exit 1.
rm -f "$tmp/stopped.err"
"$kwb" debug "$tmp/p" --continue 100 --timeout 240 >"$tmp/out" 2>"$tmp/stopped.err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'QEMU started' "$tmp/stopped.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
qemu=$(pgrep -P $pid -f qemu-system | head -n 1)
check "kwb debug runs its qemu" [ -n "$qemu" ]
kill -STOP "${qemu:-0}" 2>/dev/null
wait $pid; rc=$?
cp "$tmp/stopped.err" "$tmp/err"
check "a stopped QEMU ends kwb debug with exit 1" [ $rc -eq 1 ]
check "saying QEMU stopped responding" grep -q 'QEMU stopped responding' "$tmp/err"
st=$(ps -o stat= -p "${qemu:-0}" 2>/dev/null)
check "and the stopped qemu is gone" sh -c "[ -z '$st' ] || [ '${st#Z}' != '$st' ]"

# A prebuilt kernel: image + debug vmlinux, no build of ours.
"$kwb" init --arch "$arch" "$tmp/pre" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/pre" kernel.profile prebuilt &&
  "$kwb" set "$tmp/pre" kernel.image "$(dirname "$vmlinux")/$image" &&
  "$kwb" set "$tmp/pre" kernel.vmlinux "$vmlinux" &&
  "$kwb" set "$tmp/pre" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/pre" qemu.accel tcg
"$kwb" debug "$tmp/pre" --timeout 240 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a prebuilt project stops at start_kernel too" sh -c "[ $rc -eq 0 ] && grep -q '^stopped: start_kernel at /.*init/main.c' '$tmp/out'"

# --expose-tcp: the stub also on a loopback port, said so, never on 0.0.0.0.
rm -f "$tmp/tcp.err"
"$kwb" debug "$tmp/p" --expose-tcp --continue 100 --timeout 240 >"$tmp/out" 2>"$tmp/tcp.err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'loopback only' "$tmp/tcp.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\) (loopback only).*/\1/p' "$tmp/tcp.err" | head -n 1)
check "--expose-tcp names the port" [ -n "$port" ]
ss -ltnH >"$tmp/ss" 2>/dev/null
check "the stub listens on 127.0.0.1:$port" grep -q "127.0.0.1:$port " "$tmp/ss"
check "and on no other address" sh -c "! grep -E '(0\.0\.0\.0|\[::\]|\*):$port ' '$tmp/ss'"
kill -TERM $pid
wait $pid
check "SIGTERM ends kwb debug" [ $? -ne 137 ]

# kwb boot: the console on stdin/stdout (a pipe here), like the hand-written start_kernel script.
rm -f "$tmp/boot.out"
release=$(cat "$(dirname "$vmlinux")/include/config/kernel.release")
mkfifo "$tmp/boot.in"
"$kwb" boot "$tmp/p" <"$tmp/boot.in" >"$tmp/boot.out" 2>"$tmp/boot.err" &
exec 3>"$tmp/boot.in"
i=0
while [ $i -lt 1200 ] && ! grep -q 'Please press Enter' "$tmp/boot.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
printf '\r' >&3
sleep 1
printf 'echo "up: $(uname -r)"\r' >&3
i=0
while [ $i -lt 1200 ] && ! grep -q "up: $release" "$tmp/boot.out" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
check "kwb boot: the guest's shell answers on the console" grep -q "up: $release" "$tmp/boot.out"
check "kwb boot says the stub is private" grep -q 'private' "$tmp/boot.err"
bootpid=$(pgrep -f "kwb boot $tmp/p" | head -n 1)
bootqemu=$(pgrep -P "${bootpid:-0}" | head -n 1)
check "kwb boot runs its qemu" [ -n "$bootqemu" ]
kill -TERM "$bootpid" 2>/dev/null
i=0
while [ $i -lt 100 ] && kill -0 "$bootpid" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
check "kwb boot ends on SIGTERM" sh -c "! kill -0 $bootpid 2>/dev/null"
st=$(ps -o stat= -p "${bootqemu:-0}" 2>/dev/null)
check "and its qemu is gone" sh -c "[ -z '$st' ] || [ '${st#Z}' != '$st' ]"
exec 3>&-

# SIGKILL kwb mid-session: its qemu and gdb die with it.
rm -f "$tmp/killed.err"
"$kwb" debug "$tmp/p" --continue 100 --timeout 240 >"$tmp/out" 2>"$tmp/killed.err" &
pid=$!
i=0
while [ $i -lt 600 ] && ! grep -q 'QEMU started' "$tmp/killed.err" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
children=$(pgrep -P $pid | tr '\n' ' ')
check "kwb debug started qemu and gdb" [ -n "$children" ]
kill -KILL $pid
wait $pid 2>/dev/null
sleep 1
left=""
# A killed child whose parent is gone stays a zombie until PID 1 reaps it
# (not every container's init does): a zombie runs nothing, so it counts as gone.
for c in $children; do
  st=$(ps -o stat= -p "$c" 2>/dev/null)
  [ -n "$st" ] && [ "${st#Z}" = "$st" ] && left="$left $c"
done
check "no qemu or gdb of it left a second after SIGKILL" [ -z "$left" ]

# Missing build: says what to run.
mkdir -p "$tmp/empty"
"$kwb" init "$tmp/empty/p" >/dev/null 2>&1
"$kwb" debug "$tmp/empty/p" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no kernel built: exit 1 naming kwb kernel build" sh -c "[ $rc -eq 1 ] && grep -q 'kwb kernel build' '$tmp/err'"

check "the fixture project file was not touched" cmp -s "$tmp/kernel-workbench.ini.orig" "$project/kernel-workbench.ini"

echo "1..$n"
[ $fails -eq 0 ]
