#!/bin/sh
# test-kwb-manpage.sh — kwb(1) lists what kwb --help lists and renders cleanly. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-kwb-manpage.sh KWB MANPAGE
kwb=${1:?usage: test-kwb-manpage.sh KWB MANPAGE}
page=${2:?usage: test-kwb-manpage.sh KWB MANPAGE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C.UTF-8
unset LANGUAGE
echo "1..4"

"$kwb" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' >"$tmp/help"
# The COMMANDS section: ".TP" then ".B NAME".
sed -n '/^\.SH COMMANDS/,/^\.SH "/p' "$page" | sed -n 's/^\.B \(.*\)/\1/p' >"$tmp/man"
if [ -s "$tmp/help" ] && cmp -s "$tmp/help" "$tmp/man"; then
  echo "ok 1 - the COMMANDS section lists kwb --help's commands, in order"
else
  echo "not ok 1 - commands differ (< kwb --help, > kwb.1)"
  diff "$tmp/help" "$tmp/man" | sed 's/^/# /'
fi

missing=""
while read -r cmd; do
  grep -qx ".SH \"KWB $(echo "$cmd" | tr a-z A-Z)\"" "$page" || missing="$missing $cmd"
done <"$tmp/help"
if [ -z "$missing" ]; then
  echo "ok 2 - every command has its section"
else
  echo "not ok 2 - no section for:$missing"
fi

# Every long option of every command (and subcommand) is in the page.
missing=""
while read -r cmd; do
  for opt in $("$kwb" "$cmd" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    roff=$(echo "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$roff" "$page" || missing="$missing $cmd:$opt"
  done
done <"$tmp/help"
for sub in "kernel build" "kernel configure" "kernel doctor" "module new" "module build"; do
  # shellcheck disable=SC2086
  for opt in $("$kwb" $sub --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    roff=$(echo "$opt" | sed 's/-/\\\\-/g')
    grep -q -- "$roff" "$page" || missing="$missing $sub:$opt"
  done
done
if [ -z "$missing" ]; then
  echo "ok 3 - every option of kwb and its subcommands is documented"
else
  echo "not ok 3 - options missing from kwb.1:$missing"
fi

if MANWIDTH=80 man --warnings -l "$page" >"$tmp/out" 2>"$tmp/warn" && [ ! -s "$tmp/warn" ] &&
   grep -q "kwb COMMAND" "$tmp/out"; then
  echo "ok 4 - man renders it without warnings"
else
  echo "not ok 4 - man -l kwb.1 warns or fails:"
  sed 's/^/# /' "$tmp/warn" | head -20
fi
