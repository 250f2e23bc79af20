/* main.c — kernel-workbench: start the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: kernel-workbench [PROJECT_DIR…]
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "kwb-application.h"
#include "kwb-i18n.h"

/* Options GApplication answers without a window: they need no display. */
static gboolean
wants_display (int    argc,
               char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--"))
        break;
      if (g_str_equal (argv[i], "-h") || g_str_has_prefix (argv[i], "--help") ||
          g_str_equal (argv[i], "--version"))
        return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(KwbApplication) app = NULL;

  kwb_i18n_init ();
  g_set_application_name (_("Kernel Workbench"));

  /* GTK would exit with a bare "cannot open display": say what to do instead. */
  if (wants_display (argc, argv) && !gtk_init_check ())
    {
      fprintf (stderr, "%s\n",
               _("kernel-workbench: no display to open (DISPLAY and WAYLAND_DISPLAY are unset or "
                 "unreachable). Start it from a desktop session, or use kwb or “build-aux/run "
                 "--headless” without one."));
      return 1;
    }

  app = kwb_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
