/* kwb-cli-run.c — wait for one async operation, Ctrl+C cancelling it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command that writes catches SIGINT and SIGTERM for its whole run
 * (kwb_cli_catch_signals, from main before the command starts): a signal
 * never kills us in the middle of a write, so no temporary file is left
 * beside the file being replaced. Instead it cancels one process-wide
 * cancellable; the operation then stops make's whole process group, deletes
 * its temporary file, and returns once all of it is gone. A synchronous
 * write simply finishes (old file or new, never half). Either way the
 * command then ends with 128 + the signal's number and one line saying so
 * (kwb_cli_exit_status).
 *
 * The signals are watched from a thread of their own so that they are seen
 * even while the main thread runs no main loop; the cancel itself is made on
 * the main context, where the operations' cancel handlers expect to run.
 * That thread also ends us when the command has not stopped GRACE_SECONDS
 * after the signal: a call that never returns (a read from a pipe or a
 * stuck file system) must not make kwb unstoppable.
 *
 * Use:
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
#include <stdio.h>

#include <glib-unix.h>
#include <glib/gi18n.h>

#include "kwb-cli-run.h"

static int caught_signal;
static struct sigaction glib_actions[NSIG];

/* Cancelled by SIGINT or SIGTERM. Main thread only. */
GCancellable *
kwb_cli_get_cancellable (void)
{
  static GCancellable *cancellable;

  if (cancellable == NULL)
    cancellable = g_cancellable_new ();
  return cancellable;
}

/* The signal that stopped the command, or 0. */
int
kwb_cli_get_signal (void)
{
  return g_atomic_int_get (&caught_signal);
}

static gboolean
cancel_on_main (gpointer data)
{
  g_cancellable_cancel (kwb_cli_get_cancellable ());
  return G_SOURCE_REMOVE;
}

/* The signal handler itself, in front of GLib's: the signal is on record
 * before the handler returns, so a command that ends an instant later still
 * reports it. Lock-free atomics only. */
static void
record_signal (int        signo,
               siginfo_t *info,
               void      *context)
{
  const struct sigaction *glib = &glib_actions[signo];

  g_atomic_int_compare_and_exchange (&caught_signal, 0, signo);
  if (glib->sa_flags & SA_SIGINFO)
    glib->sa_sigaction (signo, info, context);
  else if (glib->sa_handler != SIG_DFL && glib->sa_handler != SIG_IGN)
    glib->sa_handler (signo);
}

/* In the signal thread, when the command has not ended GRACE_SECONDS after
 * the signal: something does not see the cancel (a read that never
 * returns), and a signal must still end us. Longer than the build runner's
 * and QEMU's own graces, so a cancel that works is never cut short. */
G_GNUC_NORETURN static void
stop_now (const char *why)
{
  int signo = kwb_cli_get_signal ();

  fprintf (stderr, "kwb: %s\n", why);
  _exit (128 + signo);
}

#define GRACE_SECONDS 10

static gboolean
on_grace_over (gpointer data)
{
  stop_now (_("the command did not stop after the signal; stopping it now"));
}

/* In the signal thread. */
static gboolean
on_signal (gpointer data)
{
  static gboolean grace_started;
  g_autoptr(GSource) idle = g_idle_source_new ();

  if (!grace_started)
    {
      g_autoptr(GSource) grace = g_timeout_source_new_seconds (GRACE_SECONDS);

      g_source_set_callback (grace, on_grace_over, NULL, NULL);
      g_source_attach (grace, g_main_context_get_thread_default ());
      grace_started = TRUE;
    }
  /* Attached rather than invoked: g_main_context_invoke() would run the
   * cancel here when the main thread happens to be between loops. */
  g_source_set_priority (idle, G_PRIORITY_HIGH);
  g_source_set_callback (idle, cancel_on_main, NULL, NULL);
  g_source_attach (idle, NULL);
  return G_SOURCE_CONTINUE;
}

static gpointer
signal_thread (gpointer data)
{
  g_autoptr(GMainContext) context = data;
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);

  g_main_context_push_thread_default (context);
  g_main_loop_run (loop);
  return NULL;
}

void
kwb_cli_catch_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM };
  GMainContext *context = g_main_context_new ();

  kwb_cli_get_cancellable ();
  /* A child dying while we write to its pipe must be an error, not our death. */
  signal (SIGPIPE, SIG_IGN);
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      /* Creating the source installs the handler: from here on the signal
       * no longer kills us. Caught even when our starter ignored it (a
       * script's `kwb build &` gets SIGINT ignored): it still cancels. */
      g_autoptr(GSource) source = g_unix_signal_source_new (signals[i]);

      g_source_set_callback (source, on_signal, GINT_TO_POINTER (signals[i]), NULL);
      g_source_attach (source, context);

      /* GLib installs its handler once and keeps it while any of its sources
       * for the signal lives, as ours always do: ours stays in front. */
      if (sigaction (signals[i], NULL, &glib_actions[signals[i]]) == 0)
        {
          struct sigaction action = glib_actions[signals[i]];

          action.sa_sigaction = record_signal;
          action.sa_flags |= SA_SIGINFO;
          sigaction (signals[i], &action, NULL);
        }
    }
  /* GLib makes the C locale of its number parsing on first use, under the
   * lock that every g_once section shares. Waiting for that lock while our
   * thread holds it can set errno inside g_ascii_string_to_signed(), which
   * then reads errno and calls "1" not a number: make it before the thread. */
  g_ascii_strtoll ("0", NULL, 10);
  g_thread_unref (g_thread_new ("kwb-signals", signal_thread, context));
}

/* What main returns: @status, or 128 + the signal after one line on stderr. */
int
kwb_cli_exit_status (int status)
{
  int signo = kwb_cli_get_signal ();

  if (signo == 0)
    return status;
  fflush (stdout);
  fprintf (stderr, _("kwb: cancelled by %s\n"), signo == SIGINT ? "SIGINT" : "SIGTERM");
  return 128 + signo;
}

void
kwb_cli_run_start (KwbCliRun *run)
{
  run->loop = g_main_loop_new (NULL, FALSE);
  run->cancellable = g_object_ref (kwb_cli_get_cancellable ());
  /* A signal that came while nothing was running stops what starts now. */
  if (kwb_cli_get_signal () != 0)
    g_cancellable_cancel (run->cancellable);
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
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_object (&run->cancellable);
  g_clear_object (&run->result);
}
