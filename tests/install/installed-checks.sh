# installed-checks.sh — TAP helpers and checks shared by the per-user install and package tests (sourced)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A test sets $tmp (a private temporary folder) and calls `check WHAT CMD…`
# once per TAP line: ok when CMD succeeds, otherwise not ok with CMD's output
# (kept in $tmp/log) as the diagnostic.
app_id=io.github.kwb.KernelWorkbench
n=0

check() {
  what=$1; shift
  n=$((n + 1))
  if "$@" >"$tmp/log" 2>&1; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what"
    sed 's/^/# /' "$tmp/log" | tail -30
  fi
}

# files_present ROOT FILE…: every FILE exists below ROOT.
files_present() {
  root=$1; shift
  missing=""
  for f in "$@"; do
    [ -e "$root/$f" ] || missing="$missing $f"
  done
  [ -z "$missing" ] || { echo "missing:$missing"; return 1; }
}

# speaks_chinese BINDIR: kwb and kernel-workbench there find their catalogue
# (kernel-workbench's no-display line is translated too).
speaks_chinese() {
  LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$1/kwb" --help | tee "$tmp/zh" && grep -q "用法" "$tmp/zh" &&
    { env -u DISPLAY -u WAYLAND_DISPLAY LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$1/kernel-workbench" 2>&1; true; } |
      tee "$tmp/zh" && grep -q "没有可打开的显示" "$tmp/zh"
}

# launcher_valid DESKTOP_FILE EXEC: desktop-file-validate accepts it and it
# runs EXEC with --last, as the application grid does.
launcher_valid() {
  desktop-file-validate "$1" && grep "^Exec=" "$1" && grep -qx "Exec=$2 --last" "$1"
}
