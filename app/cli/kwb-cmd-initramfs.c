/* kwb-cmd-initramfs.c — kwb initramfs: build the project's initramfs, or list it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-core.h"
#include "kwb-cli-run.h"

int
kwb_cmd_initramfs (int    argc,
                   char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *release = NULL;
  g_autofree char *busybox = NULL;
  gboolean list = FALSE;
  gboolean trust = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the archive to FILE instead of [initramfs] output"), N_("FILE") },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list,
      N_("Print the entries (gen_init_cpio format) instead of writing the archive"), NULL },
    { "kernel-release", 0, 0, G_OPTION_ARG_STRING, &release,
      N_("Put modules under /lib/modules/RELEASE (default: from the kernel build)"), N_("RELEASE") },
    { "busybox", 0, 0, G_OPTION_ARG_FILENAME, &busybox,
      N_("Use this static BusyBox binary instead of the project’s"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT — build the initramfs"));
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbInitramfs) initramfs = NULL;
  KwbCliRun run = { 0 };
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Writes a newc cpio archive (gzip unless [initramfs] compression=none) holding BusyBox,\n"
      "the usual folders, /dev/console and /dev/null, rcS, fstab, inittab, and the project’s\n"
      "extra files and modules. No root needed. The old archive is replaced only on success."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("expected one PROJECT folder"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;

  initramfs = kwb_initramfs_new (project);
  if (output != NULL)
    kwb_initramfs_set_output (initramfs, output);
  if (release != NULL)
    kwb_initramfs_set_kernel_release (initramfs, release);
  if (busybox != NULL)
    kwb_initramfs_set_busybox (initramfs, busybox);

  /* The archive is written under a temporary name and renamed when whole: a
   * signal cancels the write, which then deletes that file. */
  kwb_cli_run_start (&run);
  if (list)
    {
      g_autoptr(KwbCpio) cpio = NULL;
      g_autofree char *listing = NULL;

      kwb_initramfs_prepare_async (initramfs, run.cancellable, kwb_cli_run_done, &run);
      kwb_cli_run_wait (&run);
      cpio = kwb_initramfs_prepare_finish (initramfs, run.result, &error);
      kwb_cli_run_clear (&run);
      if (cpio == NULL)
        return kwb_cli_fail (error);
      listing = kwb_cpio_dup_listing (cpio);
      fputs (listing, stdout);
      return KWB_EXIT_OK;
    }
  else
    {
      g_autofree char *written = NULL;

      kwb_initramfs_build_async (initramfs, run.cancellable, kwb_cli_run_done, &run);
      kwb_cli_run_wait (&run);
      written = kwb_initramfs_build_finish (initramfs, run.result, &error);
      kwb_cli_run_clear (&run);
      if (written == NULL)
        return kwb_cli_fail (error);
      printf (_("Initramfs written: %s\n"), written);
      return KWB_EXIT_OK;
    }
}
