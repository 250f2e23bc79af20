/* kwb-test-guest.c — a debug session on a fixture kernel, for tests and benchmarks of the kernel views
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "kwb-test-guest.h"

#define DEADLINE_S 240

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*CondFunc) (KwbTestGuest *guest, gconstpointer data);

static void
wait_until (KwbTestGuest  *guest,
            CondFunc       cond,
            gconstpointer  data,
            const char    *what)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (!cond (guest, data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!cond (guest, data))
    g_error ("no %s within %d s", what, DEADLINE_S);
  g_source_remove (id);
}

static gboolean cond_done (KwbTestGuest *guest, gconstpointer data) { return guest->done; }
static gboolean cond_console (KwbTestGuest *guest, gconstpointer data) { return strstr (guest->console->str, data) != NULL; }

static gboolean
cond_stops (KwbTestGuest  *guest,
            gconstpointer  data)
{
  return guest->n_stops >= GPOINTER_TO_UINT (data) &&
         kwb_session_get_state (guest->session) == KWB_SESSION_STATE_STOPPED;
}

static void
on_console (KwbQemu      *qemu,
            GBytes       *bytes,
            KwbTestGuest *guest)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (guest->console, data, len);
}

static void
on_stopped (KwbSession   *session,
            KwbGdbStop   *stop,
            KwbTestGuest *guest)
{
  guest->n_stops++;
}

void
kwb_test_guest_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  KwbTestGuest *guest = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_clear_error (&guest->error);
  g_clear_pointer (&guest->text, g_free);
  if (tag == kwb_session_start_async)
    kwb_session_start_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_stop_async)
    kwb_session_stop_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_console_async)
    guest->text = kwb_session_console_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_evaluate_async)
    guest->text = kwb_session_evaluate_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_session_exec_async)
    kwb_session_exec_finish (KWB_SESSION (object), result, &guest->error);
  else if (tag == kwb_kernel_log_refresh_async)
    kwb_kernel_log_refresh_finish (KWB_KERNEL_LOG (object), result, &guest->error);
  else if (KWB_IS_KERNEL_VIEW (object))
    kwb_kernel_view_refresh_finish (KWB_KERNEL_VIEW (object), result, &guest->error);
  else
    g_error ("kwb_test_guest_done_cb: an async call it does not know");
  guest->done = TRUE;
}

void
kwb_test_guest_wait_done (KwbTestGuest *guest)
{
  wait_until (guest, cond_done, NULL, "answer");
  if (guest->error != NULL)
    g_error ("%s", guest->error->message);
}

KwbTestGuest *
kwb_test_guest_new (const char *kernel_name,
                    const char *cmdline,
                    const char *breakpoint)
{
  const char *variable = g_str_equal (kernel_name, "6.12") ? "KWB_FIXTURE_612_PROJECT" : "KWB_FIXTURE_PROJECT";
  const char *fixture = g_getenv (variable);
  const char *initramfs = g_getenv ("KWB_FIXTURE_INITRAMFS");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  KwbTestGuest *guest;

  /* A missing fixture is a failure, not a skip. */
  if (fixture == NULL || !g_file_test (fixture, G_FILE_TEST_IS_DIR) || initramfs == NULL)
    {
      g_printerr ("%s or KWB_FIXTURE_INITRAMFS is not set: run build-aux/test, or export what "
                  "build-aux/fixtures _build/app/cli/kwb prints\n", variable);
      return NULL;
    }
  if ((project = kwb_project_load (fixture, &error)) == NULL)
    g_error ("%s", error->message);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_string (project, "qemu", "cmdline", cmdline ? cmdline : "");
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  /* The 6.12 fixture has no initramfs of its own; BusyBox's runs on both. */
  kwb_project_set_string (project, "initramfs", "output", initramfs);
  if ((config = kwb_session_config_new_for_project (project, &error)) == NULL)
    g_error ("%s", error->message);

  guest = g_new0 (KwbTestGuest, 1);
  guest->session = kwb_session_new (config);
  guest->console = g_string_new (NULL);
  if (breakpoint != NULL)
    kwb_session_add_initial_breakpoint (guest->session, breakpoint);
  g_signal_connect (guest->session, "stopped", G_CALLBACK (on_stopped), guest);
  return guest;
}

void
kwb_test_guest_boot_to_shell (KwbTestGuest *guest)
{
  KWB_TEST_GUEST_CALL (guest, kwb_session_start_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  g_signal_connect (kwb_session_get_qemu (guest->session), "console-output", G_CALLBACK (on_console), guest);
  wait_until (guest, cond_console, "Please press Enter", "console prompt");
  kwb_test_guest_type (guest, "\r");
  wait_until (guest, cond_console, "/ # ", "shell prompt");
}

void
kwb_test_guest_type (KwbTestGuest *guest,
                     const char   *text)
{
  kwb_qemu_console_write (kwb_session_get_qemu (guest->session), text, -1, NULL);
}

void
kwb_test_guest_wait_stops (KwbTestGuest *guest,
                           guint         n_stops)
{
  wait_until (guest, cond_stops, GUINT_TO_POINTER (n_stops), "stop");
}

void
kwb_test_guest_free (KwbTestGuest *guest)
{
  if (kwb_session_get_state (guest->session) != KWB_SESSION_STATE_FAILED &&
      kwb_session_get_state (guest->session) != KWB_SESSION_STATE_IDLE)
    KWB_TEST_GUEST_CALL (guest, kwb_session_stop_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  g_object_unref (guest->session);
  g_string_free (guest->console, TRUE);
  g_clear_error (&guest->error);
  g_free (guest->text);
  g_free (guest);
}

const char *
kwb_test_guest_kernel_arg (int    argc,
                           char **argv)
{
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      return argv[i] + strlen ("--kernel=");
  return "6.1";
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

double
kwb_test_guest_median (double *values,
                       guint   n)
{
  g_return_val_if_fail (n > 0, 0);

  qsort (values, n, sizeof (double), compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}
