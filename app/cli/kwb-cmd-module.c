/* kwb-cmd-module.c — kwb module new|build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-cli-run.h"
#include "kwb-core.h"

typedef struct {
  KwbCliRun     run;
  gboolean      terminal;
  gboolean      verbose;
} Run;

static void
on_line (KwbBuildRunner *runner,
         const char     *line,
         Run            *run)
{
  /* kbuild's short lines ("  CC [M]  …/x.o") are the progress. */
  if (run->verbose || g_str_has_prefix (line, "  CC") || g_str_has_prefix (line, "  LD") ||
      g_str_has_prefix (line, "  MODPOST") || strstr (line, "error") != NULL ||
      strstr (line, "warning") != NULL)
    {
      if (run->terminal && !run->verbose)
        printf ("\r\033[K%s", line);
      else
        printf ("%s\n", line);
      fflush (stdout);
    }
}

static void
on_module_started (KwbModuleBuild *build,
                   const char     *source,
                   Run            *run)
{
  if (run->terminal)
    printf ("\r\033[K");
  printf (_("Building %s\n"), source);
  fflush (stdout);
}

static int
cmd_build (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbModuleBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  gboolean no_initramfs = FALSE;
  gboolean verbose = FALSE;
  gboolean trust = FALSE;
  int status;
  gboolean ok;
  GPtrArray *modules;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "no-initramfs", 0, 0, G_OPTION_ARG_NONE, &no_initramfs, N_("Do not rebuild the initramfs afterwards"), NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print every line make writes"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — build the project's out-of-tree modules"));
  g_option_context_set_summary (context,
    _("Copies each [modules] projects folder into [modules] build-dir/NAME (your folder\n"
      "stays clean) and runs make -C KERNEL_BUILD M=THAT_COPY modules there; only\n"
      "changed files are copied, so only they are recompiled and the kernel is never\n"
      "relinked. Then rebuilds the initramfs, which picks the .ko files up into\n"
      "/lib/modules/RELEASE/. Errors name the line in your file."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("build takes one project folder"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (g_steal_pointer (&error));
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;

  build = kwb_module_build_new (project);
  run.terminal = kwb_cli_stdout_is_terminal ();
  run.verbose = verbose;
  kwb_cli_run_start (&run.run);
  g_signal_connect (kwb_module_build_get_runner (build), "line-received", G_CALLBACK (on_line), &run);
  g_signal_connect (build, "module-started", G_CALLBACK (on_module_started), &run);
  kwb_module_build_build_async (build, run.run.cancellable, kwb_cli_run_done, &run.run);
  kwb_cli_run_wait (&run.run);
  ok = kwb_module_build_build_finish (build, run.run.result, &error);
  kwb_cli_run_clear (&run.run);
  g_signal_handlers_disconnect_by_data (kwb_module_build_get_runner (build), &run);
  g_signal_handlers_disconnect_by_data (build, &run);
  if (run.terminal)
    printf ("\r\033[K");
  if (!ok)
    return kwb_cli_fail (error);

  modules = kwb_module_build_get_modules (build);
  for (guint i = 0; i < modules->len; i++)
    printf (_("Built %s\n"), (const char *) g_ptr_array_index (modules, i));
  if (modules->len == 0)
    printf (_("No module projects: add one with “kwb module new %s NAME”.\n"), argv[1]);

  if (!no_initramfs && modules->len > 0)
    {
      g_autoptr(KwbInitramfs) initramfs = kwb_initramfs_new (project);
      g_autofree char *written = NULL;

      kwb_cli_run_start (&run.run);
      kwb_initramfs_build_async (initramfs, run.run.cancellable, kwb_cli_run_done, &run.run);
      kwb_cli_run_wait (&run.run);
      written = kwb_initramfs_build_finish (initramfs, run.run.result, &error);
      kwb_cli_run_clear (&run.run);
      if (written == NULL)
        return kwb_cli_fail (g_steal_pointer (&error));
      printf (_("Initramfs %s updated\n"), written);
    }
  return KWB_EXIT_OK;
}

static int
cmd_new (int    argc,
         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  int status;

  context = g_option_context_new (_("PROJECT NAME — start a new kernel module from a template"));
  g_option_context_set_summary (context,
    _("Writes PROJECT/modules/NAME/ with a Kbuild, a Makefile and NAME.c: a hello\n"
      "world with an init and an exit function and a module parameter. It is added\n"
      "to [modules] projects, so “kwb module build PROJECT” builds it and the\n"
      "initramfs carries it."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return kwb_cli_usage_error (context, _("new takes a project folder and a module name"));
  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (g_steal_pointer (&error));
  if ((dir = kwb_module_build_new_template (project, argv[2], &error)) == NULL)
    return kwb_cli_fail (g_steal_pointer (&error));
  printf (_("Created %s\nBuild it with: kwb module build %s\n"), dir, argv[1]);
  return KWB_EXIT_OK;
}

int
kwb_cmd_module (int    argc,
                char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "build"))
    return cmd_build (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "new"))
    return cmd_new (argc - 1, argv + 1);
  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      printf (_("Usage: kwb module new PROJECT NAME | build PROJECT\n"
                "  new    start a module from a template (hello world, init, exit, a parameter)\n"
                "  build  build the project's modules against its kernel, then the initramfs\n"));
      return KWB_EXIT_OK;
    }
  fprintf (stderr, _("Usage: kwb module new PROJECT NAME | build PROJECT\n"));
  return KWB_EXIT_USAGE;
}
