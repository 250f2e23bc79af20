/* memory.c — refreshing the memory view (4 KiB) at a stop vs GDB's x/4096xb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG) stops in start_kernel. At that one stop, in the
 * same session, RUNS times each, alternated:
 *   kwb expr     kwb_memory_refresh_async on "&init_task" (the expression
 *                resolved by GDB's Python, then one memory read)
 *   kwb address  the same range given as a number (the read alone)
 *   x/4096xb     GDB's own command, through kwb_session_console_async
 * Medians and the ratios are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define RUNS 10
#define LENGTH 4096

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KwbTestGuest *guest = user_data;

  if (!kwb_memory_refresh_finish (KWB_MEMORY (object), result, &guest->error))
    g_error ("%s", guest->error->message);
  guest->done = TRUE;
}

/* Seconds for one refresh of MEMORY. */
static double
time_refresh (KwbTestGuest *guest,
              KwbMemory    *memory)
{
  gint64 t0 = g_get_monotonic_time ();

  KWB_TEST_GUEST_CALL (guest, kwb_memory_refresh_async (memory, NULL, refresh_cb, guest));
  g_assert_cmpuint (g_bytes_get_size (kwb_memory_get_bytes (memory)), ==, LENGTH);
  return (g_get_monotonic_time () - t0) / 1e6;
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name;
  KwbTestGuest *guest;
  g_autoptr(KwbMemory) by_expression = NULL;
  g_autoptr(KwbMemory) by_address = NULL;
  g_autofree char *address = NULL;
  double expr[RUNS], addr[RUNS], x[RUNS], m_expr, m_addr, m_x;
  gint64 t0;

  kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  if ((guest = kwb_test_guest_new (kernel_name, NULL, "start_kernel")) == NULL)
    return 1;
  KWB_TEST_GUEST_CALL (guest, kwb_session_start_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, 1);

  KWB_TEST_GUEST_CALL (guest, kwb_session_evaluate_async (guest->session, "(unsigned long) &init_task", NULL,
                                                          kwb_test_guest_done_cb, guest));
  address = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", g_ascii_strtoull (guest->text, NULL, 10));
  by_expression = kwb_memory_new (guest->session);
  kwb_memory_set_expression (by_expression, "&init_task");
  kwb_memory_set_length (by_expression, LENGTH);
  by_address = kwb_memory_new (guest->session);
  kwb_memory_set_expression (by_address, address);
  kwb_memory_set_length (by_address, LENGTH);
  /* Once each first: GDB's Python and caches warm up for both sides. */
  time_refresh (guest, by_expression);
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "x/4096xb &init_task", NULL,
                                                         kwb_test_guest_done_cb, guest));

  /* Alternated, so that any drift of the machine's load hits every side. */
  for (guint i = 0; i < RUNS; i++)
    {
      expr[i] = time_refresh (guest, by_expression);
      addr[i] = time_refresh (guest, by_address);
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "x/4096xb &init_task", NULL,
                                                             kwb_test_guest_done_cb, guest));
      x[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_expr = kwb_test_guest_median (expr, RUNS);
  m_addr = kwb_test_guest_median (addr, RUNS);
  m_x = kwb_test_guest_median (x, RUNS);

  g_print ("memory (linux %s, %d bytes at &init_task, at start_kernel; %d runs each, TCG):\n",
           kernel_name, LENGTH, RUNS);
  g_print ("  kwb refresh, expression &init_task:  median %.1f ms\n", m_expr * 1000);
  g_print ("  kwb refresh, address %s: median %.1f ms\n", address, m_addr * 1000);
  g_print ("  GDB's x/4096xb (same session):      median %.1f ms\n", m_x * 1000);
  g_print ("  ratio kwb/x/4096xb:  %.3f (expression)  %.3f (address)\n", m_expr / m_x, m_addr / m_x);

  kwb_test_guest_free (guest);
  return 0;
}
