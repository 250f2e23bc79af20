#!/bin/sh
# test-console-diagnosis.sh — the four classic boot failures, booted on purpose, diagnosed.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Arguments: the kwb binary and the kernel (6.1: KWB_FIXTURE_VMLINUX's
# build, 6.12: KWB_FIXTURE_612_PROJECT's); needs KWB_FIXTURE_INITRAMFS.
#
# Each failure is made the way a user makes it, on projects of our own that
# use the fixture's kernel build (the fixture projects stay untouched):
#  - no initramfs: kernel.initramfs=builtin on a kernel that holds none. The
#    fixture kernels have no CONFIG_BLOCK, so it ends in "No working init found"
#    before unpacking anything, not in the VFS panic of a kernel with disks
#    (tests/core covers that text);
#  - hotplug: an rcS (initramfs.rcs) that writes /proc/sys/kernel/hotplug
#    first, as the manual way's does. The fixture kernels have
#    CONFIG_UEVENT_HELPER, so the file is missing because /proc is not
#    mounted yet; the message and the diagnosis are the same;
#  - a BusyBox that is not static: kwb initramfs refuses one, so the archive
#    is made by hand with cpio, as the manual way does, with a dynamic binary
#    (dash: Debian's dynamic busybox package cannot be installed beside
#    busybox-static, which the fixtures need) as /bin/busybox and /linuxrc;
#  - a wrong console=: the whole -append given in qemu.extra-args, as someone
#    copying a QEMU command line for a VGA console does (console=tty0).
kwb=${1:?usage: test-console-diagnosis.sh KWB [6.1|6.12]}
kernel=${2:-6.1}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set: run build-aux/test}
if [ "$kernel" = 6.12 ]; then
  build="${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}/build/kernel"
else
  build=$(dirname "${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set: run build-aux/test}")
fi
. "$(dirname "$0")/../cli/tap-lib.sh"
pid=
at_exit() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; }

[ -f "$build/vmlinux" ] || { echo "Bail out! no fixture kernel at $build"; exit 1; }

# A project of our own on the fixture's kernel.
new_project() {
  "$kwb" init "$1" >/dev/null 2>&1 &&
    "$kwb" set "$1" kernel.build-dir "$build" &&
    "$kwb" set "$1" initramfs.output "$initramfs" &&
    "$kwb" set "$1" qemu.accel tcg &&
    "$kwb" set "$1" qemu.memory 256 || { echo "Bail out! cannot make the test project $1"; exit 1; }
}

# kwb boot until the guest ends (a panic: panic=-1 ends QEMU).
boot_to_end() {
  timeout 600 "$kwb" boot --trust "$1" </dev/null >"$tmp/out" 2>"$tmp/err"
}

# kwb boot of a guest that goes on running: read its stderr until the
# diagnosis, then stop it as a user does (SIGTERM).
boot_until_diagnosis() {
  rm -f "$tmp/fifo" "$tmp/err"
  mkfifo "$tmp/fifo"
  "$kwb" boot --trust "$1" </dev/null >"$tmp/out" 2>"$tmp/fifo" &
  pid=$!
  timeout 600 sh -c 'while IFS= read -r line; do
                       printf "%s\n" "$line" >>"$1"
                       case $line in "kwb: diagnosis:"*) exit 0 ;; esac
                     done; exit 1' sh "$tmp/err" <"$tmp/fifo"
  found=$?
  kill -TERM "$pid" 2>/dev/null
  wait "$pid"
  pid=
  return $found
}

# 1. No initramfs.
new_project "$tmp/noinitrd"
"$kwb" set "$tmp/noinitrd" kernel.initramfs builtin
boot_to_end "$tmp/noinitrd"; rc=$?
check "no initramfs: the guest panics and kwb boot exits 1" [ $rc -eq 1 ]
check "no initramfs: the kernel said so its way" grep -q 'No working init found' "$tmp/out"
check "no initramfs: diagnosed, saying to build the initramfs" \
  grep -q '^kwb: diagnosis: The kernel found no initramfs to start from — .*kwb initramfs' "$tmp/err"
check "no initramfs: one diagnosis only" [ "$(grep -c '^kwb: diagnosis:' "$tmp/err")" -eq 1 ]

# The same through kwb debug --json: it stops at start_kernel, continues, and
# stops again at the panic (debug.stop-on-crash), before the kernel prints
# its message: the diagnosis comes from the crash stop's.
"$kwb" debug --trust "$tmp/noinitrd" --json --continue 1 --timeout 300 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb debug: the stop at start_kernel came first" grep -q '^{"event":"stopped",.*"func":"start_kernel"' "$tmp/out"
check "kwb debug --json: a diagnosis event" \
  grep -q '^{"event":"diagnosis","problem":"no-initramfs","title":"The kernel found no initramfs to start from","advice":"' "$tmp/out"
check "kwb debug: the panic stops the session in kernel_init, exit 0" \
  sh -c "[ $rc -eq 0 ] && grep -q '^{\"event\":\"crash\",\"kind\":\"panic\",.*\"func\":\"kernel_init\"' '$tmp/out'"

# 2. An rcS that writes the hotplug file unconditionally, first.
new_project "$tmp/hotplug"
cat >"$tmp/rcS" <<'EOF'
#!/bin/sh
echo /sbin/mdev > /proc/sys/kernel/hotplug
/bin/mount -a
mdev -s
EOF
"$kwb" set "$tmp/hotplug" initramfs.rcs "$tmp/rcS" &&
  "$kwb" set "$tmp/hotplug" initramfs.output "$tmp/hotplug.cpio.gz" &&
  "$kwb" initramfs --trust "$tmp/hotplug" >"$tmp/err" 2>&1
check "hotplug: kwb initramfs takes the user's rcS" [ -s "$tmp/hotplug.cpio.gz" ]
boot_until_diagnosis "$tmp/hotplug"; found=$?
check "hotplug: BusyBox's shell said it could not create the file" grep -q "can't create /proc/sys/kernel/hotplug" "$tmp/out"
check "hotplug: diagnosed, naming the kernel options and the rcS key" \
  sh -c "[ $found -eq 0 ] && grep -q '^kwb: diagnosis: The kernel has no /proc/sys/kernel/hotplug — .*CONFIG_UEVENT_HELPER .*CONFIG_UEVENT_HELPER_PATH.*initramfs.rcs' '$tmp/err'"

# 3. A dynamic BusyBox in a hand-made initramfs.
new_project "$tmp/dynamic"
mkdir -p "$tmp/root/bin" "$tmp/root/proc" "$tmp/root/dev"
cp /bin/dash "$tmp/root/bin/busybox"
ln -s busybox "$tmp/root/bin/sh"
ln -s bin/busybox "$tmp/root/linuxrc"
ln -s bin/busybox "$tmp/root/init"
(cd "$tmp/root" && find . | cpio -o -H newc 2>/dev/null | gzip) >"$tmp/dynamic.cpio.gz"
"$kwb" set "$tmp/dynamic" initramfs.output "$tmp/dynamic.cpio.gz"
boot_to_end "$tmp/dynamic"; rc=$?
check "dynamic BusyBox: the guest panics and kwb boot exits 1" [ $rc -eq 1 ]
check "dynamic BusyBox: the kernel could not execute /linuxrc" grep -q 'Failed to execute /linuxrc' "$tmp/out"
check "dynamic BusyBox: diagnosed, saying busybox-static" \
  grep -q '^kwb: diagnosis: The kernel found no init program it could run — .*busybox-static' "$tmp/err"
check "dynamic BusyBox: not taken for a missing initramfs" sh -c "! grep -q 'no initramfs' '$tmp/err'"

# 4. console=tty0: a machine whose serial port the kernel never writes.
new_project "$tmp/silent"
"$kwb" set "$tmp/silent" qemu.extra-args -- '-append;console=tty0 rdinit=/linuxrc panic=-1'
boot_until_diagnosis "$tmp/silent"; found=$?
check "wrong console: not one byte on the serial console" [ ! -s "$tmp/out" ]
check "wrong console: diagnosed, saying console=ttyS0" \
  sh -c "[ $found -eq 0 ] && grep -q '^kwb: diagnosis: The kernel prints nothing on this console — .*console=ttyS0' '$tmp/err'"

# A good boot is not diagnosed: the fixture's own initramfs up to the shell.
new_project "$tmp/good"
"$kwb" debug --trust "$tmp/good" --break __do_sys_newuname --console-send 'uname -r\n' --timeout 300 >"$tmp/out" 2>"$tmp/err"
check "a good boot reaches the shell" grep -q '^stopped: __do_sys_newuname' "$tmp/out"
check "a good boot: no diagnosis" sh -c "! grep -q 'diagnosis' '$tmp/err'"

tap_done
