#!/bin/sh
# test-kwb-kernel-cli.sh — kwb kernel configure|build|doctor: output and exit status
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Real kwb; the failing build is the fake kernel tree in
# tests/data/kernel-fake (its make prints a compiler error).
set -u

KWB="${KWB:-$KWB_BUILD_ROOT/app/cli/kwb}"
DATA="$KWB_SOURCE_ROOT/tests/data"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
n=0
fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); echo "not ok $n - $1"; fail=1; }
# expect NAME STATUS STREAM PATTERN CMD…: exit status, and PATTERN in stdout or stderr
expect() {
  name=$1; want=$2; stream=$3; pattern=$4; shift 4
  "$@" > "$T/out" 2> "$T/err"
  got=$?
  if [ "$got" = "$want" ] && grep -q -- "$pattern" "$T/$stream"; then
    ok "$name"
  else
    not_ok "$name (exit $got, wanted $want and /$pattern/ on $stream)"
    sed 's/^/# stdout: /' "$T/out" | head -20
    sed 's/^/# stderr: /' "$T/err" | head -20
  fi
}

expect "kernel --help" 0 out "kwb kernel doctor PROJECT|CONFIG" "$KWB" kernel --help
expect "kernel without subcommand is bad usage" 2 err "kwb kernel build" "$KWB" kernel
expect "unknown subcommand is bad usage" 2 err "no subcommand" "$KWB" kernel frobnicate
expect "build without project is bad usage" 2 err "one project folder" "$KWB" kernel build
expect "build --help names the command" 0 out "kwb kernel build" "$KWB" kernel build --help

# The doctor on config files: warnings keep exit 0, a problem exits 1.
expect "doctor: Debian cloud config has KASLR on" 0 out "warning  CONFIG_RANDOMIZE_BASE=y" \
  "$KWB" kernel doctor "$DATA/kconfig/debian-cloud.config"
expect "doctor: Debian cloud config lacks GDB scripts" 0 out "warning  CONFIG_GDB_SCRIPTS=n" \
  "$KWB" kernel doctor "$DATA/kconfig/debian-cloud.config"
printf 'CONFIG_64BIT=y\nCONFIG_DEBUG_INFO_NONE=y\n' > "$T/nodebug.config"
expect "doctor: no debug info is a problem" 1 out "PROBLEM  CONFIG_DEBUG_INFO=n" \
  "$KWB" kernel doctor "$T/nodebug.config"
gzip -c "$T/nodebug.config" > "$T/config.gz"
expect "doctor: reads gzip (/proc/config.gz)" 1 out "DEBUG_INFO_DWARF4" "$KWB" kernel doctor "$T/config.gz"
if [ -f /usr/src/linux-config-6.1/config.amd64_none_amd64.xz ]; then
  expect "doctor: reads Debian's xz configs" 0 out "KASLR is on" \
    "$KWB" kernel doctor /usr/src/linux-config-6.1/config.amd64_none_amd64.xz
else
  n=$((n+1)); echo "ok $n # SKIP linux-config-6.1 is not installed"
fi
expect "doctor: not a config" 1 err "not a kernel configuration" "$KWB" kernel doctor "$DATA/kernel-fake/Makefile"
"$KWB" init "$T/p" > /dev/null 2>&1
expect "doctor: project not configured yet" 1 err "kwb kernel configure" "$KWB" kernel doctor "$T/p"

# What would be requested, without running anything.
expect "configure --print-fragment: base and debug layer" 0 out "^CONFIG_DEBUG_INFO_DWARF4=y" \
  "$KWB" kernel configure --print-fragment "$T/p"
expect "configure --print-fragment: tinyconfig base" 0 out "^# base: tinyconfig" \
  "$KWB" kernel configure --print-fragment "$T/p"
"$KWB" set "$T/p" kernel.extra-config "CONFIG_UNIX" > /dev/null 2>&1
expect "configure: a bad extra-config line" 1 err "is not an option line" \
  "$KWB" kernel configure --print-fragment "$T/p"

# A build that fails: the first error, file:line:col, on stderr; exit 1.
"$KWB" set "$T/p" kernel.extra-config "" > /dev/null 2>&1
"$KWB" set "$T/p" kernel.source "$DATA/kernel-fake" > /dev/null 2>&1
expect "build: the first compiler error with file:line:col" 1 err "init/main.c:12:5: error: 'kwb_undefined'" \
  "$KWB" kernel build "$T/p"
if grep -q "^compile" "$T/out" && ! grep -q $(printf '\r') "$T/out"; then
  ok "build: plain progress lines when stdout is not a terminal"
else
  not_ok "build: plain progress lines when stdout is not a terminal"
  sed 's/^/# stdout: /' "$T/out"
fi
if [ -f "$T/p/build/kernel/kwb-build.log" ] && grep -q "kwb_undefined" "$T/p/build/kernel/kwb-build.log"; then
  ok "build: the full log is in the build dir"
else
  not_ok "build: the full log is in the build dir"
fi
"$KWB" set "$T/p" kernel.source "$T/nowhere" > /dev/null 2>&1
expect "build: missing source names the package" 1 err "apt-get install linux-source-6.1" "$KWB" kernel build "$T/p"

echo "1..$n"
exit $fail
