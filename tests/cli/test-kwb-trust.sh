#!/bin/sh
# test-kwb-trust.sh — kwb runs a project's programs only when the project is trusted here. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-kwb-trust.sh KWB
#
# The project's QEMU and BusyBox are small scripts that leave a mark when
# they run: a command refused for trust must leave none. The record of
# trusted projects lives in a private XDG_DATA_HOME.
kwb=${1:?usage: test-kwb-trust.sh KWB}
. "$(dirname "$0")/tap-lib.sh"
export XDG_DATA_HOME="$tmp/data"
store="$XDG_DATA_HOME/kernel-workbench/trusted-projects.ini"

p="$tmp/p"
"$kwb" init "$p" >/dev/null 2>&1
check "init records the project as trusted" grep -q "^path=$p/kernel-workbench.ini$" "$store"
check "the record is private" [ "$(stat -c %a "$store")" = 600 ]
"$kwb" show "$p" >"$tmp/out" 2>"$tmp/err"
check "show says a project made here is trusted" grep -q '^Trusted on this computer' "$tmp/out"
"$kwb" set "$p" qemu.memory 512 >/dev/null 2>&1
"$kwb" show "$p" >"$tmp/out" 2>"$tmp/err"
check "kwb set keeps it trusted" grep -q '^Trusted on this computer' "$tmp/out"

# What boot needs on disk, so that only trust stands between it and QEMU.
mkdir -p "$p/build/kernel/arch/x86/boot"
echo x >"$p/build/kernel/arch/x86/boot/bzImage"
echo x >"$p/build/kernel/vmlinux"
echo x >"$p/build/initramfs.cpio.gz"
printf '#!/bin/sh\necho "$@" >>"%s/qemu-ran"\nexit 1\n' "$tmp" >"$tmp/their-qemu"
printf '#!/bin/sh\necho "$@" >>"%s/busybox-ran"\nexit 1\n' "$tmp" >"$tmp/their-busybox"
chmod +x "$tmp/their-qemu" "$tmp/their-busybox"

# Changed outside kwb: qemu.binary edited by hand.
sed -i "s|^binary=qemu-system-x86_64\$|binary=$tmp/their-qemu|" "$p/kernel-workbench.ini"
"$kwb" boot "$p" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "boot of a hand-edited project exits 1" [ $rc -eq 1 ]
check "it says the project changed outside Kernel Workbench" grep -q 'changed outside Kernel Workbench' "$tmp/err"
check "it names the QEMU it would run" grep -q "QEMU: $tmp/their-qemu" "$tmp/err"
check "it says how to go on" grep -q 'run again with --trust' "$tmp/err"
check "QEMU was not started" [ ! -e "$tmp/qemu-ran" ]
"$kwb" debug "$p" --timeout 20 </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "debug refuses it too" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
check "debug started no QEMU" [ ! -e "$tmp/qemu-ran" ]
"$kwb" show "$p" >"$tmp/out" 2>"$tmp/err"
check "show says it is not trusted" grep -q '^Not trusted:' "$tmp/out"

# kwb set cannot launder the hand edit.
"$kwb" set "$p" qemu.memory 256 >/dev/null 2>&1
"$kwb" boot "$p" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "after kwb set it is still not trusted" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
check "still no QEMU started" [ ! -e "$tmp/qemu-ran" ]

# --trust: shown, recorded, and the project's QEMU runs.
"$kwb" boot --trust "$p" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "boot --trust lists what it trusts" grep -q "trusting $p/kernel-workbench.ini" "$tmp/err"
check "boot --trust runs the project's QEMU" [ -s "$tmp/qemu-ran" ]
rm -f "$tmp/qemu-ran"
"$kwb" boot "$p" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "the next boot does not ask" sh -c "! grep -q -e '--trust' -e trusting '$tmp/err'"
check "and runs QEMU" [ -s "$tmp/qemu-ran" ]

# A copy is another project: not trusted, whoever made the original.
mkdir "$tmp/copy"
cp "$p/kernel-workbench.ini" "$tmp/copy/"
"$kwb" initramfs "$tmp/copy" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a copied project is not trusted" sh -c "[ $rc -eq 1 ] && grep -q 'not trusted on this computer' '$tmp/err'"

# A project written by someone else: its BusyBox is not run to list applets.
# (Its kernel source does not exist: were the check missing, the builds
# below would fail at once rather than extract a kernel.)
mkdir "$tmp/theirs"
printf '[project]\nversion=1\n[kernel]\nsource=%s\n[busybox]\nsource=binary\nbinary=%s\n' \
  "$tmp/their-linux" "$tmp/their-busybox" >"$tmp/theirs/kernel-workbench.ini"
"$kwb" initramfs "$tmp/theirs" -o "$tmp/theirs.cpio.gz" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "initramfs of a project written elsewhere exits 1" [ $rc -eq 1 ]
check "it names the BusyBox it would run" grep -q "BusyBox, run here to list its applets: $tmp/their-busybox" "$tmp/err"
check "that BusyBox did not run" [ ! -e "$tmp/busybox-ran" ]
check "no archive was written" [ ! -e "$tmp/theirs.cpio.gz" ]
"$kwb" build "$tmp/theirs" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "build refuses it" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
"$kwb" kernel build "$tmp/theirs" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kernel build refuses it" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
"$kwb" busybox --check "$tmp/theirs" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "busybox --check refuses it" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
"$kwb" module build "$tmp/theirs" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "module build refuses it" sh -c "[ $rc -eq 1 ] && grep -q 'run again with --trust' '$tmp/err'"
check "none of them ran its BusyBox" [ ! -e "$tmp/busybox-ran" ]
for c in boot debug build busybox initramfs; do
  "$kwb" "$c" --help >"$tmp/out" 2>&1
  check "$c --help offers --trust" grep -q -- '--trust' "$tmp/out"
done

# A record that cannot be parsed is reported and never written over.
printf 'not [a key file\n' >"$store"
cp "$store" "$tmp/store-before"
"$kwb" boot "$p" </dev/null >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unreadable record is reported" sh -c "[ $rc -eq 1 ] && grep -q 'trusted-projects.ini cannot be read' '$tmp/err'"
"$kwb" init "$tmp/q" >/dev/null 2>&1
"$kwb" initramfs --trust "$tmp/theirs" -o "$tmp/theirs.cpio.gz" >"$tmp/out" 2>"$tmp/err"
check "--trust warns that it could not record" grep -q 'warning:.*trusted-projects.ini cannot be read' "$tmp/err"
check "and the record was not written over" cmp -s "$store" "$tmp/store-before"

tap_done
