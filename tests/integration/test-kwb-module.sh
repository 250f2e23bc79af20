#!/bin/sh
# test-kwb-module.sh — kwb module new|build as a user runs them, against the fixture kernel.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP. Argument: the kwb binary. Needs KWB_FIXTURE_PROJECT.
kwb=${1:?usage: test-kwb-module.sh KWB}
fixture=${KWB_FIXTURE_PROJECT:?KWB_FIXTURE_PROJECT is not set: run build-aux/test}
vmlinux=${KWB_FIXTURE_VMLINUX:?KWB_FIXTURE_VMLINUX is not set}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 30 "$f" | sed 's/^/# /'; done; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }

build=$(dirname "$vmlinux")
release=$(cat "$build/include/config/kernel.release")
cp "$fixture/kernel-workbench.ini" "$tmp/fixture.ini.orig"
"$kwb" init "$tmp/p" >/dev/null 2>&1 &&
  "$kwb" set "$tmp/p" kernel.build-dir "$build" >/dev/null || { echo "Bail out! cannot make the test project"; exit 1; }

# Before any module project: says how to add one.
"$kwb" module build "$tmp/p" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no module projects: exit 0 and a hint" sh -c "[ $rc -eq 0 ] && grep -q 'kwb module new' '$tmp/out'"

# The template.
"$kwb" module new "$tmp/p" hello_kwb >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb module new exits 0" [ $rc -eq 0 ]
src=$tmp/p/modules/hello_kwb
check "the template has Kbuild, Makefile and hello_kwb.c" test -f "$src/Kbuild" -a -f "$src/Makefile" -a -f "$src/hello_kwb.c"
check "with init, exit and a parameter" sh -c "grep -q 'module_init(hello_kwb_init)' '$src/hello_kwb.c' && grep -q 'module_exit(hello_kwb_exit)' '$src/hello_kwb.c' && grep -q 'module_param(' '$src/hello_kwb.c'"
check "added to [modules] projects" sh -c "'$kwb' show '$tmp/p' | grep -q 'modules/hello_kwb'"
"$kwb" module new "$tmp/p" hello_kwb >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a second new with the same name is refused" sh -c "[ $rc -eq 1 ] && grep -q 'exists' '$tmp/err'"
"$kwb" module new "$tmp/p" 'bad name' >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a name that is no C identifier is refused" sh -c "[ $rc -eq 1 ] && grep -q 'identifier' '$tmp/err'"

# Build: against the fixture kernel, out of the user's folder, into the initramfs.
vmlinux_mtime=$(stat -c %Y "$vmlinux")
"$kwb" module build "$tmp/p" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "kwb module build exits 0" [ $rc -eq 0 ]
ko=$tmp/p/build/modules/hello_kwb/hello_kwb.ko
check "the .ko is built in the project's build folder" test -f "$ko"
check "the user's folder stays clean" sh -c "! ls '$src' | grep -Eq '\\.(o|ko|mod)$|Module.symvers|modules.order'"
check "the initramfs carries it under /lib/modules/RELEASE" sh -c "'$kwb' initramfs --list '$tmp/p' | grep -q '/lib/modules/$release/hello_kwb.ko'"
check "the initramfs was rebuilt" test -f "$tmp/p/build/initramfs.cpio.gz"

# Nothing changed: nothing recompiled. make runs with the project's jobs.
"$kwb" set "$tmp/p" kernel.jobs 3 >/dev/null
"$kwb" module build "$tmp/p" --verbose >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an unchanged module is not recompiled" sh -c "[ $rc -eq 0 ] && ! grep -q 'CC \\[M\\]' '$tmp/out'"
check "make runs with [kernel] jobs" grep -q '^\$ make -C .* M=.* -j3 ' "$tmp/out"

# An edit recompiles only the module; the kernel is not relinked.
sleep 1
sed -i 's/world/there/' "$src/hello_kwb.c"
"$kwb" module build "$tmp/p" --verbose >"$tmp/out" 2>"$tmp/err"; rc=$?
check "an edited module is recompiled" sh -c "[ $rc -eq 0 ] && grep -q 'CC \\[M\\].*hello_kwb.o' '$tmp/out'"
check "the kernel is not relinked" [ "$(stat -c %Y "$vmlinux")" = "$vmlinux_mtime" ]
check "the new source reached the .ko" grep -q 'there' "$ko"

# Another kernel: everything is rebuilt against it (kbuild alone would keep
# the objects of the first and link a .ko the guest refuses).
build612="${KWB_FIXTURE_612_PROJECT:?KWB_FIXTURE_612_PROJECT is not set: run build-aux/test}/build/kernel"
"$kwb" set "$tmp/p" kernel.build-dir "$build612" >/dev/null
"$kwb" module build "$tmp/p" --verbose >"$tmp/out" 2>"$tmp/err"; rc=$?
check "another kernel: the module is recompiled for it" sh -c "[ $rc -eq 0 ] && grep -q 'CC \\[M\\].*hello_kwb.o' '$tmp/out'"
check "and the .ko says that kernel's release" sh -c "tr '\\0' '\\n' <'$ko' | grep -q '^vermagic=$(cat "$build612/include/config/kernel.release") '"
"$kwb" set "$tmp/p" kernel.build-dir "$build" >/dev/null

# A compile error names the user's file and line, not the copy.
sed -i 's/return 0;/return undeclared_thing;/' "$src/hello_kwb.c"
line=$(grep -n 'undeclared_thing' "$src/hello_kwb.c" | cut -d: -f1)
"$kwb" module build "$tmp/p" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a compile error: exit 1" [ $rc -eq 1 ]
check "the error names the user's file and line" grep -q "$src/hello_kwb.c:$line" "$tmp/err"

# A folder that is no module.
"$kwb" set "$tmp/p" modules.projects "$tmp/nothing-here" >/dev/null
"$kwb" module build "$tmp/p" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "a missing module folder: exit 1 naming it" sh -c "[ $rc -eq 1 ] && grep -q 'nothing-here' '$tmp/err'"

# No kernel built.
"$kwb" init "$tmp/q" >/dev/null 2>&1
"$kwb" module new "$tmp/q" m1 >/dev/null 2>&1
"$kwb" module build "$tmp/q" >"$tmp/out" 2>"$tmp/err"; rc=$?
check "no kernel built: exit 1 naming kwb kernel build" sh -c "[ $rc -eq 1 ] && grep -q 'kwb kernel build' '$tmp/err'"

"$kwb" module --help >"$tmp/out" 2>&1; rc=$?
check "kwb module --help" sh -c "[ $rc -eq 0 ] && grep -q 'build' '$tmp/out'"
"$kwb" module build --help >"$tmp/out" 2>&1; rc=$?
check "kwb module build --help" sh -c "[ $rc -eq 0 ] && grep -q 'M=' '$tmp/out'"

check "the fixture project file was not touched" cmp -s "$tmp/fixture.ini.orig" "$fixture/kernel-workbench.ini"

echo "1..$n"
[ $fails -eq 0 ]
