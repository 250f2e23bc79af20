#!/bin/sh
# test-kwb-mi.sh — `kwb mi parse` on recorded GDB transcripts gives the golden JSON lines
# SPDX-License-Identifier: GPL-3.0-or-later
# Usage: test-kwb-mi.sh KWB DATA_DIR   (TAP output)
set -u
kwb=$1
data=$2
. "$(dirname "$0")/tap-lib.sh"

for name in userspace userspace-mi2 kernel malformed; do
  desc="mi parse $name.mi matches $name.json"
  "$kwb" mi parse < "$data/$name.mi" > "$tmp/$name.json" 2> "$tmp/err"
  check "$desc" cmp -s "$tmp/$name.json" "$data/$name.json"
  [ -s "$tmp/err" ] && sed 's/^/# stderr: /' "$tmp/err"
done

desc="mi parse --strict fails on a transcript with bad lines"
"$kwb" mi parse --strict < "$data/malformed.mi" > /dev/null
check "$desc" test $? -eq 1

desc="mi parse --strict passes a clean GDB transcript"
"$kwb" mi parse --strict < "$data/userspace.mi" > /dev/null
check "$desc" test $? -eq 0

desc="a record split over reads and a missing final newline still parse"
printf '12^done,value="h\\303\\251"' | "$kwb" mi parse > "$tmp/one"
check "$desc" grep -qx '{"type":"result","token":12,"class":"done","results":\[\["value","hé"\]\]}' "$tmp/one"

desc="mi parse --help explains the output"
"$kwb" mi parse --help > "$tmp/help"
check "$desc" grep -q 'tuple' "$tmp/help"

desc="mi without a subcommand is a usage error (exit 2)"
"$kwb" mi > /dev/null 2>&1
check "$desc" test $? -eq 2

desc="mi parse with an argument is a usage error (exit 2)"
"$kwb" mi parse extra < /dev/null > /dev/null 2>&1
check "$desc" test $? -eq 2

tap_done
