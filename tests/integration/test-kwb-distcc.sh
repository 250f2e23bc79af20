#!/bin/sh
# test-kwb-distcc.sh — the fixture kernel built through a real distccd, and a farm that is down
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. A distccd on 127.0.0.1 (allowed from 127.0.0.1 only, on a free port)
# compiles a full build of the fast-profile fixture kernel into a temporary
# project; its log must list the compiles, and GDB must find start_kernel's
# source in the kernel tree as with the locally built fixture. Then a host
# on a closed port: one object, built here, with the warning.
# Needs $KWB_FIXTURE_PROJECT and $KWB_FIXTURE_VMLINUX (build-aux/fixtures).
set -u

KWB="${KWB:-$KWB_BUILD_ROOT/app/cli/kwb}"
T=$(mktemp -d)
DISTCCD_PID=
cleanup() {
  if [ -n "$DISTCCD_PID" ]; then
    kill "$DISTCCD_PID" 2>/dev/null
    wait "$DISTCCD_PID" 2>/dev/null
  fi
  rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
n=0
fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); echo "not ok $n - $1"; fail=1; }
skip_all() { echo "1..0 # SKIP $1"; exit 0; }

[ -n "${KWB_FIXTURE_PROJECT:-}" ] || skip_all "no fixture kernel (eval \"\$(build-aux/fixtures)\")"
command -v distccd > /dev/null && command -v distcc > /dev/null || skip_all "distcc is not installed"
command -v python3 > /dev/null || skip_all "python3 is not installed"

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A project that builds the fixture's kernel configuration into $T.
new_project() {
  mkdir -p "$1"
  cp "$KWB_FIXTURE_PROJECT/kernel-workbench.ini" "$1/"
  "$KWB" set "$1" kernel.build-dir "$1/build/kernel" > /dev/null
}

# distcc's own state (the backoff after a failed host) stays in the test.
export DISTCC_DIR="$T/distcc"
mkdir -p "$DISTCC_DIR"

# --- kwb build shows the warning as the step's status ----------------------
"$KWB" init "$T/fake" > /dev/null 2>&1
"$KWB" set "$T/fake" kernel.source "$KWB_SOURCE_ROOT/tests/data/kernel-fake" > /dev/null
"$KWB" set "$T/fake" kernel.distcc-hosts "127.0.0.1:$(free_port)/4" > /dev/null
"$KWB" build --trust "$T/fake" > "$T/out" 2> "$T/err"
if grep -q "^kernel: Warning: No distcc host answers" "$T/out" && grep -q "kwb_undefined" "$T/err"; then
  ok "kwb build: the warning is the kernel step's status, the build goes on here"
else
  not_ok "kwb build: the warning is the kernel step's status, the build goes on here"
  sed 's/^/# stdout: /' "$T/out" | tail -10
fi

# --- a farm that is down: built here, with the warning ---------------------
closed=$(free_port)
new_project "$T/down"
"$KWB" set "$T/down" kernel.distcc-hosts "127.0.0.1:$closed/4" > /dev/null
"$KWB" kernel build --trust -t init/version.o "$T/down" > "$T/out" 2> "$T/err"
status=$?
if [ $status = 0 ] && [ -f "$T/down/build/kernel/init/version.o" ]; then
  ok "host down: the object is built here"
else
  not_ok "host down: the object is built here (exit $status)"
  sed 's/^/# /' "$T/err" | tail -20
fi
if grep -q "127.0.0.1:$closed/4 does not answer" "$T/out" && grep -q "compiling on this machine only" "$T/out"; then
  ok "host down: kwb kernel build says so"
else
  not_ok "host down: kwb kernel build says so"
  sed 's/^/# stdout: /' "$T/out" | tail -20
fi
if grep -q "^Warning: .*does not answer" "$T/down/build/kernel/kwb-build.log"; then
  ok "host down: the warning is in the build log"
else
  not_ok "host down: the warning is in the build log"
fi

# --- a full build through distccd ----------------------------------------
port=$(free_port)
distccd --no-detach --daemon --allow 127.0.0.1 --listen 127.0.0.1 --port "$port" \
  --log-stderr --log-level info 2> "$T/distccd.log" &
DISTCCD_PID=$!
new_project "$T/farm"
"$KWB" set "$T/farm" kernel.distcc-hosts "127.0.0.1:$port/4" > /dev/null
# Every object compiled, not taken from ccache: the compiles are what is tested.
CCACHE_RECACHE=1 "$KWB" kernel build --trust "$T/farm" > "$T/out" 2> "$T/err"
status=$?
if [ $status = 0 ] && [ -f "$T/farm/build/kernel/vmlinux" ]; then
  ok "distccd: the kernel is built"
else
  not_ok "distccd: the kernel is built (exit $status)"
  sed 's/^/# /' "$T/err" | tail -20
fi
if grep -q "Warning" "$T/out"; then
  not_ok "distccd: no warning"
  grep "Warning" "$T/out" | sed 's/^/# /'
else
  ok "distccd: no warning"
fi
compiled=$(grep -c "COMPILE_OK .*/init/main.c$" "$T/distccd.log")
total=$(grep -c "COMPILE_OK" "$T/distccd.log")
if [ "$compiled" -ge 1 ] && [ "$total" -ge 100 ]; then
  ok "distccd: its log lists the compiles ($total, init/main.c among them)"
else
  not_ok "distccd: its log lists the compiles ($total, init/main.c $compiled times)"
  tail -20 "$T/distccd.log" | sed 's/^/# /'
fi
where() {
  gdb -batch -nx -ex "info line start_kernel" "$1" 2>/dev/null | sed -n 's/^Line [0-9]* of "\([^"]*\)".*/\1/p' | head -1
}
built=$(where "$T/farm/build/kernel/vmlinux")
fixture=$(where "$KWB_FIXTURE_VMLINUX")
case "$built" in
  /*/init/main.c) found=yes ;;
  *) found=no ;;
esac
if [ $found = yes ] && [ -f "$built" ] && [ "$built" = "$fixture" ]; then
  ok "distccd: vmlinux debugs like a local one (start_kernel in $built)"
else
  not_ok "distccd: vmlinux debugs like a local one (distcc: '$built', local: '$fixture')"
fi

echo "1..$n"
exit $fail
