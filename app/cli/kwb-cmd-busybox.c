/* kwb-cmd-busybox.c — kwb busybox: build BusyBox from source, or check the binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-cli-run.h"
#include "kwb-core.h"

typedef struct {
  KwbCliRun     run;
  gboolean      terminal;
  int           last_percent;
  char         *last_phase;
} Run;

static void
show_progress (KwbBusybox *busybox,
               GParamSpec *pspec,
               Run        *run)
{
  const char *phase = kwb_busybox_get_phase (busybox);
  int percent = (int) (kwb_busybox_get_fraction (busybox) * 100.0);

  if (run->terminal)
    {
      char bar[31];
      int filled = percent * 30 / 100;

      for (int i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '-';
      bar[30] = '\0';
      printf ("\r[%s] %3d%% %-40s", bar, percent, phase ? phase : "");
      fflush (stdout);
    }
  else if (g_strcmp0 (phase, run->last_phase) != 0 || percent / 10 != run->last_percent / 10)
    printf ("%3d%% %s\n", percent, phase ? phase : "");

  run->last_percent = percent;
  g_free (run->last_phase);
  run->last_phase = g_strdup (phase);
}

static int
check_binary (KwbBusybox *busybox)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;
  g_auto(GStrv) applets = NULL;
  KwbCliRun run = { 0 };
  const KwbArch *arch = kwb_arch_for_project (kwb_busybox_get_project (busybox));

  if ((binary = kwb_busybox_dup_binary_path (busybox, &error)) == NULL ||
      !kwb_busybox_check_binary (binary, arch, &error))
    return kwb_cli_fail (error);

  kwb_cli_run_start (&run);
  kwb_busybox_list_applets_async (binary, arch, run.cancellable, kwb_cli_run_done, &run);
  kwb_cli_run_wait (&run);
  applets = kwb_busybox_list_applets_finish (run.result, &error);
  kwb_cli_run_clear (&run);
  if (applets == NULL)
    return kwb_cli_fail (error);

  printf (_("%s: static %s BusyBox with %u applets\n"), binary, arch->label, g_strv_length (applets));
  return KWB_EXIT_OK;
}

int
kwb_cmd_busybox (int    argc,
                 char **argv)
{
  gboolean check = FALSE;
  gboolean trust = FALSE;
  const GOptionEntry entries[] = {
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      N_("Only check the project’s BusyBox binary (static, the guest’s architecture, applets)"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT — build BusyBox from source"));
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbBusybox) busybox = NULL;
  g_autofree char *binary = NULL;
  Run run = { 0 };
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Builds the project’s [busybox] tree out of tree (make O=) with CONFIG_STATIC=y and\n"
      "CONFIG_INSTALL_NO_USR=y, installing into BUILD-DIR/staging. The source tree is\n"
      "never written. The log is kept in BUILD-DIR/build.log."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("expected one PROJECT folder"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;
  busybox = kwb_busybox_new (project);

  if (check)
    return check_binary (busybox);

  run.terminal = kwb_cli_stdout_is_terminal ();
  run.last_percent = -100;

  g_signal_connect (busybox, "notify::fraction", G_CALLBACK (show_progress), &run);
  g_signal_connect (busybox, "notify::phase", G_CALLBACK (show_progress), &run);
  kwb_cli_run_start (&run.run);
  kwb_busybox_build_async (busybox, run.run.cancellable, kwb_cli_run_done, &run.run);
  kwb_cli_run_wait (&run.run);
  binary = kwb_busybox_build_finish (busybox, run.run.result, &error);
  kwb_cli_run_clear (&run.run);
  g_signal_handlers_disconnect_by_data (busybox, &run);
  g_free (run.last_phase);

  if (run.terminal)
    printf ("\n");
  if (binary == NULL)
    return kwb_cli_fail (error);

  printf (_("BusyBox built: %s\n"), binary);
  {
    g_autofree char *source = kwb_project_dup_string (project, "busybox", "source");

    /* Built but not selected: say how to use it, or the next initramfs
     * would silently keep the host's BusyBox. */
    if (g_strcmp0 (source, "tree") != 0)
      printf (_("The initramfs still uses [busybox] source=%s. Use this build with: kwb set %s busybox.source tree\n"),
              source, argv[1]);
  }
  return KWB_EXIT_OK;
}
