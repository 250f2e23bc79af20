/* watchpoint.c — a checked watchpoint to its stop vs GDB's bare `watch` + continue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG) stops at start_kernel; then, in the same session,
 * RUNS times each, alternated:
 *   kwb   kwb_session_watch_async ("jiffies"): sizeof and address asked,
 *         debug registers counted, -break-watch, -break-info; then continue
 *         until the timer tick writes jiffies
 *   gdb   `watch jiffies` typed in GDB's console (kwb_session_console_async),
 *         then the same continue
 * Each watchpoint is deleted after its stop. "set" is the call alone,
 * "to the stop" adds the continue (the guest's time to the next tick, the
 * same for both). Medians and ratios are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define RUNS 10

typedef struct {
  gboolean       done;
  KwbBreakpoint *bp;
  GError        *error;
} Watch;

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Watch *watch = user_data;

  watch->bp = kwb_session_watch_finish (KWB_SESSION (object), result, &watch->error);
  watch->done = TRUE;
}

static void
continue_to_stop (KwbTestGuest *guest)
{
  guint n = guest->n_stops;
  const KwbGdbStop *stop;

  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, n + 1);
  stop = kwb_session_get_last_stop (guest->session);
  if (g_strcmp0 (stop->reason, "watchpoint-trigger") != 0)
    g_error ("expected a watchpoint stop, got %s in %s", stop->reason, stop->func);
}

static void
delete_number (KwbTestGuest *guest,
               const char   *number)
{
  g_autofree char *command = g_strdup_printf ("delete %s", number);

  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, command, NULL,
                                                         kwb_test_guest_done_cb, guest));
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  KwbTestGuest *guest;
  double ours_set[RUNS], ours_stop[RUNS], gdb_set[RUNS], gdb_stop[RUNS];
  double m_ours_set, m_ours_stop, m_gdb_set, m_gdb_stop;
  gint64 t0;

  if ((guest = kwb_test_guest_new (kernel_name, NULL, "start_kernel")) == NULL)
    return 1;
  KWB_TEST_GUEST_CALL (guest, kwb_session_start_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, 1);

  for (guint i = 0; i < RUNS; i++)
    {
      Watch watch = { 0 };
      GListModel *model = G_LIST_MODEL (kwb_session_get_breakpoints (guest->session));
      g_autoptr(KwbBreakpoint) last = NULL;
      g_autofree char *number = NULL;

      t0 = g_get_monotonic_time ();
      kwb_session_watch_async (guest->session, "jiffies", KWB_GDB_WATCH_WRITE, NULL, watch_cb, &watch);
      while (!watch.done)
        g_main_context_iteration (NULL, TRUE);
      if (watch.bp == NULL)
        g_error ("%s", watch.error->message);
      ours_set[i] = (g_get_monotonic_time () - t0) / 1e6;
      continue_to_stop (guest);
      ours_stop[i] = (g_get_monotonic_time () - t0) / 1e6;
      delete_number (guest, kwb_breakpoint_get_number (watch.bp));
      g_object_unref (watch.bp);

      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "watch jiffies", NULL,
                                                             kwb_test_guest_done_cb, guest));
      gdb_set[i] = (g_get_monotonic_time () - t0) / 1e6;
      continue_to_stop (guest);
      gdb_stop[i] = (g_get_monotonic_time () - t0) / 1e6;
      /* GDB announced it (=breakpoint-created): the model's newest. */
      last = g_list_model_get_item (model, g_list_model_get_n_items (model) - 1);
      number = g_strdup (kwb_breakpoint_get_number (last));
      delete_number (guest, number);
    }
  m_ours_set = kwb_test_guest_median (ours_set, RUNS);
  m_ours_stop = kwb_test_guest_median (ours_stop, RUNS);
  m_gdb_set = kwb_test_guest_median (gdb_set, RUNS);
  m_gdb_stop = kwb_test_guest_median (gdb_stop, RUNS);

  g_print ("watchpoint (linux %s, jiffies from start_kernel; %d runs each, TCG):\n", kernel_name, RUNS);
  g_print ("  kwb  set (checked):        median %.1f ms   to the stop: median %.1f ms\n",
           m_ours_set * 1000, m_ours_stop * 1000);
  g_print ("  gdb  `watch jiffies`:      median %.1f ms   to the stop: median %.1f ms\n",
           m_gdb_set * 1000, m_gdb_stop * 1000);
  g_print ("  ratio kwb/gdb: set %.2f, to the stop %.2f\n", m_ours_set / m_gdb_set, m_ours_stop / m_gdb_stop);

  kwb_test_guest_free (guest);
  return 0;
}
