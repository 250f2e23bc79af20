/* kwb-cli-run.c — wait for one async operation, Ctrl+C cancelling it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every build command runs one core operation to its end on a main loop.
 * SIGINT and SIGTERM cancel it rather than kill us: the operation then
 * stops make's whole process group and returns once it is gone, so a
 * Ctrl+C leaves no compiler behind. Use:
 *
 *   KwbCliRun run = { 0 };
 *   kwb_cli_run_start (&run);
 *   thing_do_async (thing, run.cancellable, kwb_cli_run_done, &run);
 *   kwb_cli_run_wait (&run);
 *   ok = thing_do_finish (thing, run.result, &error);
 *   kwb_cli_run_clear (&run);
 */
#include "config.h"

#include <signal.h>

#include <glib-unix.h>

#include "kwb-cli-run.h"

static gboolean
on_interrupt (gpointer data)
{
  KwbCliRun *run = data;

  g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

void
kwb_cli_run_start (KwbCliRun *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_cancellable_new ();
  /* A child dying while we write to its pipe must be an error, not our death. */
  signal (SIGPIPE, SIG_IGN);
  run->sigint = g_unix_signal_add (SIGINT, on_interrupt, run);
  run->sigterm = g_unix_signal_add (SIGTERM, on_interrupt, run);
}

/* The GAsyncReadyCallback to give the operation, with the run as data. */
void
kwb_cli_run_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  KwbCliRun *run = data;

  run->result = g_object_ref (result);
  g_main_loop_quit (run->loop);
}

void
kwb_cli_run_wait (KwbCliRun *run)
{
  if (run->result == NULL)
    g_main_loop_run (run->loop);
}

void
kwb_cli_run_clear (KwbCliRun *run)
{
  g_clear_handle_id (&run->sigint, g_source_remove);
  g_clear_handle_id (&run->sigterm, g_source_remove);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->result);
}
