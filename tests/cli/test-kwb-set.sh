#!/bin/sh
# test-kwb-set.sh — kwb set and show never corrupt, replace or hang on the project file.
# SPDX-License-Identifier: GPL-3.0-or-later
# TAP output. Argument: the kwb binary. Every kwb runs under timeout, so a
# command that blocks (on a FIFO) fails here instead of hanging the suite.
kwb=${1:?usage: test-kwb-set.sh KWB}
. "$(dirname "$0")/tap-lib.sh"
run() { timeout 20 "$kwb" "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?; }

p=$tmp/proj
ini=$p/kernel-workbench.ini
run init "$p"
check "init exits 0" [ $rc -eq 0 ]

# A line break would start a new group or key in the file: refused, file untouched.
cp "$ini" "$tmp/before"
run set "$p" qemu.cmdline "$(printf 'quiet\n[qemu]\nbinary=/tmp/evil')"
check "a newline in a value exits 1 naming the line break" sh -c "[ $rc -eq 1 ] && grep -q 'line break' '$tmp/err'"
check "the file is unchanged byte for byte after a newline" cmp -s "$tmp/before" "$ini"
run set "$p" qemu.cmdline "$(printf 'quiet\rx')"
check "a carriage return in a value exits 1" sh -c "[ $rc -eq 1 ] && grep -q 'line break' '$tmp/err'"
check "the file is unchanged byte for byte after a carriage return" cmp -s "$tmp/before" "$ini"
run set "$p" qemu.extra-args -- "$(printf -- '-m;1\n[debug]\ngdb=/tmp/evil')"
check "a newline in a list exits 1" sh -c "[ $rc -eq 1 ] && grep -q 'line break' '$tmp/err'"
check "the file is unchanged byte for byte after a list with a newline" cmp -s "$tmp/before" "$ini"
run set "$p" qemu.cmdline "$(printf 'a\033[31m')"
check "a control character exits 1" sh -c "[ $rc -eq 1 ] && grep -q 'control character' '$tmp/err'"
check "the file is unchanged after a control character" cmp -s "$tmp/before" "$ini"

# Lists: ';' separates, '\;' and '\\' escape, the file holds a GKeyFile list.
run set "$p" modules.projects 'a\;b;c\\d;e'
check "a list with an escaped ; and \\ is set" [ $rc -eq 0 ]
check "the file holds a GKeyFile list" grep -qx 'projects=a\\;b;c\\\\d;e;' "$ini"
run show "$p"
check "show prints the list as set reads it" grep -Eq '^  projects +\= a\\;b;c\\\\d;e$' "$tmp/out"
run set "$p" modules.projects "$(sed -n 's/^  projects *= //p' "$tmp/out")"
check "show's list fed back to set changes nothing" sh -c "[ $rc -eq 0 ] && grep -qx 'projects=a\\\\;b;c\\\\\\\\d;e;' '$ini'"
cp "$ini" "$tmp/before"
run set "$p" modules.projects 'a\qb'
check "a broken escape typed by the user exits 1 naming the key" sh -c "[ $rc -eq 1 ] && grep -q 'modules\] projects' '$tmp/err'"
check "the file is unchanged after a broken escape" cmp -s "$tmp/before" "$ini"

# A list in the file that cannot be parsed: file:line and key, never empty.
sed 's/^projects=.*/projects=a\\xb;c/' "$ini" >"$tmp/broken" && cp "$tmp/broken" "$ini"
line=$(grep -n '^projects=' "$ini" | cut -d: -f1)
run show "$p"
check "show on a broken list exits 1 naming file:line and the key" \
  sh -c "[ $rc -eq 1 ] && grep -q 'kernel-workbench.ini:$line: \[modules\] projects' '$tmp/err'"
run set "$p" qemu.cpus 3
check "set on a file with a broken list exits 1" [ $rc -eq 1 ]
check "and leaves it as it was" cmp -s "$tmp/broken" "$ini"
run set "$p" modules.projects ''
check "even when setting the broken key itself" cmp -s "$tmp/broken" "$ini"
rm -rf "$p"
run init "$p"

# Values that begin with '-'.
run set "$p" qemu.extra-args -- -nographic
check "set P qemu.extra-args -- -nographic exits 0" [ $rc -eq 0 ]
run show "$p"
check "the value is -nographic" grep -Eq '^  extra-args +\= -nographic$' "$tmp/out"
run set "$p" qemu.extra-args '-nographic;-m;1G'
check "a value starting with - without -- is a usage error" [ $rc -eq 2 ]
check "whose first line says to put -- before it" sh -c "head -1 '$tmp/err' | grep -Fq -- \"put -- before it (kwb set DIR GROUP.KEY -- '-nographic;-m;1G')\""
check "under kwb set's usage" grep -q 'kwb set \[OPTION' "$tmp/err"
check "and whose usage shows an example" grep -q -- 'qemu.extra-args -- -nographic' "$tmp/err"
run set --help
check "set --help shows [--] VALUE" grep -q -- '\[--\] VALUE' "$tmp/out"
run set "$p" -h
check "set DIR -h is still help" sh -c "[ $rc -eq 0 ] && grep -q 'kwb set' '$tmp/out'"
run set "$p" debug.start-function -- --
check "set P KEY -- -- sets the value --" sh -c "[ $rc -eq 0 ] && grep -qx 'start-function=--' '$ini'"

# Misspelled keys get the nearest one.
cp "$ini" "$tmp/before"
run set "$p" qemu.memroy 1
check "qemu.memroy exits 1 suggesting qemu.memory" sh -c "[ $rc -eq 1 ] && grep -q 'did you mean qemu.memory?' '$tmp/err'"
run set "$p" qmeu.memory 1
check "a misspelled group exits 1 suggesting qemu.memory" sh -c "[ $rc -eq 1 ] && grep -q 'did you mean qemu.memory?' '$tmp/err'"
run set "$p" memory 1
check "a bare key exits 2 suggesting qemu.memory" sh -c "[ $rc -eq 2 ] && grep -q 'did you mean qemu.memory?' '$tmp/err'"
check "the file is unchanged after unknown keys" cmp -s "$tmp/before" "$ini"

# A project file that is a symlink stays one, and its target keeps its mode.
mkdir "$tmp/dotfiles"
mv "$ini" "$tmp/dotfiles/kwb.ini"
chmod 600 "$tmp/dotfiles/kwb.ini"
ln -s ../dotfiles/kwb.ini "$ini"
run set "$p" qemu.memory 4096
check "set through a symlink exits 0" [ $rc -eq 0 ]
check "the project file is still a symlink" [ -L "$ini" ]
check "the target got the value" grep -qx 'memory=4096' "$tmp/dotfiles/kwb.ini"
check "the target kept mode 600" [ "$(stat -c %a "$tmp/dotfiles/kwb.ini")" = 600 ]
check "no temporary file is left beside the target" [ "$(ls -A "$tmp/dotfiles")" = kwb.ini ]

p2=$tmp/plain
run init "$p2"
chmod 600 "$p2/kernel-workbench.ini"
run set "$p2" qemu.cpus 3
check "a plain 0600 project file keeps mode 600 after set" sh -c "[ $rc -eq 0 ] && [ \"\$(stat -c %a '$p2/kernel-workbench.ini')\" = 600 ]"

# FIFOs, sockets and devices are refused at once, never opened for reading.
mkdir "$tmp/fifo" "$tmp/sock" "$tmp/dev"
mkfifo "$tmp/fifo/kernel-workbench.ini"
python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/sock/kernel-workbench.ini"
ln -s /dev/null "$tmp/dev/kernel-workbench.ini"
for kind in fifo:FIFO sock:socket dev:'character device'; do
  d=${kind%%:*} what=${kind#*:}
  run show "$tmp/$d"
  check "show on a $what project file exits 1 at once saying so" sh -c "[ $rc -eq 1 ] && grep -q '$what' '$tmp/err'"
  run set "$tmp/$d" qemu.cpus 3
  check "set on a $what project file exits 1 at once" [ $rc -eq 1 ]
done
check "the FIFO is still a FIFO" [ -p "$tmp/fifo/kernel-workbench.ini" ]
check "the socket is still a socket" [ -S "$tmp/sock/kernel-workbench.ini" ]
check "the /dev/null link is still a link" [ -L "$tmp/dev/kernel-workbench.ini" ]
mkfifo "$tmp/lone-fifo"
run show "$tmp/lone-fifo"
check "show on a FIFO given as the folder exits 1 at once" sh -c "[ $rc -eq 1 ] && grep -q 'FIFO' '$tmp/err'"

tap_done
