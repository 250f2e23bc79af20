#!/bin/sh
# check-translations.sh — every translatable string has a zh_CN translation.
# SPDX-License-Identifier: GPL-3.0-or-later
# Extracts the strings of po/POTFILES.in as meson's pot target does (glib
# preset keywords) and asks msgcmp whether po/zh_CN.po translates each one
# (untranslated and fuzzy entries count as missing). TAP.
top=${1:?usage: check-translations.sh SOURCE_ROOT}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..2"
cd "$top" || exit 1
grep -v '^#' po/POTFILES.in | sed '/^$/d' >"$tmp/files"
if xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
     --keyword=NC_:1c,2 --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
     --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
     --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
     --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
     --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
     -f "$tmp/files" -o "$tmp/kwb.pot" 2>"$tmp/err"; then
  echo "ok 1 - strings extracted from po/POTFILES.in"
else
  echo "not ok 1 - xgettext failed"; sed 's/^/# /' "$tmp/err"; exit 1
fi
if msgcmp po/zh_CN.po "$tmp/kwb.pot" 2>"$tmp/cmp"; then
  echo "ok 2 - po/zh_CN.po translates every string"
else
  echo "not ok 2 - po/zh_CN.po misses translations (run ninja kernel-workbench-update-po, then translate):"
  sed 's/^/# /' "$tmp/cmp" | head -40
fi
