# tap-lib.sh — TAP helpers for the shell tests of kwb, sourced by them.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Gives a scratch folder $tmp (removed on exit), ok/notok/check that number
# the TAP lines and print $tmp/err under a failure, and tap_done to end.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; [ -f "$tmp/err" ] && sed 's/^/# /' "$tmp/err"; }
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
tap_done() { echo "1..$n"; [ $fails -eq 0 ]; }
