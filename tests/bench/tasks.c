/* tasks.c — refreshing the task list at a stop vs the kernel's lx-ps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG) leaves a few sleeps in the background, then
 * stops in sync. At that one stop, in the same session, RUNS times each:
 *   kwb    kwb_task_list_refresh_async (one memory read per task, parsed in C)
 *   lx-ps  the kernel's own GDB command, through kwb_session_console_async
 * The first refresh (which also asks GDB for the structure layout) and the
 * unwinding of a sleeping task's stack are shown on their own. Medians and
 * the ratio are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define RUNS 10

typedef struct {
  gboolean    done;
  GListModel *frames;
  GError     *error;
} Call;

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call *call = user_data;

  kwb_task_list_refresh_finish (KWB_TASK_LIST (object), result, &call->error);
  call->done = TRUE;
}

static void
frames_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->frames = kwb_task_list_list_frames_finish (KWB_TASK_LIST (object), result, &call->error);
  call->done = TRUE;
}

static void
wait_call (Call *call)
{
  while (!call->done)
    g_main_context_iteration (NULL, TRUE);
  if (call->error != NULL)
    g_error ("%s", call->error->message);
}

static double
refresh (KwbTaskList *list)
{
  Call call = { 0 };
  gint64 t0 = g_get_monotonic_time ();

  kwb_task_list_refresh_async (list, NULL, refresh_cb, &call);
  wait_call (&call);
  return (g_get_monotonic_time () - t0) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values)
{
  qsort (values, RUNS, sizeof (double), compare_doubles);
  return (values[RUNS / 2 - 1] + values[RUNS / 2]) / 2;
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = "6.1";
  KwbTestGuest *guest;
  g_autoptr(KwbTaskList) list = NULL;
  KwbTask *sleeper = NULL;
  double ours[RUNS], lx[RUNS], first, m_ours, m_lx, stack_first = 0, stack_next = 0;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  if ((guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync")) == NULL)
    return 1;
  list = kwb_task_list_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; sleep 1; sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  first = refresh (list);
  /* Alternated, so that any drift of the machine's load hits both sides. */
  for (guint i = 0; i < RUNS; i++)
    {
      ours[i] = refresh (list);
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "lx-ps", NULL,
                                                             kwb_test_guest_done_cb, guest));
      lx[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_ours = median (ours);
  m_lx = median (lx);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)) && sleeper == NULL; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (kwb_task_get_state (task) == 'S' && !kwb_task_get_kernel_thread (task) && kwb_task_get_pid (task) > 1)
        sleeper = task;
    }
  for (guint i = 0; sleeper != NULL && i < 2; i++)
    {
      Call call = { 0 };

      t0 = g_get_monotonic_time ();
      kwb_task_list_list_frames_async (list, sleeper, NULL, frames_cb, &call);
      wait_call (&call);
      *(i == 0 ? &stack_first : &stack_next) = (g_get_monotonic_time () - t0) / 1e6;
      g_clear_object (&call.frames);
    }

  g_print ("tasks (linux %s, %u tasks on %u CPU(s) at one stop; %d runs each, TCG):\n", kernel_name,
           g_list_model_get_n_items (G_LIST_MODEL (list)), kwb_task_list_get_n_cpus (list), RUNS);
  g_print ("  kwb first refresh (with the layout): %.1f ms\n", first * 1000);
  g_print ("  kwb refresh (KwbTaskList):           median %.1f ms\n", m_ours * 1000);
  g_print ("  kernel's lx-ps (same session):       median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx-ps:  %.2f\n", m_ours / m_lx);
  g_print ("  a sleeping task's stack: first %.1f ms (with its layout), then %.1f ms\n",
           stack_first * 1000, stack_next * 1000);

  kwb_test_guest_free (guest);
  return 0;
}
