/* watch-percpu.c — a per-CPU variable in the watch tree vs the kernel's $lx_per_cpu, on 2 CPUs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG, 2 CPUs) stops in sync. At that one stop, in the
 * same session, for runqueues (a struct rq, its copies expanded one level
 * as the panel shows them when opened) and this_cpu_off (an unsigned long), RUNS times each:
 *   kwb         kwb_watch_refresh_async of percpu:VAR (one -var-update per CPU)
 *   lx_per_cpu  `p $lx_per_cpu("VAR", 0)` and `… 1)` through kwb_session_console_async
 * The first read (a new model: the CPU probe and the variable objects) is
 * shown on its own. Medians and ratios are printed; never fails on time.
 * Argument --kernel=6.1 (default) or --kernel=6.12; needs the fixtures.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

#define RUNS 10

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

static void
watch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KwbTestGuest *guest = user_data;

  g_clear_error (&guest->error);
  if (g_task_get_source_tag (G_TASK (result)) == kwb_watch_refresh_async)
    kwb_watch_refresh_finish (KWB_WATCH (object), result, &guest->error);
  else
    kwb_watch_expand_finish (KWB_WATCH (object), result, &guest->error);
  guest->done = TRUE;
}

static void
bench (KwbTestGuest *guest,
       const char   *kernel_name,
       const char   *var,
       gboolean      expand)
{
  g_autoptr(KwbWatch) watch = kwb_watch_new (guest->session);
  g_autofree char *spec = g_strconcat ("percpu:", var, NULL);
  KwbWatchValue *root = kwb_watch_add (watch, spec);
  GListModel *cpus = kwb_watch_value_get_children (root);
  gboolean new_helper = g_str_equal (kernel_name, "6.12");
  double ours[RUNS], lx[RUNS], first, m_ours, m_lx;
  gint64 t0;
  guint n_cpus;

  t0 = g_get_monotonic_time ();
  KWB_TEST_GUEST_CALL (guest, kwb_watch_refresh_async (watch, NULL, watch_done_cb, guest));
  first = (g_get_monotonic_time () - t0) / 1e6;
  n_cpus = g_list_model_get_n_items (cpus);
  for (guint cpu = 0; expand && cpu < n_cpus; cpu++)
    {
      g_autoptr(KwbWatchValue) copy = g_list_model_get_item (cpus, cpu);

      KWB_TEST_GUEST_CALL (guest, kwb_watch_expand_async (watch, copy, NULL, watch_done_cb, guest));
    }
  /* Alternated, so that any drift of the machine's load hits both sides. */
  for (guint i = 0; i < RUNS; i++)
    {
      t0 = g_get_monotonic_time ();
      KWB_TEST_GUEST_CALL (guest, kwb_watch_refresh_async (watch, NULL, watch_done_cb, guest));
      ours[i] = (g_get_monotonic_time () - t0) / 1e6;
      t0 = g_get_monotonic_time ();
      for (guint cpu = 0; cpu < n_cpus; cpu++)
        {
          g_autofree char *command = g_strdup_printf (new_helper ? "p $lx_per_cpu(%s, %u)" : "p $lx_per_cpu(\"%s\", %u)",
                                                      var, cpu);

          KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, command, NULL,
                                                                 kwb_test_guest_done_cb, guest));
        }
      lx[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_ours = median (ours);
  m_lx = median (lx);
  g_print ("percpu:%s (linux %s, %u CPUs%s; %d runs each, TCG):\n", var, kernel_name, n_cpus,
           expand ? ", each CPU's copy expanded" : "", RUNS);
  g_print ("  kwb first read (new model):          %.1f ms\n", first * 1000);
  g_print ("  kwb refresh (KwbWatch):              median %.1f ms\n", m_ours * 1000);
  g_print ("  $lx_per_cpu for every CPU:           median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx_per_cpu:  %.2f\n", m_ours / m_lx);
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = "6.1";
  KwbTestGuest *guest;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  if ((guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync")) == NULL)
    return 1;
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  bench (guest, kernel_name, "runqueues", TRUE);
  bench (guest, kernel_name, "this_cpu_off", FALSE);

  kwb_test_guest_free (guest);
  return 0;
}
