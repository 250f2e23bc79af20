#!/bin/sh
# test-busybox-bad-input.sh — every bad input gives its own clear error and no partial output
# SPDX-License-Identifier: GPL-3.0-or-later
#
# TAP. Real kwb, real make (on a tiny fake BusyBox tree whose build fails like
# a compiler would, or hangs until cancelled).
set -u

KWB="${KWB:-$KWB_BUILD_ROOT/app/cli/kwb}"
n=0
fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); echo "not ok $n - $1"; fail=1; }
# expect NAME STATUS PATTERN CMD…: exit status and a message matching PATTERN
expect() {
  name=$1; want=$2; pattern=$3; shift 3
  "$@" > "$T/out" 2> "$T/err"
  got=$?
  if [ "$got" = "$want" ] && grep -q -- "$pattern" "$T/err"; then
    ok "$name"
  else
    not_ok "$name (exit $got, wanted $want and /$pattern/)"
    sed 's/^/# stderr: /' "$T/err"
  fi
}
no_partial() {  # no_partial NAME DIR: only expected files, no .NAME.XXXXXX temporaries
  if ls -A "$2" 2>/dev/null | grep -q '^\.initramfs'; then
    not_ok "$1: no temporary file left in $2"
    ls -la "$2" | sed 's/^/# /'
  else
    ok "$1: no temporary file left in $2"
  fi
}

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
P="$T/project"
"$KWB" init "$P" >/dev/null

# 1. A dynamically linked "BusyBox".
DYN=/bin/ls
expect "dynamic binary refused, saying why" 1 "dynamically linked.*no C library" \
  "$KWB" initramfs "$P" --busybox "$DYN" -o "$T/out1/initramfs.cpio.gz"
[ ! -e "$T/out1/initramfs.cpio.gz" ] && ok "dynamic binary: no output file" || not_ok "dynamic binary: no output file"
"$KWB" set "$P" busybox.source binary >/dev/null
"$KWB" set "$P" busybox.binary "$DYN" >/dev/null
expect "dynamic binary in the project refused by kwb busybox --check" 1 "dynamically linked" \
  "$KWB" busybox --check "$P"
expect "a non-ELF file refused" 1 "not an ELF" \
  "$KWB" initramfs "$P" --busybox "$P/kernel-workbench.ini" -o "$T/out1/initramfs.cpio.gz"
"$KWB" set "$P" busybox.source host >/dev/null
"$KWB" set "$P" busybox.binary /bin/busybox >/dev/null

# 2. A missing source folder.
"$KWB" set "$P" busybox.source tree >/dev/null
"$KWB" set "$P" busybox.tree "$T/no-such-busybox" >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build" >/dev/null
expect "missing source folder" 1 "no-such-busybox does not exist" "$KWB" busybox "$P"
[ ! -e "$T/bb-build" ] && ok "missing source: nothing created" || not_ok "missing source: nothing created"
mkdir "$T/not-busybox"
"$KWB" set "$P" busybox.tree "$T/not-busybox" >/dev/null
expect "a folder that is not a BusyBox tree" 1 "not a BusyBox source tree" "$KWB" busybox "$P"
expect "initramfs before the source build: says to build" 1 "kwb busybox" \
  "$KWB" initramfs "$P" -o "$T/out2/initramfs.cpio.gz"

# 3. A tree whose build fails like gcc does.
FAKE="$T/fake-busybox"
mkdir -p "$FAKE"
printf 'mainmenu "fake"\n' > "$FAKE/Config.in"
cat > "$FAKE/Makefile" <<'MK'
# A fake BusyBox: configures like kconfig, then fails to compile. all first:
# a bare make builds the first target.
all:
	@echo "  CC      applets/applets.o"
	@echo "  CC      libbb/broken.o"
	@echo "libbb/broken.c:3:14: error: expected ';' before '}' token" >&2
	@echo "libbb/broken.c:9:1: error: second error" >&2
	@false
hang:
	@echo "  CC      applets/applets.o"
	@sh -c 'sleep 300; : kwb-fake-busybox-hang' & sh -c 'sleep 300; : kwb-fake-busybox-hang'
install:
	@false
defconfig:
	@mkdir -p $(O)
	@printf '# CONFIG_STATIC is not set\n# CONFIG_INSTALL_NO_USR is not set\nCONFIG_SH_IS_ASH=y\n' > $(O)/.config
oldconfig:
	@echo "  HOSTCC  scripts/kconfig/conf"
MK
before=$(cd "$FAKE" && find . -printf '%p %m %s %T@\n' | sort | sha256sum)
"$KWB" set "$P" busybox.tree "$FAKE" >/dev/null
expect "failing build reports the first compiler error line" 1 \
  "libbb/broken.c:3:14: error: expected ';' before '}' token" "$KWB" busybox "$P"
grep -q "build.log" "$T/err" && ok "failure names the log" || not_ok "failure names the log"
grep -q "second error" "$T/bb-build/build.log" && ok "log kept with the whole output" || not_ok "log kept with the whole output"
[ ! -e "$T/bb-build/staging/bin/busybox" ] && ok "failing build: no binary installed" || not_ok "failing build: no binary installed"
after=$(cd "$FAKE" && find . -printf '%p %m %s %T@\n' | sort | sha256sum)
[ "$before" = "$after" ] && ok "failing build: source tree untouched" || not_ok "failing build: source tree untouched"

# 3a. The same tree as a tarball: extracted into the build folder, same error.
tar -C "$T" -czf "$T/fake-busybox.tar.gz" fake-busybox
"$KWB" set "$P" busybox.tree "$T/fake-busybox.tar.gz" >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build-tar" >/dev/null
expect "tarball source: extracted and built, first error reported" 1 \
  "libbb/broken.c:3:14: error: expected" "$KWB" busybox "$P"
ls "$T"/bb-build-tar/src/*/fake-busybox/Makefile >/dev/null 2>&1 && ok "tarball extracted under the build folder" \
  || not_ok "tarball extracted under the build folder"
grep -q "^\$ cd .* && tar -xf" "$T/bb-build-tar/build.log" && ok "extraction logged" || not_ok "extraction logged"
expect "second run reuses the extraction" 1 "libbb/broken.c:3:14" "$KWB" busybox "$P"
grep -q "tar -xf" "$T/bb-build-tar/build.log" && not_ok "second run reuses the extraction (no tar)" \
  || ok "second run reuses the extraction (no tar)"
: > "$T/empty.tar" && tar -C "$T/not-busybox" -cf "$T/empty.tar" .
"$KWB" set "$P" busybox.tree "$T/empty.tar" >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build-empty" >/dev/null
expect "a tarball without a BusyBox tree" 1 "holds no BusyBox source tree" "$KWB" busybox "$P"
"$KWB" set "$P" busybox.tree "$FAKE" >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build" >/dev/null

# 3b. Cancelling kills make and everything it started.
sed -i 's/^all:/all: hang\nold-all:/' "$FAKE/Makefile"
"$KWB" busybox "$P" > "$T/cancel.out" 2> "$T/cancel.err" &
kwb_pid=$!
i=0
while ! grep -q "applets.o" "$T/bb-build/build.log" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
sleep 0.5
pgrep -f kwb-fake-busybox-hang >/dev/null && ok "hanging build is running" || not_ok "hanging build is running"
kill -INT $kwb_pid
wait $kwb_pid
status=$?
[ $status = 130 ] && grep -q "cancelled by SIGINT" "$T/cancel.err" && ok "SIGINT cancels the build (exit 130)" || not_ok "SIGINT cancels the build (exit $status)"
sleep 0.3
if pgrep -f kwb-fake-busybox-hang >/dev/null; then
  not_ok "no make or child left after cancel"
  pgrep -af kwb-fake-busybox-hang | sed 's/^/# /'
else
  ok "no make or child left after cancel"
fi

# 3c. A cross build whose compiler came without the target's C library (Debian
#     ships it apart): refused before make, naming the package.
sed -i 's/^all: hang$/all:/' "$FAKE/Makefile"
mkdir -p "$T/fakebin"
cat > "$T/fakebin/aarch64-linux-gnu-gcc" <<'SH'
#!/bin/sh
# Asked for a file it does not have, GCC prints the name it was given.
case "$1" in -print-file-name=*) echo "${1#-print-file-name=}" ;; *) exit 1 ;; esac
SH
chmod +x "$T/fakebin/aarch64-linux-gnu-gcc"
"$KWB" set "$P" machine.arch arm64 >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build-cross" >/dev/null
expect "cross build without the target's C library names its package" 1 \
  "no libc.a found.*apt-get install libc6-dev-arm64-cross" env PATH="$T/fakebin:$PATH" "$KWB" busybox "$P"
[ ! -e "$T/bb-build-cross/obj" ] && ok "no C library: make not started" || not_ok "no C library: make not started"
"$KWB" set "$P" machine.arch x86_64 >/dev/null
"$KWB" set "$P" busybox.build-dir "$T/bb-build" >/dev/null

"$KWB" set "$P" busybox.source host >/dev/null

# 4. An extra file that does not exist; the previous archive stays intact.
mkdir -p "$T/out4"
"$KWB" initramfs "$P" -o "$T/out4/initramfs.cpio.gz" >/dev/null
sum_before=$(sha256sum < "$T/out4/initramfs.cpio.gz")
"$KWB" set "$P" initramfs.extra-files "$T/missing-file:/root/x" >/dev/null
expect "missing extra file" 1 "extra-files.*missing-file.*No such file" \
  "$KWB" initramfs "$P" -o "$T/out4/initramfs.cpio.gz"
[ "$(sha256sum < "$T/out4/initramfs.cpio.gz")" = "$sum_before" ] && ok "missing extra file: previous archive untouched" \
  || not_ok "missing extra file: previous archive untouched"
no_partial "missing extra file" "$T/out4"
"$KWB" set "$P" initramfs.extra-files "" >/dev/null
"$KWB" set "$P" initramfs.rcs "my-rcS" >/dev/null
expect "missing rcS override" 1 "initramfs\] rcs: .*my-rcS does not exist" \
  "$KWB" initramfs "$P" -o "$T/out4/initramfs.cpio.gz"
"$KWB" set "$P" initramfs.rcs "" >/dev/null
"$KWB" set "$P" initramfs.modules "$T/hello.ko" >/dev/null
expect "module without a kernel release" 1 "kernel release is unknown" \
  "$KWB" initramfs "$P" -o "$T/out4/initramfs.cpio.gz"
"$KWB" set "$P" initramfs.modules "" >/dev/null

# 5. An output folder that cannot be written. Root ignores permissions, so use
#    a file where a folder should be, and /proc; as a user also a 0555 folder.
: > "$T/blocker"
expect "output under a file" 1 "Cannot write the initramfs .*blocker/initramfs.cpio.gz" \
  "$KWB" initramfs "$P" -o "$T/blocker/initramfs.cpio.gz"
expect "output in /proc" 1 "Cannot write the initramfs /proc/" \
  "$KWB" initramfs "$P" -o /proc/kwb-test-initramfs.cpio.gz
[ ! -e /proc/kwb-test-initramfs.cpio.gz ] && ok "/proc: nothing written" || not_ok "/proc: nothing written"
if [ "$(id -u)" != 0 ]; then
  mkdir "$T/ro" && chmod 0555 "$T/ro"
  expect "output in a read-only folder" 1 "Cannot write the initramfs .*Permission denied" \
    "$KWB" initramfs "$P" -o "$T/ro/initramfs.cpio.gz"
  no_partial "read-only folder" "$T/ro"
  chmod 0755 "$T/ro"
fi

echo "1..$n"
exit $fail
