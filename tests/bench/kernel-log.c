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

#include <stdlib.h>
#include <string.h>

#include "kwb-core.h"

#define DEADLINE_S 240
#define N_FILL 1100
#define RUNS 10

typedef struct {
  KwbSession *session;
  GString    *console;
  guint       n_stops;
  gboolean    done;
  GError     *error;
  char       *text;
} Bench;

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until *FLAG or the console shows TEXT; dies at the deadline. */
static void
wait_for (Bench      *b,
          gboolean   *flag,
          const char *text)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (!expired && !(flag ? *flag : strstr (b->console->str, text) != NULL))
    g_main_context_iteration (NULL, TRUE);
  if (expired)
    g_error ("kernel-log bench: nothing within %d s", DEADLINE_S);
  g_source_remove (id);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Bench *b = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_clear_pointer (&b->text, g_free);
  if (tag == kwb_session_start_async)
    kwb_session_start_finish (KWB_SESSION (object), result, &b->error);
  else if (tag == kwb_session_stop_async)
    kwb_session_stop_finish (KWB_SESSION (object), result, &b->error);
  else if (tag == kwb_session_console_async)
    b->text = kwb_session_console_finish (KWB_SESSION (object), result, &b->error);
  else
    kwb_kernel_log_refresh_finish (KWB_KERNEL_LOG (object), result, &b->error);
  if (b->error != NULL)
    g_error ("kernel-log bench: %s", b->error->message);
  b->done = TRUE;
}

#define CALL(b, expr) G_STMT_START { (b)->done = FALSE; expr; wait_for ((b), &(b)->done, NULL); } G_STMT_END

static void
on_console (KwbQemu *qemu,
            GBytes  *bytes,
            Bench   *b)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (b->console, data, len);
}

static void
on_stopped (KwbSession *session,
            KwbGdbStop *stop,
            Bench      *b)
{
  b->n_stops++;
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
  const char *fixture;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(KwbKernelLog) log = NULL;
  g_autofree char *fill = NULL;
  Bench b = { 0 };
  double ours[RUNS], lx[RUNS], first, m_ours, m_lx;
  gboolean stopped = FALSE;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  fixture = g_getenv (g_str_equal (kernel_name, "6.12") ? "KWB_FIXTURE_612_PROJECT" : "KWB_FIXTURE_PROJECT");
  if (fixture == NULL || g_getenv ("KWB_FIXTURE_INITRAMFS") == NULL)
    {
      g_printerr ("the fixtures are not set: export what build-aux/fixtures _build/app/cli/kwb prints\n");
      return 1;
    }

  if ((project = kwb_project_load (fixture, &error)) == NULL)
    g_error ("%s", error->message);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_string (project, "qemu", "cmdline", "printk.devkmsg=on");
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_string (project, "initramfs", "output", g_getenv ("KWB_FIXTURE_INITRAMFS"));
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    g_error ("%s", error->message);

  b.session = kwb_session_new (config);
  b.console = g_string_new (NULL);
  log = kwb_kernel_log_new (b.session);
  kwb_session_add_initial_breakpoint (b.session, "__do_sys_sync");
  g_signal_connect (b.session, "stopped", G_CALLBACK (on_stopped), &b);
  CALL (&b, kwb_session_start_async (b.session, NULL, done_cb, &b));
  g_signal_connect (kwb_session_get_qemu (b.session), "console-output", G_CALLBACK (on_console), &b);

  wait_for (&b, NULL, "Please press Enter");
  kwb_qemu_console_write (kwb_session_get_qemu (b.session), "\r", -1, NULL);
  wait_for (&b, NULL, "/ # ");
  fill = g_strdup_printf ("i=0; while [ $i -lt %d ]; do echo kwb-fill-$i > /dev/kmsg; i=$((i+1)); done; sync\r",
                          N_FILL);
  kwb_qemu_console_write (kwb_session_get_qemu (b.session), fill, -1, NULL);
  while (!stopped)
    {
      g_main_context_iteration (NULL, TRUE);
      stopped = b.n_stops > 0 && kwb_session_get_state (b.session) == KWB_SESSION_STATE_STOPPED;
    }

  t0 = g_get_monotonic_time ();
  CALL (&b, kwb_kernel_log_refresh_async (log, NULL, done_cb, &b));
  first = (g_get_monotonic_time () - t0) / 1e6;
  /* Alternated, so that any drift of the machine's load hits both sides. */
  for (guint i = 0; i < RUNS; i++)
    {
      t0 = g_get_monotonic_time ();
      CALL (&b, kwb_kernel_log_refresh_async (log, NULL, done_cb, &b));
      ours[i] = (g_get_monotonic_time () - t0) / 1e6;
      t0 = g_get_monotonic_time ();
      CALL (&b, kwb_session_console_async (b.session, "lx-dmesg", NULL, done_cb, &b));
      lx[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  m_ours = median (ours);
  m_lx = median (lx);

  g_print ("kernel-log (linux %s, %u records at one stop; %d runs each, TCG):\n", kernel_name,
           g_list_model_get_n_items (G_LIST_MODEL (log)), RUNS);
  g_print ("  kwb first refresh (with the layout): %.1f ms\n", first * 1000);
  g_print ("  kwb refresh (KwbKernelLog):          median %.1f ms\n", m_ours * 1000);
  g_print ("  kernel's lx-dmesg (same session):    median %.1f ms\n", m_lx * 1000);
  g_print ("  ratio kwb/lx-dmesg:  %.2f\n", m_ours / m_lx);

  CALL (&b, kwb_session_stop_async (b.session, NULL, done_cb, &b));
  g_object_unref (b.session);
  g_string_free (b.console, TRUE);
  g_free (b.text);
  return 0;
}
