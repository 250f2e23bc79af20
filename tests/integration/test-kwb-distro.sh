#!/bin/sh
# test-kwb-distro.sh — kwb debug on Debian's own cloud kernel with its separate debug symbols.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_DISTRO_IMAGE and
# KWB_FIXTURE_DISTRO_VMLINUX (build-aux/fixture-distro-kernel) and
# KWB_FIXTURE_INITRAMFS.
# That vmlinux records relative compilation directories
# ("debian/build/build_amd64_none_cloud-amd64") and relative file names:
# every stop must still name the file in the project's source tree
# (linux-source-6.1, extracted by kwb) and print its line, GDB must find
# the file itself (`list`), and a crash must stop at its line there too.
kwb=${1:?usage: test-kwb-distro.sh KWB}
image=${KWB_FIXTURE_DISTRO_IMAGE:?KWB_FIXTURE_DISTRO_IMAGE is not set: run build-aux/test (build-aux/fixture-distro-kernel)}
vmlinux=${KWB_FIXTURE_DISTRO_VMLINUX:?KWB_FIXTURE_DISTRO_VMLINUX is not set: run build-aux/test}
initramfs=${KWB_FIXTURE_INITRAMFS:?KWB_FIXTURE_INITRAMFS is not set: run build-aux/test}
. "$(dirname "$0")/../cli/tap-lib.sh"

"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.profile prebuilt &&
  "$kwb" set "$tmp/p" kernel.image "$image" &&
  "$kwb" set "$tmp/p" kernel.vmlinux "$vmlinux" &&
  "$kwb" set "$tmp/p" initramfs.output "$initramfs" &&
  "$kwb" set "$tmp/p" qemu.accel tcg &&
  "$kwb" set "$tmp/p" qemu.memory 512 || { echo "Bail out! cannot make the test project"; exit 1; }

# The stop at start_kernel: init/main.c of our tree, with its line.
"$kwb" debug "$tmp/p" --json --exec 'info source' --timeout 300 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a distribution kernel stops at start_kernel: exit 0" [ $rc -eq 0 ]
check "the stop names init/main.c in the local tree, and its line" python3 -c '
import json, sys
stops = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{\"event\":\"stopped\"")]
assert len(stops) == 1, stops
s = stops[0]
assert s["func"] == "start_kernel", s
assert s["file"].startswith("/") and s["file"].endswith("/init/main.c"), s["file"]
line = open(s["file"]).read().split("\n")[s["line"] - 1]
assert s["source"] == line and line.strip(), (s["source"], line)
' "$tmp/out"
check "GDB finds the file itself (info source: Located in the local tree)" \
  grep -q 'Located in /[^"]*/init/main.c' "$tmp/out"
check "the vmlinux does record a relative compilation directory" \
  grep -q 'Compilation directory is debian/build/' "$tmp/out"

# A crash in the distribution kernel: stopped at its line, in our tree. With
# a cache folder of its own (the source tree given as a folder, so it is not
# extracted again), this is the first session with this vmlinux: kwb says so.
src=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    if l.startswith("{\"event\":\"stopped\""):
        print(json.loads(l)["file"][:-len("/init/main.c")])
' "$tmp/out")
"$kwb" set "$tmp/p" kernel.source "$src" >/dev/null
"$kwb" set "$tmp/p" debug.break-at-start false >/dev/null
"$kwb" set "$tmp/p" qemu.freeze false >/dev/null
XDG_CACHE_HOME=$tmp/cache "$kwb" debug "$tmp/p" --console-send 'echo c > /proc/sysrq-trigger\n' --timeout 300 \
  >"$tmp/out" 2>"$tmp/err"; rc=$?
check "sysrq c: exit 0" [ $rc -eq 0 ]
check "the crash stop names drivers/tty/sysrq.c in the local tree" \
  grep -Eq '^(panic|oops): sysrq_handle_crash at /.*/drivers/tty/sysrq.c:[0-9]+$' "$tmp/out"
check "with the source line" grep -Eq '^ +[0-9]+	.*(panic|\*killer = 1|NULL)' "$tmp/out"
check "the first session with this vmlinux says why it is slower" \
  grep -q '^kwb: First session with this vmlinux ([0-9]* MB): GDB reads all of its debug information once' "$tmp/err"
check "the index is written in the background, and kwb debug waits for it at the end" \
  sh -c "grep -q '^kwb: finishing GDB’s index of this vmlinux' '$tmp/err' && grep -q '^kwb: GDB’s index of this vmlinux is written' '$tmp/err'"
build_id=$(readelf -n "$vmlinux" | sed -n 's/.*Build ID: //p')
check "GDB kept its index, named by the vmlinux's build-id" \
  test -f "$tmp/cache/kernel-workbench/gdb-index/$build_id.gdb-index"
# The relocations of its debug information, which GDB would apply again in
# every session, are left out of the copy sessions read.
check "the vmlinux has relocations for its debug information" \
  sh -c "readelf -S -W '$vmlinux' | grep -q '\.rela\.debug_info'"
check "and a copy of it without them is kept beside the index" \
  sh -c "test -f '$tmp/cache/kernel-workbench/gdb-index/$build_id.vmlinux' &&
         ! readelf -S -W '$tmp/cache/kernel-workbench/gdb-index/$build_id.vmlinux' | grep -q '\.rela\.debug'"

# The next session: the index is there; loading is announced, not excused.
"$kwb" set "$tmp/p" debug.break-at-start true >/dev/null
XDG_CACHE_HOME=$tmp/cache "$kwb" debug "$tmp/p" --exec 'info files' --timeout 300 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "the next session stops at start_kernel" sh -c "[ $rc -eq 0 ] && grep -q '^stopped: start_kernel at /' '$tmp/out'"
check "its GDB reads the kept copy" grep -Fq "Symbols from \"$tmp/cache/kernel-workbench/gdb-index/$build_id.vmlinux\"" "$tmp/out"
check "with the source line still from the local tree" grep -Eq '^ +[0-9]+	' "$tmp/out"
check "and says it loads the symbols, not that it is the first" \
  sh -c "grep -q '^kwb: Loading the symbols of .* ([0-9]* MB)' '$tmp/err' && ! grep -q 'First session' '$tmp/err'"
check "and writes no index again" sh -c "! grep -q 'index of this vmlinux' '$tmp/err'"
# Debian's kernels have a PVH entry: QEMU boots the vmlinux, no decompressor.
check "QEMU booted the vmlinux through its PVH entry" grep -q '^kwb: QEMU boots the vmlinux itself through its PVH entry' "$tmp/err"

# qemu.boot=image: the compressed image, as a user debugging its decompressor wants.
"$kwb" set "$tmp/p" qemu.boot image >/dev/null
XDG_CACHE_HOME=$tmp/cache "$kwb" debug "$tmp/p" --timeout 300 >"$tmp/out" 2>"$tmp/err"; rc=$?
check "with qemu.boot=image it stops at start_kernel too" sh -c "[ $rc -eq 0 ] && grep -q '^stopped: start_kernel at /' '$tmp/out'"
check "and booted the image, not the vmlinux" sh -c "! grep -q 'PVH entry' '$tmp/err'"

tap_done
