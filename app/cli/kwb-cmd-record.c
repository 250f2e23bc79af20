/* kwb-cmd-record.c — kwb record and kwb replay: a guest run recorded, then debugged backwards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   kwb record PROJECT [-o DIR] [--console-send TEXT] [--seconds N] [--json]
 *   kwb replay DIR [--break LOC]… [--exec CMD]… [--show KIND[:ARG]]… [--timeout S] [--json]
 *
 * record boots the project's guest under QEMU's deterministic recording
 * (TCG, one CPU), types --console-send at the shell prompt, and ends the run
 * after N seconds; the folder (KwbRecording) keeps the log, the snapshot
 * image and what was booted. replay boots the same guest from the log,
 * stops at the breakpoints as kwb debug does, and runs --exec as a script:
 * run-control commands (continue, next, step, finish, stepi, and
 * reverse-continue, reverse-next, reverse-step, reverse-finish,
 * reverse-stepi) print the stop they come to and the time they took;
 * "watch EXPR" sets a write watchpoint; anything else is a GDB command. The
 * session machinery is kwb debug's (kwb-cli-debug.h).
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-debug.h"
#include "kwb-cli-run.h"
#include "kwb-cli-show.h"
#include "kwb-cli-trust.h"
#include "kwb-core.h"

#define DEFAULT_SECONDS 30

int
kwb_cmd_record (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(KwbSession) session = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *console_send = NULL;
  int seconds = DEFAULT_SECONDS;
  gboolean json = FALSE;
  gboolean trust = FALSE;
  KwbCliRun run = { 0 };
  KwbCliDebug debug = { 0 };
  int status;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Record into DIR, a new or empty folder (default: PROJECT/recordings/DATE-TIME)"), N_("DIR") },
    { "console-send", 's', 0, G_OPTION_ARG_STRING, &console_send,
      N_("Type TEXT into the serial console once the shell is up (\\n for Enter); it is recorded"), N_("TEXT") },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &seconds,
      N_("End the recording after N seconds (default 30)"), "N" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print the console and the result as JSON lines"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — record a run of the project's guest to replay it"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Boots the kernel under QEMU's deterministic recording (TCG, one CPU), types --console-send\n"
      "at the shell prompt and ends after --seconds. kwb replay then replays that very run, and\n"
      "can go backwards through it (reverse-continue, reverse-next…)."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("record takes one project folder"));
  if (seconds <= 0)
    return kwb_cli_usage_error (context, _("--seconds takes a number > 0"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;
  /* A recording runs straight through: the project's breakpoints and crash
   * stops are for the replay, where they are found again. */
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_string_list (project, "debug", "breakpoints", (const char * const[]) { NULL });
  kwb_project_set_boolean (project, "debug", "stop-on-crash", FALSE);
  kwb_project_set_boolean (project, "debug", "stop-on-warn", FALSE);
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    return kwb_cli_fail (error);
  if (output == NULL)
    output = kwb_recording_dup_default_dir (project);

  kwb_cli_run_start (&run);
  kwb_recording_create_async (output, config, run.cancellable, kwb_cli_run_done, &run);
  kwb_cli_run_wait (&run);
  recording = kwb_recording_create_finish (run.result, &error);
  kwb_cli_run_clear (&run);
  if (recording == NULL)
    return kwb_cli_fail (error);

  kwb_replay_configure (config, recording, KWB_QEMU_REPLAY_RECORD);
  session = kwb_session_new (config);
  if (!json)
    fprintf (stderr, _("kwb: recording %d s of the guest into %s\n"), seconds, kwb_recording_get_dir (recording));

  debug.mode = KWB_CLI_DEBUG_RECORD;
  debug.recording = recording;
  debug.console_send = console_send;
  debug.json = json;
  debug.timeout = seconds;
  return kwb_cli_debug_run (&debug, session);
}

int
kwb_cmd_replay (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(KwbSession) session = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) breaks = NULL;
  g_auto(GStrv) exec = NULL;
  g_auto(GStrv) show = NULL;
  g_autoptr(GPtrArray) shows = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_cli_show_free);
  g_autofree char *show_help = NULL;
  g_autofree char *kinds = kwb_cli_show_dup_kinds ();
  int timeout = 0;
  gboolean json = FALSE;
  gboolean trust = FALSE;
  KwbCliRun run = { 0 };
  KwbCliDebug debug = { 0 };
  gboolean same;
  int status;
  GOptionEntry entries[] = {
    { "break", 'b', 0, G_OPTION_ARG_STRING_ARRAY, &breaks,
      N_("Set a breakpoint (function, FILE:LINE, *ADDRESS); repeatable. Default: the project's start function"), N_("LOCATION") },
    { "exec", 'e', 0, G_OPTION_ARG_STRING_ARRAY, &exec,
      N_("From the first stop on, run COMMAND; repeatable, in order. continue, next, step, finish, stepi "
         "and reverse-continue, reverse-next, reverse-step, reverse-finish, reverse-stepi print the stop "
         "they come to and the time they took; “watch EXPR” sets a watchpoint; others are GDB commands"),
      N_("COMMAND") },
    { "show", 0, 0, G_OPTION_ARG_STRING_ARRAY, &show,
      NULL /* set below: it names the kinds */, N_("KIND[:ARG]") },
    { "timeout", 't', 0, G_OPTION_ARG_INT, &timeout,
      N_("End the replay after S seconds whatever happens (default 300)"), "S" },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print stops and output as JSON lines"), NULL },
    { NULL }
  };

  show_help = g_strdup_printf (_("Print a kernel view at each stop; repeatable. KIND: %s"), kinds);
  for (GOptionEntry *e = entries; e->long_name != NULL; e++)
    if (g_str_equal (e->long_name, "show"))
      e->description = show_help;
  context = g_option_context_new (_("DIR — replay a recording made by kwb record, forwards and backwards"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  g_option_context_set_summary (context,
    _("Replays the recorded run of the guest instruction by instruction (the console shows what\n"
      "was recorded), stops at the breakpoints and runs the --exec commands in order from the\n"
      "first stop. The kernel and initramfs must be the ones recorded."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("replay takes one recording folder"));
  if (timeout < 0)
    return kwb_cli_usage_error (context, _("--timeout takes a number ≥ 0"));
  for (guint i = 0; show != NULL && show[i] != NULL; i++)
    {
      KwbCliShow *one = kwb_cli_show_new (show[i], &error);

      if (one == NULL)
        return kwb_cli_usage_error (context, "%s", error->message);
      g_ptr_array_add (shows, one);
    }

  if ((recording = kwb_recording_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((project = kwb_project_load (kwb_recording_get_project_dir (recording), &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;
  if (breaks != NULL)
    kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    return kwb_cli_fail (error);

  kwb_cli_run_start (&run);
  kwb_recording_check_async (recording, config, run.cancellable, kwb_cli_run_done, &run);
  kwb_cli_run_wait (&run);
  same = kwb_recording_check_finish (recording, run.result, &error);
  kwb_cli_run_clear (&run);
  if (!same)
    return kwb_cli_fail (error);

  kwb_replay_configure (config, recording, KWB_QEMU_REPLAY_PLAY);
  session = kwb_session_new (config);
  debug.modules = kwb_modules_new (session);
  for (guint i = 0; breaks != NULL && breaks[i] != NULL; i++)
    kwb_session_add_initial_breakpoint (session, breaks[i]);
  {
    g_auto(GStrv) project_breaks = kwb_project_dup_string_list (project, "debug", "breakpoints");
    g_autofree char *start_function = kwb_project_dup_string (project, "debug", "start-function");

    debug.n_requested_breaks = g_strv_length (project_breaks) + (breaks ? g_strv_length (breaks) : 0);
    if (kwb_project_get_boolean (project, "debug", "break-at-start") && start_function && *start_function)
      debug.n_requested_breaks++;
  }

  debug.mode = KWB_CLI_DEBUG_REPLAY;
  debug.recording = recording;
  debug.exec = exec;
  debug.shows = shows;
  debug.show_specs = show;
  debug.json = json;
  debug.timeout = timeout;
  return kwb_cli_debug_run (&debug, session);
}
