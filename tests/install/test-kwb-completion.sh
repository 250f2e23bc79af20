#!/bin/bash
# test-kwb-completion.sh — the bash completion offers kwb's commands, options, folders and keys. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-kwb-completion.sh KWB COMPLETION_SCRIPT
kwb=${1:?usage: test-kwb-completion.sh KWB SCRIPT}
script=${2:?usage: test-kwb-completion.sh KWB SCRIPT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC1090
. "$script"
n=0

complete_line() {
  COMP_WORDS=("$kwb" "$@")
  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
  COMPREPLY=()
  _kwb 2>/dev/null
  printf '%s\n' "${COMPREPLY[@]}" | sort
}

check() {
  local what=$1 expected=$2; shift 2
  local got
  n=$((n + 1))
  got=$(complete_line "$@" | tr '\n' ' ' | sed 's/ $//')
  if [ "$got" = "$expected" ]; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what: expected “$expected”, got “$got”"
  fi
}

echo "1..9"
commands=$(LC_ALL=C.UTF-8 "$kwb" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "every command of kwb --help" "$(printf '%s\n' $commands help | sort | tr '\n' ' ' | sed 's/ $//')" ""
check "a command from its start" "init initramfs" "ini"
check "kernel's subcommands" "build clone configure doctor" kernel ""
check "module's subcommands" "build new" module ""
check "debug's long options" "--break" debug --br
check "a subcommand's own options" "--help --jobs --target --trust" kernel build "$tmp" --
mkdir "$tmp/proj-a" "$tmp/proj-b"
touch "$tmp/proj-file"
check "project folders, not files" "$tmp/proj-a $tmp/proj-b" debug "$tmp/proj"
"$kwb" init "$tmp/proj-a" >/dev/null
check "GROUP.KEY names of the project" "qemu.memory" set "$tmp/proj-a" qemu.mem
check "kernel doctor takes a config file too" "$tmp/proj-a $tmp/proj-b $tmp/proj-file" kernel doctor "$tmp/proj"
