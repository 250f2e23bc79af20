#!/bin/sh
# test-kwb-special-files.sh — pipes, sockets and devices given as files; module projects that hold a build
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Argument: the kwb binary. A named pipe given as the BusyBox binary,
# the kernel image, the vmlinux or the initramfs made kwb wait forever for a
# writer; each must be refused at once, naming the path and the setting.
# Every command runs under `timeout`, so a hang fails instead of hanging.
#
# A module project is copied into [modules] build-dir before make runs: one
# that holds a build folder (modules.projects=.) is refused before anything
# is copied, and the copy never enters its own destination, even when a bind
# mount (which no path comparison sees) leads there.
set -u
KWB=${1:?usage: test-kwb-special-files.sh KWB}
. "$(dirname "$0")/tap-lib.sh"
T=$tmp
mounted=
at_exit() { [ -z "$mounted" ] || umount "$mounted" 2>/dev/null; }

# refused DESC KIND SETTING PATH KWB-ARGS…: exit 1 at once, one message
# naming PATH, what it is and SETTING.
refused() {
  desc=$1 kind=$2 setting=$3 path=$4; shift 4
  timeout -k 5 10 "$KWB" "$@" </dev/null >"$T/out" 2>"$T/err"; rc=$?
  check "$desc: refused with exit 1 (not a hang: exit $rc)" [ $rc -eq 1 ]
  check "… the message names $path, $kind and $setting" \
    grep -qF "$path is $kind, not a regular file, so it cannot be used. Set $setting to a regular file." "$T/err"
}

# kwb set, which must work: its own error is shown when it does not.
set_key() {
  "$KWB" set "$@" >/dev/null 2>"$T/set.err" || notok "kwb set $*: $(cat "$T/set.err")"
}

P="$T/p"
"$KWB" init "$P" >/dev/null 2>&1 || { echo "Bail out! kwb init failed"; exit 1; }
mkfifo "$T/fifo"
ln -s "$T/fifo" "$T/link-to-fifo"
python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$T/sock"

# --- the BusyBox binary -----------------------------------------------------
set_key "$P" busybox.binary "$T/fifo"
refused "busybox.binary a FIFO, kwb busybox --check" "a named pipe (FIFO)" busybox.binary "$T/fifo" busybox --check "$P"
refused "busybox.binary a FIFO, kwb initramfs" "a named pipe (FIFO)" busybox.binary "$T/fifo" initramfs "$P"
set_key "$P" busybox.binary "$T/link-to-fifo"
refused "busybox.binary a symlink to a FIFO" "a named pipe (FIFO)" busybox.binary "$T/link-to-fifo" busybox --check "$P"
set_key "$P" busybox.binary "$T/sock"
refused "busybox.binary a socket" "a socket" busybox.binary "$T/sock" busybox --check "$P"
set_key "$P" busybox.binary /bin/busybox
refused "kwb initramfs --busybox a character device" "a character device" --busybox /dev/null \
  initramfs --busybox /dev/null "$P"
check "… and no archive was written" [ ! -e "$P/build/initramfs.cpio.gz" ]

# --- the kernel image, the vmlinux, the initramfs -------------------------------
printf 'not a kernel' > "$T/bzImage"
printf 'not a vmlinux' > "$T/vmlinux"
printf 'not an initramfs' > "$T/initramfs.cpio.gz"
set_key "$P" kernel.profile prebuilt
set_key "$P" kernel.image "$T/fifo"
set_key "$P" kernel.vmlinux "$T/vmlinux"
set_key "$P" initramfs.output "$T/initramfs.cpio.gz"
refused "kernel.image a FIFO, kwb boot" "a named pipe (FIFO)" kernel.image "$T/fifo" boot "$P"
refused "kernel.image a FIFO, kwb debug" "a named pipe (FIFO)" kernel.image "$T/fifo" debug "$P"
set_key "$P" kernel.image /dev/zero
refused "kernel.image a character device, kwb boot" "a character device" kernel.image /dev/zero boot "$P"
set_key "$P" kernel.image "$T/bzImage"
set_key "$P" kernel.vmlinux "$T/fifo"
refused "kernel.vmlinux a FIFO, kwb debug" "a named pipe (FIFO)" kernel.vmlinux "$T/fifo" debug "$P"
set_key "$P" kernel.vmlinux "$T/vmlinux"
set_key "$P" initramfs.output "$T/fifo"
refused "initramfs.output a FIFO, kwb boot" "a named pipe (FIFO)" initramfs.output "$T/fifo" boot "$P"
# The build profile: the files are under the build folder, which is the setting.
set_key "$P" kernel.profile fast && set_key "$P" initramfs.output "$T/initramfs.cpio.gz"
set_key "$P" kernel.build-dir "$T/kb"
mkdir -p "$T/kb/arch/x86/boot" && mkfifo "$T/kb/arch/x86/boot/bzImage"
refused "a FIFO as the built bzImage, kwb boot" "a named pipe (FIFO)" kernel.build-dir \
  "$T/kb/arch/x86/boot/bzImage" boot "$P"

# --- module projects that hold a build folder ----------------------------------
M="$T/m"
"$KWB" init "$M" >/dev/null 2>&1 || { echo "Bail out! kwb init failed"; exit 1; }
# A kernel build that looks built: the module build gets as far as copying.
mkdir -p "$M/build/kernel/scripts/mod" && printf '#!/bin/sh\n' > "$M/build/kernel/scripts/mod/modpost" &&
  chmod +x "$M/build/kernel/scripts/mod/modpost"
echo 'obj-m += hello.o' > "$M/Kbuild"
set_key "$M" modules.projects .
timeout 60 "$KWB" module build "$M" >"$T/out" 2>"$T/err"; rc=$?
check "modules.projects=. is refused (exit $rc)" [ $rc -eq 1 ]
check "… naming the project, the build folder and modules.projects" \
  grep -q "The module project $M contains the build folder $M/build/kernel (\[kernel\] build-dir).*Set \[modules\] projects" "$T/err"
check "… before anything is copied" [ ! -e "$M/build/modules" ]
# The copy outside the project: the kernel's build would still be copied.
set_key "$M" modules.build-dir "$T/elsewhere"
timeout 60 "$KWB" module build "$M" >"$T/out" 2>"$T/err"; rc=$?
check "modules.projects=. with [modules] build-dir outside it is refused too (exit $rc)" [ $rc -eq 1 ]
check "… naming [kernel] build-dir" grep -q "contains the build folder $M/build/kernel (\[kernel\] build-dir)" "$T/err"
check "… before anything is copied" [ ! -e "$T/elsewhere" ]

# A parent of the build folder, reached through a symlink.
mkdir -p "$T/outer/src" && echo 'obj-m += hello.o' > "$T/outer/src/Kbuild"
ln -s "$T/outer" "$T/outer-link"
set_key "$M" modules.projects "$T/outer-link"
set_key "$M" modules.build-dir "$T/outer/src/../mods"
timeout 60 "$KWB" module build "$M" >"$T/out" 2>"$T/err"; rc=$?
check "a module project holding [modules] build-dir through a symlink is refused (exit $rc)" [ $rc -eq 1 ]
check "… naming [modules] build-dir" grep -q "contains the build folder .*(\[modules\] build-dir)" "$T/err"
check "… before anything is copied" [ ! -e "$T/outer/mods" ]

# The destination reached through a bind mount inside the module project.
mkdir -p "$T/bind/src/sub" "$T/bind/mods" && echo 'obj-m += hello.o' > "$T/bind/src/Kbuild"
if mount --bind "$T/bind/mods" "$T/bind/src/sub" 2>/dev/null; then
  mounted="$T/bind/src/sub"
  set_key "$M" modules.projects "$T/bind/src"
  set_key "$M" modules.build-dir "$T/bind/mods"
  timeout 60 "$KWB" module build "$M" >"$T/out" 2>"$T/err"; rc=$?
  check "a bind mount leading to the copy: the copy is made (Kbuild copied)" test -f "$T/bind/mods/src/Kbuild"
  check "… and never entered: no copy of the copy" [ ! -e "$T/bind/mods/src/sub/src" ]
  check "… the build then fails in make, not in the copy (exit $rc)" \
    sh -c "[ $rc -eq 1 ] && ! grep -q 'Cannot create the module build folder' '$T/err'"
  umount "$mounted" && mounted=
else
  ok "# SKIP bind mounts are not permitted here"
fi

tap_done
