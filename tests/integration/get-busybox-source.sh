#!/bin/sh
# get-busybox-source.sh — fetch Debian's BusyBox sources for the build-from-source test
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Prints the path of the unpacked source tree on stdout (last line).
# Needs apt-get (and root to add a deb-src entry the first time) and dpkg-dev.
# Idempotent: a tree already unpacked under the cache is reused without network.
set -eu

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/kernel-workbench/sources"
mkdir -p "$CACHE"

existing=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | sort | tail -n 1)
if [ -n "$existing" ] && [ -f "$existing/Makefile" ]; then
  echo "$existing"
  exit 0
fi

command -v dpkg-source >/dev/null || { echo "dpkg-source missing: sudo apt-get install dpkg-dev" >&2; exit 77; }

# apt-get source needs a deb-src entry. Mirror the existing deb entries
# (deb822 or one-line format) as deb-src, once.
has_src() {
  grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}
if ! has_src; then
  if [ "$(id -u)" != 0 ]; then
    echo "no deb-src entry in /etc/apt and not root: add one (Types: deb-src) and rerun" >&2
    exit 77
  fi
  out=/etc/apt/sources.list.d/kwb-deb-src.sources
  : > "$out.tmp"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    [ "$f" = "$out" ] && continue
    # Only Debian's own archive: third-party repositories rarely carry sources.
    grep -q 'deb.debian.org' "$f" || continue
    sed -e 's/^Types:.*/Types: deb-src/' "$f" >> "$out.tmp"
    echo >> "$out.tmp"
  done
  if [ -f /etc/apt/sources.list ]; then
    grep -E '^deb .*debian' /etc/apt/sources.list | sed 's/^deb /deb-src /' > /etc/apt/sources.list.d/kwb-deb-src.list || true
  fi
  mv "$out.tmp" "$out"
  apt-get update -qq >&2
fi

cd "$CACHE"
apt-get source -qq busybox >&2
find "$CACHE" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | sort | tail -n 1
