/* kwb.c — kwb, the command-line face of the Kernel Workbench core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-run.h"
#include "kwb-i18n.h"

static const KwbCommand commands[] = {
  { "init",    kwb_cmd_init,    "DIR",              N_("Create a project with defaults for this machine") },
  { "show",    kwb_cmd_show,    "DIR",              N_("Print a project's settings") },
  { "set",     kwb_cmd_set,     "DIR GROUP.KEY VALUE", N_("Change one setting of a project") },
  { "build",   kwb_cmd_build,   "PROJECT",          N_("Build everything in order: BusyBox, the kernel, modules, the initramfs") },
  { "kernel",  kwb_cmd_kernel,  "clone|configure|build|doctor PROJECT", N_("Configure, build and check the debug kernel") },
  { "busybox", kwb_cmd_busybox, "PROJECT",          N_("Build BusyBox from source, or check the binary") },
  { "initramfs", kwb_cmd_initramfs, "PROJECT",        N_("Build the initramfs (or list its entries)") },
  { "module",  kwb_cmd_module,  "new|build PROJECT", N_("Start and build out-of-tree kernel modules") },
  { "boot",    kwb_cmd_boot,    "PROJECT",          N_("Boot the kernel with its serial console on this terminal") },
  { "debug",   kwb_cmd_debug,   "PROJECT",          N_("Debug the kernel: break, continue, print stops") },
  { "record",  kwb_cmd_record,  "PROJECT",          N_("Record a run of the guest, to replay and debug backwards") },
  { "replay",  kwb_cmd_replay,  "DIR",              N_("Replay a recording: break, step forwards and backwards") },
  { "mi",      kwb_cmd_mi,      "parse",            N_("Parse GDB/MI output on stdin into JSON lines") },
  { "version", kwb_cmd_version, "",                 N_("Print the version") },
};

/* Killed by a signal as any program: they write nothing, and a Ctrl+C must
 * stop `kwb mi parse` even while it waits on its input. */
static const char * const read_only_commands[] = { "show", "mi", "version", NULL };

static void
print_usage (FILE *stream)
{
  fprintf (stream, "%s\n  kwb COMMAND [OPTION…]\n\n%s\n",
           _("Usage:"), _("Debug the Linux kernel under QEMU and GDB."));
  fprintf (stream, "\n%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (stream, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (stream, "\n%s\n", _("Run “kwb COMMAND --help” for the options of one command."));
}

gboolean
kwb_cli_stdout_is_terminal (void)
{
  return isatty (STDOUT_FILENO);
}

gboolean
kwb_cli_parse (GOptionContext   *context,
               int              *argc,
               char           ***argv,
               int              *exit_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = g_strdup_printf ("kwb %s", (*argv)[0]);

  /* Usage lines then read "kwb init [OPTION…] DIR". */
  g_set_prgname (prgname);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = kwb_cli_usage_error (context, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

int
kwb_cli_usage_error (GOptionContext *context,
                     const char     *format,
                     ...)
{
  g_autofree char *message = NULL;
  g_autofree char *help = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  help = g_option_context_get_help (context, TRUE, NULL);
  fprintf (stderr, "kwb: %s\n\n%s", message, help);
  return KWB_EXIT_USAGE;
}

int
kwb_cli_fail (GError *error)
{
  /* Cancelled by a signal: kwb_cli_exit_status() says so in one line. */
  if (kwb_cli_get_signal () != 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return KWB_EXIT_FAILED;
  fprintf (stderr, "kwb: %s\n", error->message);
  return KWB_EXIT_FAILED;
}

int
main (int    argc,
      char **argv)
{
  const char *name;

  kwb_i18n_init ();
  g_set_prgname ("kwb");

  if (argc < 2)
    {
      print_usage (stderr);
      return KWB_EXIT_USAGE;
    }

  name = argv[1];
  if (g_str_equal (name, "--help") || g_str_equal (name, "-h") || g_str_equal (name, "help"))
    {
      if (argc > 2 && !g_str_equal (name, "--help") && !g_str_equal (name, "-h"))
        {
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
            if (g_str_equal (commands[i].name, argv[2]))
              return commands[i].func (2, help_argv);
          fprintf (stderr, _("kwb: no command “%s”\n\n"), argv[2]);
          print_usage (stderr);
          return KWB_EXIT_USAGE;
        }
      print_usage (stdout);
      return KWB_EXIT_OK;
    }
  if (g_str_equal (name, "--version"))
    return kwb_cmd_version (1, argv + 1);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      {
        /* A command that writes must never die half-way through a write:
         * signals cancel it instead, and it ends with 128 + the signal. */
        if (!g_strv_contains (read_only_commands, name))
          kwb_cli_catch_signals ();
        return kwb_cli_exit_status (commands[i].func (argc - 1, argv + 1));
      }

  if (name[0] == '-')
    fprintf (stderr, _("kwb: unknown option “%s”\n\n"), name);
  else
    fprintf (stderr, _("kwb: no command “%s”\n\n"), name);
  print_usage (stderr);
  return KWB_EXIT_USAGE;
}
