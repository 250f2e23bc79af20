# tests/cli/tap-helpers.sh — the TAP lines of a shell test: ok, not_ok, check
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Sourced by a test after it set TAP_LOGS: the files (no spaces in their
# paths) whose last lines a failure shows as comments. The test ends with
#   echo "1..$n"; exit $fail
n=0
fail=0
ok()     { n=$((n+1)); echo "ok $n - $1"; }
not_ok() { n=$((n+1)); echo "not ok $n - $1"; fail=1
           for f in ${TAP_LOGS:-}; do [ -f "$f" ] && tail -n 15 "$f" | sed 's/^/# /'; done; }
check()  { desc=$1; shift; if "$@"; then ok "$desc"; else not_ok "$desc"; fi; }
