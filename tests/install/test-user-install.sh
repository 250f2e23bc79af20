#!/bin/sh
# test-user-install.sh — install for one user under ~/.local, use it, remove it. TAP.
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   test-user-install.sh SOURCE_ROOT BUILD_ROOT
#
# Runs build-aux/user-install (what build-aux/run --install and --uninstall
# do) with HOME set to an empty temporary folder, checks the files are where
# GNOME, GLib, man and bash look for them, that the installed binaries run
# translated and find the schema with only the installed files, then that
# uninstall leaves the folder as it found it.
src=${1:?usage: test-user-install.sh SOURCE_ROOT BUILD_ROOT}
build=${2:?usage: test-user-install.sh SOURCE_ROOT BUILD_ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/installed-checks.sh"
export HOME="$tmp/home"
unset XDG_DATA_HOME GSETTINGS_SCHEMA_DIR
# What running the binaries caches is not part of the install.
export XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME/.local/share/applications"
echo "[Desktop Entry]" >"$HOME/.local/share/applications/someone-else.desktop"
(cd "$HOME" && find . | sort) >"$tmp/before"

# Only the installed schema: no system data dirs, no build tree.
schema_readable() {
  XDG_DATA_DIRS="$tmp/none" gsettings list-keys $app_id && XDG_DATA_DIRS="$tmp/none" gsettings list-keys $app_id | grep -qx last-project
}
home_as_before() {
  (cd "$HOME" && find . | sort) >"$tmp/after"
  diff "$tmp/before" "$tmp/after"
}

echo "1..9"
check "install" "$src/build-aux/user-install" install "$build"
check "every file under ~/.local" files_present "$HOME/.local" \
  bin/kernel-workbench bin/kwb share/applications/$app_id.desktop \
  share/metainfo/$app_id.metainfo.xml share/icons/hicolor/scalable/apps/$app_id.svg \
  share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg \
  share/glib-2.0/schemas/$app_id.gschema.xml share/glib-2.0/schemas/gschemas.compiled \
  share/locale/zh_CN/LC_MESSAGES/kernel-workbench.mo share/man/man1/kwb.1 share/man/man1/kernel-workbench.1 \
  share/bash-completion/completions/kwb
check "the launcher is valid and runs the installed binary with --last" \
  launcher_valid "$HOME/.local/share/applications/$app_id.desktop" "$HOME/.local/bin/kernel-workbench"
check "gsettings reads the schema from ~/.local only" schema_readable
check "the installed binaries find their translations beside their prefix" speaks_chinese "$HOME/.local/bin"
check "man finds kwb(1) and kernel-workbench(1)" env MANPATH="$HOME/.local/share/man" man -w kwb kernel-workbench
check "uninstall" "$src/build-aux/user-install" uninstall
check "uninstall leaves HOME as install found it (> left behind)" home_as_before
check "uninstall again says there is nothing to remove" sh -c '! "$1" uninstall' sh "$src/build-aux/user-install"
