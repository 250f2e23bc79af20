#!/bin/sh
# check-no-gtk-in-core.sh — fails if anything under app/core includes a GUI header.
# SPDX-License-Identifier: GPL-3.0-or-later
# The core must build and test without a display: GTK, GDK, libadwaita, VTE and
# GtkSourceView belong to app/gui only.
dir=${1:?usage: check-no-gtk-in-core.sh APP_CORE_DIR}
echo "1..2"
bad=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|adwaita|vte/|gtksourceview/|gsk/)' "$dir" 2>/dev/null)
if [ -z "$bad" ]; then
  echo "ok 1 - no GUI header included under $dir"
else
  echo "not ok 1 - GUI headers included under $dir:"
  echo "$bad" | sed 's/^/# /'
fi
bad=$(grep -nE "dependency\('(gtk4|libadwaita-1|vte-2.91-gtk4|gtksourceview-5)'|gtk_dep|adw_dep|vte_dep|gtksourceview_dep" "$dir/meson.build")
if [ -z "$bad" ]; then
  echo "ok 2 - app/core/meson.build links nothing from GTK"
else
  echo "not ok 2 - app/core/meson.build names a GUI dependency:"
  echo "$bad" | sed 's/^/# /'
fi
