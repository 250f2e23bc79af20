/* kernel-log.c — refreshing the kernel log at a stop vs the kernel's lx-dmesg
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG) writes N_FILL lines to /dev/kmsg, then stops in
 * sync. At that one stop, in the same session, RUNS times each:
 *   kwb       kwb_kernel_log_refresh_async (five memory reads, parsed in C)
 *   lx-dmesg  the kernel's own GDB command, through kwb_session_console_async
 * The first refresh (which also asks GDB for the structure layout) is shown
 * on its own. Medians and the ratio are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define N_FILL 1100
#define RUNS 10

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = "6.1";
  KwbTestGuest *guest;
  g_autoptr(KwbKernelLog) log = NULL;
  g_autofree char *fill = NULL;
  double ours[RUNS], lx[RUNS], first, m_ours, m_lx;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  if ((guest = kwb_test_guest_new (kernel_name, "printk.devkmsg=on", "__do_sys_sync")) == NULL)
    return 1;
  log = kwb_kernel_log_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  fill = g_strdup_printf ("i=0; while [ $i -lt %d ]; do echo kwb-fill-$i > /dev/kmsg; i=$((i+1)); done; sync\r",
                          N_FILL);
  kwb_test_guest_type (guest, fill);
  kwb_test_guest_wait_stops (guest, 1);

  t0 = g_get_monotonic_time ();
  KWB_TEST_GUEST_CALL (guest, kwb_kernel_log_refresh_async (log, NULL, kwb_test_guest_done_cb, guest));
  first = (g_get_monotonic_time () - t0) / 1e6;
  /* Alternated, so that any drift of the machine's load hits both sides. */
  for (guint i = 0; i < RUNS; i++)
    {
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_kernel_log_refresh_async (log, NULL, kwb_test_guest_done_cb, guest));
      ours[i] = (g_get_monotonic_time () - t0) / 1e6;
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "lx-dmesg", NULL,
                                                             kwb_test_guest_done_cb, guest));
      lx[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_ours = kwb_test_guest_median (ours, RUNS);
  m_lx = kwb_test_guest_median (lx, RUNS);

  g_print ("kernel-log (linux %s, %u records at one stop; %d runs each, TCG):\n", kernel_name,
           g_list_model_get_n_items (G_LIST_MODEL (log)), RUNS);
  g_print ("  kwb first refresh (with the layout): %.1f ms\n", first * 1000);
  g_print ("  kwb refresh (KwbKernelLog):          median %.1f ms\n", m_ours * 1000);
  g_print ("  kernel's lx-dmesg (same session):    median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx-dmesg:  %.2f\n", m_ours / m_lx);

  kwb_test_guest_free (guest);
  return 0;
}
