/* watch-percpu.c — a per-CPU variable in the watch tree vs the kernel's $lx_per_cpu, on 2 CPUs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture guest (TCG, 2 CPUs asked) stops in sync RUNS + 1 times. At each
 * stop but the first, in the same session, for runqueues (a struct rq, its
 * copies expanded one level as the panel shows them when opened) and
 * this_cpu_off (an unsigned long), in turns first:
 *   kwb         kwb_watch_refresh_async of percpu:VAR (one -var-update per CPU)
 *   lx_per_cpu  `p $lx_per_cpu("VAR", N)` for every CPU N, through kwb_session_console_async
 * The first read (a new model at the first stop: the CPU probe and the
 * variable objects, and GDB's first look at the variable's debug
 * information) is shown on its own. Medians and ratios are printed; never fails on time.
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

typedef struct {
  const char    *var;
  gboolean       expand;
  KwbWatch      *watch;
  GListModel    *cpus;
  double         first;
  double         ours[RUNS];
  double         lx[RUNS];
} Bench;

static void
bench_first (KwbTestGuest *guest,
             Bench        *b)
{
  g_autofree char *spec = g_strconcat ("percpu:", b->var, NULL);
  KwbWatchValue *root;
  gint64 t0;

  b->watch = kwb_watch_new (guest->session);
  root = kwb_watch_add (b->watch, spec);
  b->cpus = kwb_watch_value_get_children (root);
  t0 = g_get_monotonic_time ();
  KWB_TEST_GUEST_CALL (guest, kwb_watch_refresh_async (b->watch, NULL, watch_done_cb, guest));
  b->first = (g_get_monotonic_time () - t0) / 1e6;
  for (guint cpu = 0; b->expand && cpu < g_list_model_get_n_items (b->cpus); cpu++)
    {
      g_autoptr(KwbWatchValue) copy = g_list_model_get_item (b->cpus, cpu);

      KWB_TEST_GUEST_CALL (guest, kwb_watch_expand_async (b->watch, copy, NULL, watch_done_cb, guest));
    }
}

/* One stop: the model's refresh and $lx_per_cpu for every CPU, in turn
 * first (GDB forgets what it read at each stop, and the order must not
 * favour either side). */
static void
bench_stop (KwbTestGuest *guest,
            const char   *kernel_name,
            Bench        *b,
            guint         run)
{
  gboolean new_helper = g_str_equal (kernel_name, "6.12");
  guint n_cpus = g_list_model_get_n_items (b->cpus);

  for (guint side = 0; side < 2; side++)
    {
      gint64 t0 = g_get_monotonic_time ();

      if ((side + run) % 2 == 0)
        {
          KWB_TEST_GUEST_CALL (guest, kwb_watch_refresh_async (b->watch, NULL, watch_done_cb, guest));
          b->ours[run] = (g_get_monotonic_time () - t0) / 1e6;
          continue;
        }
      for (guint cpu = 0; cpu < n_cpus; cpu++)
        {
          g_autofree char *command = g_strdup_printf (new_helper ? "p $lx_per_cpu(%s, %u)" : "p $lx_per_cpu(\"%s\", %u)",
                                                      b->var, cpu);

          KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, command, NULL,
                                                                 kwb_test_guest_done_cb, guest));
        }
      b->lx[run] = (g_get_monotonic_time () - t0) / 1e6;
    }
}

static void
bench_print (const char *kernel_name,
             Bench      *b)
{
  double m_ours = median (b->ours), m_lx = median (b->lx);

  g_print ("percpu:%s (linux %s, %u CPUs%s; %d stops, TCG):\n", b->var, kernel_name,
           g_list_model_get_n_items (b->cpus), b->expand ? ", each CPU's copy expanded" : "", RUNS);
  g_print ("  kwb first read (new model):          %.1f ms\n", b->first * 1000);
  g_print ("  kwb refresh at a stop (KwbWatch):    median %.1f ms\n", m_ours * 1000);
  g_print ("  $lx_per_cpu for every CPU:           median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx_per_cpu:  %.2f\n", m_ours / m_lx);
  g_object_unref (b->watch);
}

int
main (int    argc,
      char **argv)
{
  const char *kernel_name = "6.1";
  KwbTestGuest *guest;
  Bench benches[] = {
    { "runqueues", TRUE },
    { "this_cpu_off", FALSE },
  };

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  /* QEMU under TCG lists only the boot CPU in its MP table: the kernel
   * makes a second one possible, per-CPU areas and all. */
  if ((guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync")) == NULL)
    return 1;
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    bench_first (guest, &benches[i]);
  for (guint run = 0; run < RUNS; run++)
    {
      KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                          kwb_test_guest_done_cb, guest));
      kwb_test_guest_type (guest, "sync\r");
      kwb_test_guest_wait_stops (guest, run + 2);
      for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
        bench_stop (guest, kernel_name, &benches[i], run);
    }
  for (guint i = 0; i < G_N_ELEMENTS (benches); i++)
    bench_print (kernel_name, &benches[i]);

  kwb_test_guest_free (guest);
  return 0;
}
