# tap-lib.sh — TAP helpers for the shell tests of kwb, sourced by them.
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Gives a scratch folder $tmp (removed on exit; a script that starts a server
# redefines at_exit to stop it), ok/notok/check that number the TAP lines and
# show the end of $tmp/out and $tmp/err under a failure, and tap_done to end.
tmp=$(mktemp -d)
at_exit() { :; }
# Only this shell cleans up: in bash with set -m, a background job's forked
# shell that a test's signal kills before it runs the command runs the EXIT
# trap too, and would remove $tmp under the test's feet. $$ is the script's
# pid in every subshell; bash's BASHPID is the shell really running (dash
# has none, and does not run the trap there).
tap_pid=${BASHPID:-$$}
trap '[ "${BASHPID:-$$}" = "$tap_pid" ] && { at_exit; rm -rf "$tmp"; }' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
  n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"
  for f in "$tmp/out" "$tmp/err"; do [ -f "$f" ] && tail -n 20 "$f" | sed 's/^/# /'; done
}
check() { desc=$1; shift; if "$@"; then ok "$desc"; else notok "$desc"; fi; }
tap_done() { echo "1..$n"; [ $fails -eq 0 ]; }
