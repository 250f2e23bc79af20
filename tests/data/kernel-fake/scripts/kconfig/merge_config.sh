#!/bin/sh
# tests/data/kernel-fake/scripts/kconfig/merge_config.sh — append fragments, as -m does
# SPDX-License-Identifier: GPL-3.0-or-later
out=.
while [ $# -gt 0 ]; do
  case "$1" in
    -O) out=$2; shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift # the base config, already in $out/.config
for fragment in "$@"; do
  cat "$fragment" >> "$out/.config"
done
