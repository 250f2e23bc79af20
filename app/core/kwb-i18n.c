/* kwb-i18n.c — gettext set-up shared by kernel-workbench, kwb and the tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bindtextdomain() needs a directory fixed before the first _(): a path
 * compiled in is right only for the one prefix meson was configured with,
 * and the build tree holds its catalogues under po/ instead. The running
 * executable's own path (/proc/self/exe) tells which case applies.
 */
#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "kwb-i18n.h"

static char *
find_locale_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *bindir = NULL;
  g_autofree char *relative = NULL;

  if (exe == NULL)
    return g_strdup (LOCALEDIR);

  /* Uninstalled: meson builds po/LANG/LC_MESSAGES/DOMAIN.mo in the build tree. */
  if (g_str_has_prefix (exe, KWB_BUILD_ROOT "/"))
    return g_strdup (KWB_BUILD_LOCALEDIR);

  /* Installed under another prefix than the configured one (a staged copy
   * moved under ~/.local): the layout below the prefix is the same. */
  if (KWB_LOCALEDIR_FROM_BINDIR[0] == '\0')
    return g_strdup (LOCALEDIR);
  bindir = g_path_get_dirname (exe);
  relative = g_build_filename (bindir, KWB_LOCALEDIR_FROM_BINDIR, NULL);
  if (!g_file_test (relative, G_FILE_TEST_IS_DIR))
    return g_strdup (LOCALEDIR); /* a binary copied on its own */
  return g_canonicalize_filename (relative, NULL);
}

/**
 * kwb_i18n_get_locale_dir:
 *
 * Returns: (transfer none): the directory holding LANG/LC_MESSAGES/kernel-workbench.mo
 *   for this executable.
 */
const char *
kwb_i18n_get_locale_dir (void)
{
  static char *dir;

  if (g_once_init_enter (&dir))
    g_once_init_leave (&dir, find_locale_dir ());
  return dir;
}

/**
 * kwb_i18n_init:
 *
 * Sets the locale from the environment and binds the text domain: call first
 * thing in main().
 */
void
kwb_i18n_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, kwb_i18n_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
