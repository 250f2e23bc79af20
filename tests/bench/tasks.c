/* tasks.c — refreshing the task list at a stop vs the kernel's lx-ps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG) leaves a few sleeps in the background, then
 * stops in sync. At that one stop, in the same session, RUNS times each:
 *   kwb    kwb_task_list_refresh_async (one memory read per task, parsed in C)
 *   lx-ps  the kernel's own GDB command, through kwb_session_console_async
 * The first refresh (which also asks GDB for the structure layout) is
 * shown on its own. Medians and the ratio are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define RUNS 10

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  KwbTestGuest *guest;
  g_autoptr(KwbTaskList) list = NULL;
  double ours[RUNS], lx[RUNS], first, m_ours, m_lx;
  gint64 t0;

  if ((guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync")) == NULL)
    return 1;
  list = kwb_task_list_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; sleep 1; sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  t0 = g_get_monotonic_time ();
  KWB_TEST_GUEST_CALL (guest, kwb_task_list_refresh_async (list, NULL, kwb_test_guest_done_cb, guest));
  first = (g_get_monotonic_time () - t0) / 1e6;
  /* Alternated, so that any drift of the machine's load hits both sides. */
  for (guint i = 0; i < RUNS; i++)
    {
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_task_list_refresh_async (list, NULL, kwb_test_guest_done_cb, guest));
      ours[i] = (g_get_monotonic_time () - t0) / 1e6;
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "lx-ps", NULL,
                                                             kwb_test_guest_done_cb, guest));
      lx[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_ours = kwb_test_guest_median (ours, RUNS);
  m_lx = kwb_test_guest_median (lx, RUNS);

  g_print ("tasks (linux %s, %u tasks on %u CPU(s) at one stop; %d runs each, TCG):\n", kernel_name,
           g_list_model_get_n_items (G_LIST_MODEL (list)), kwb_task_list_get_n_cpus (list), RUNS);
  g_print ("  kwb first refresh (with the layout): %.1f ms\n", first * 1000);
  g_print ("  kwb refresh (KwbTaskList):           median %.1f ms\n", m_ours * 1000);
  g_print ("  kernel's lx-ps (same session):       median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx-ps:  %.2f\n", m_ours / m_lx);

  kwb_test_guest_free (guest);
  return 0;
}
