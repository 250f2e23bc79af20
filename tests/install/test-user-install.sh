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
export HOME="$tmp/home"
unset XDG_DATA_HOME GSETTINGS_SCHEMA_DIR
# What running the binaries caches is not part of the install.
export XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME/.local/share/applications"
echo "[Desktop Entry]" >"$HOME/.local/share/applications/someone-else.desktop"
(cd "$HOME" && find . | sort) >"$tmp/before"
app_id=io.github.kwb.KernelWorkbench
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
fail() { n=$((n + 1)); echo "not ok $n - $1"; [ -f "$tmp/log" ] && sed 's/^/# /' "$tmp/log" | tail -20; }

echo "1..10"

if "$src/build-aux/user-install" install "$build" >"$tmp/log" 2>&1; then
  ok "install"
else
  fail "install"
fi

missing=""
for f in bin/kernel-workbench bin/kwb share/applications/$app_id.desktop \
         share/metainfo/$app_id.metainfo.xml share/icons/hicolor/scalable/apps/$app_id.svg \
         share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg \
         share/glib-2.0/schemas/$app_id.gschema.xml share/glib-2.0/schemas/gschemas.compiled \
         share/locale/zh_CN/LC_MESSAGES/kernel-workbench.mo share/man/man1/kwb.1 share/man/man1/kernel-workbench.1 \
         share/bash-completion/completions/kwb; do
  [ -e "$HOME/.local/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "every file under ~/.local"; else fail "missing:$missing"; fi

desktop="$HOME/.local/share/applications/$app_id.desktop"
if desktop-file-validate "$desktop" >"$tmp/log" 2>&1; then
  ok "desktop-file-validate accepts the installed entry"
else
  fail "desktop-file-validate"
fi
if grep -qx "Exec=$HOME/.local/bin/kernel-workbench --last" "$desktop"; then
  ok "the launcher runs the installed binary with --last"
else
  grep '^Exec' "$desktop" >"$tmp/log"; fail "Exec line"
fi

# Only the installed schema: no system data dirs, no build tree.
if XDG_DATA_DIRS="$tmp/none" gsettings list-keys $app_id >"$tmp/log" 2>&1 && grep -qx last-project "$tmp/log"; then
  ok "gsettings reads the schema from ~/.local only"
else
  fail "gsettings list-keys $app_id with only the installed files"
fi

# Translations found beside the installed binary's prefix.
if LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$HOME/.local/bin/kwb" --help >"$tmp/log" 2>&1 && grep -q "用法" "$tmp/log"; then
  ok "the installed kwb speaks Chinese"
else
  fail "the installed kwb under LANGUAGE=zh_CN"
fi
if env -u DISPLAY -u WAYLAND_DISPLAY LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$HOME/.local/bin/kernel-workbench" >"$tmp/out" 2>"$tmp/log";
   grep -q "没有可打开的显示" "$tmp/log"; then
  ok "the installed application speaks Chinese"
else
  fail "the installed application under LANGUAGE=zh_CN"
fi

if MANPATH="$HOME/.local/share/man" man -w kwb >"$tmp/log" 2>&1 && grep -q "$HOME" "$tmp/log"; then
  ok "man finds kwb(1)"
else
  fail "man -w kwb"
fi

if "$src/build-aux/user-install" uninstall >"$tmp/log" 2>&1; then
  ok "uninstall"
else
  fail "uninstall"
fi
(cd "$HOME" && find . | sort) >"$tmp/after"
if cmp -s "$tmp/before" "$tmp/after"; then
  ok "uninstall leaves HOME as install found it"
else
  diff "$tmp/before" "$tmp/after" >"$tmp/log"; fail "left behind (> after uninstall)"
fi
