/* test-kernel-log.c — the kernel log read from guest memory on the fixture kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. The guest's shell writes more than a thousand
 * lines and a marker to /dev/kmsg (printk.devkmsg=on lifts the rate limit),
 * then calls sync, where a breakpoint stops it. KwbKernelLog must then hold
 * the kernel's banner and the marker, flag the marker new at that stop and
 * not at the next, and agree line for line with the kernel's own lx-dmesg
 * run in the same session. KWB_TEST_RECORD_KERNEL_LOG=DIR saves the raw
 * ring bytes of the first stop (how tests/data/kernel-log was recorded).
 * Every wait has a deadline that fails the test; no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-kernel-log-private.h"

#define DEADLINE_S 240
#define N_FILL 1100

static const char *fixture;
static const char *kernel_name = "6.1";

typedef struct {
  KwbSession   *session;
  KwbKernelLog *log;
  GString      *console;
  guint         n_stops;
  gboolean      done;
  GError       *error;
  char         *text;
} Ctx;

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

typedef gboolean (*CondFunc) (Ctx *ctx, gconstpointer data);

static gboolean
wait_until (Ctx *ctx, CondFunc cond, gconstpointer data)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (!cond (ctx, data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return cond (ctx, data);
}

static gboolean cond_done (Ctx *ctx, gconstpointer data) { return ctx->done; }
static gboolean cond_console (Ctx *ctx, gconstpointer data) { return strstr (ctx->console->str, data) != NULL; }
static gboolean cond_stops (Ctx *ctx, gconstpointer data)
{
  return ctx->n_stops >= GPOINTER_TO_UINT (data) && kwb_session_get_state (ctx->session) == KWB_SESSION_STATE_STOPPED;
}

#define WAIT(ctx, cond, data) g_assert_true (wait_until ((ctx), (cond), (data)))

static void
done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Ctx *ctx = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  g_clear_error (&ctx->error);
  g_clear_pointer (&ctx->text, g_free);
  if (tag == kwb_session_start_async)
    kwb_session_start_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_session_stop_async)
    kwb_session_stop_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_session_console_async)
    ctx->text = kwb_session_console_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_session_exec_async)
    kwb_session_exec_finish (KWB_SESSION (object), result, &ctx->error);
  else if (tag == kwb_kernel_log_refresh_async)
    kwb_kernel_log_refresh_finish (KWB_KERNEL_LOG (object), result, &ctx->error);
  else
    g_assert_not_reached ();
  ctx->done = TRUE;
}

#define CALL(ctx, expr) \
  G_STMT_START { (ctx)->done = FALSE; expr; WAIT ((ctx), cond_done, NULL); g_assert_no_error ((ctx)->error); } G_STMT_END

static void
on_console (KwbQemu *qemu, GBytes *bytes, Ctx *ctx)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (ctx->console, data, len);
}

static void
on_stopped (KwbSession *session, KwbGdbStop *stop, Ctx *ctx)
{
  ctx->n_stops++;
}

static void
type (Ctx *ctx, const char *line)
{
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), line, -1, NULL);
}

static KwbLogRecord *
find_record (KwbKernelLog *log, const char *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (strstr (kwb_log_record_get_text (record), text) != NULL)
        return record;
    }
  return NULL;
}

/* Our records split into lines as lx-dmesg prints them: "TIME\tTEXT". */
static GPtrArray *
our_lines (KwbKernelLog *log)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_auto(GStrv) parts = g_strsplit (kwb_log_record_get_text (record), "\n", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (parts[j][0] != '\0' || parts[j + 1] != NULL)
          g_ptr_array_add (lines, g_strdup_printf ("%" G_GUINT64_FORMAT "\t%s",
                                                   kwb_log_record_get_time_ns (record), parts[j]));
    }
  return lines;
}

/* Same lines, same order; lx-dmesg prints the seconds as a rounded float,
 * so times agree to the microsecond. */
static void
compare_with_lx_dmesg (Ctx *ctx)
{
  g_autoptr(GPtrArray) ours = our_lines (ctx->log);
  g_auto(GStrv) theirs = NULL;
  guint n_theirs;

  CALL (ctx, kwb_session_console_async (ctx->session, "lx-dmesg", NULL, done_cb, ctx));
  theirs = g_strsplit (ctx->text, "\n", -1);
  n_theirs = g_strv_length (theirs);
  if (n_theirs > 0 && theirs[n_theirs - 1][0] == '\0')
    n_theirs--;
  g_assert_cmpuint (ours->len, ==, n_theirs);
  for (guint i = 0; i < n_theirs; i++)
    {
      const char *mine = g_ptr_array_index (ours, i);
      const char *tab = strchr (mine, '\t');
      const char *close = strstr (theirs[i], "] ");
      double their_s, my_s;

      g_assert_nonnull (close);
      g_assert_true (theirs[i][0] == '[');
      g_assert_cmpstr (tab + 1, ==, close + 2);
      their_s = g_ascii_strtod (theirs[i] + 1, NULL);
      my_s = g_ascii_strtoull (mine, NULL, 10) / 1e9;
      g_assert_cmpfloat_with_epsilon (my_s, their_s, 1.5e-6);
    }
}

static void
test_log (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (fixture, &error);
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autofree char *fill = NULL;
  const char *record_dir = g_getenv ("KWB_TEST_RECORD_KERNEL_LOG");
  Ctx ctx = { 0 };
  KwbLogRecord *marker, *banner;
  guint n;
  guint64 last_seq = 0, last_time = 0;

  g_assert_no_error (error);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_string (project, "qemu", "cmdline", "printk.devkmsg=on");
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  /* The 6.12 fixture has no initramfs of its own; BusyBox's runs on both. */
  g_assert_nonnull (g_getenv ("KWB_FIXTURE_INITRAMFS"));
  kwb_project_set_string (project, "initramfs", "output", g_getenv ("KWB_FIXTURE_INITRAMFS"));
  config = kwb_session_config_new_for_project (project, &error);
  g_assert_no_error (error);

  ctx.session = kwb_session_new (config);
  ctx.log = kwb_kernel_log_new (ctx.session);
  ctx.console = g_string_new (NULL);
  kwb_session_add_initial_breakpoint (ctx.session, "__do_sys_sync");
  g_signal_connect (ctx.session, "stopped", G_CALLBACK (on_stopped), &ctx);
  CALL (&ctx, kwb_session_start_async (ctx.session, NULL, done_cb, &ctx));
  g_signal_connect (kwb_session_get_qemu (ctx.session), "console-output", G_CALLBACK (on_console), &ctx);

  WAIT (&ctx, cond_console, "Please press Enter");
  type (&ctx, "\r");
  WAIT (&ctx, cond_console, "/ # ");
  fill = g_strdup_printf ("i=0; while [ $i -lt %d ]; do echo kwb-fill-$i > /dev/kmsg; i=$((i+1)); done; "
                          "echo kwb-marker > /dev/kmsg; sync\r", N_FILL);
  type (&ctx, fill);
  WAIT (&ctx, cond_stops, GUINT_TO_POINTER (1));

  /* First stop: the whole log, everything new. */
  CALL (&ctx, kwb_kernel_log_refresh_async (ctx.log, NULL, done_cb, &ctx));
  if (record_dir != NULL)
    {
      kwb_kernel_log_save_snapshot (ctx.log, record_dir, &error);
      g_assert_no_error (error);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (ctx.log));
  g_assert_cmpuint (n, >=, 1000);
  banner = find_record (ctx.log, "Linux version ");
  g_assert_nonnull (banner);
  g_assert_cmpuint (kwb_log_record_get_level (banner), ==, 5); /* KERN_NOTICE */
  g_assert_nonnull (find_record (ctx.log, "kwb-fill-0"));
  g_assert_nonnull (find_record (ctx.log, "kwb-fill-1099"));
  marker = find_record (ctx.log, "kwb-marker");
  g_assert_nonnull (marker);
  g_assert_cmpstr (kwb_log_record_get_text (marker), ==, "kwb-marker");
  g_assert_true (kwb_log_record_get_is_new (marker));
  g_assert_cmpuint (kwb_log_record_get_level (marker), ==, 4);    /* /dev/kmsg's default */
  g_assert_cmpuint (kwb_log_record_get_facility (marker), ==, 1); /* LOG_USER */
  g_assert_cmpuint (kwb_kernel_log_get_n_new (ctx.log), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (ctx.log), i);

      if (i > 0)
        {
          g_assert_cmpuint (kwb_log_record_get_seq (record), >, last_seq);
          g_assert_cmpuint (kwb_log_record_get_time_ns (record), >=, last_time);
        }
      g_assert_cmpuint (kwb_log_record_get_level (record), <=, 7);
      g_assert_true (g_utf8_validate (kwb_log_record_get_text (record), -1, NULL));
      last_seq = kwb_log_record_get_seq (record);
      last_time = kwb_log_record_get_time_ns (record);
    }
  /* The marker came last but one: sync itself logs nothing. */
  g_assert_cmpuint (kwb_log_record_get_seq (marker), ==, last_seq);
  compare_with_lx_dmesg (&ctx);

  /* Next stop: the marker is still there but no longer new. */
  CALL (&ctx, kwb_session_exec_async (ctx.session, KWB_GDB_EXEC_CONTINUE, NULL, done_cb, &ctx));
  type (&ctx, "echo kwb-second > /dev/kmsg; sync\r");
  WAIT (&ctx, cond_stops, GUINT_TO_POINTER (2));
  CALL (&ctx, kwb_kernel_log_refresh_async (ctx.log, NULL, done_cb, &ctx));
  marker = find_record (ctx.log, "kwb-marker");
  g_assert_nonnull (marker);
  g_assert_false (kwb_log_record_get_is_new (marker));
  g_assert_true (kwb_log_record_get_is_new (find_record (ctx.log, "kwb-second")));
  g_assert_cmpuint (kwb_kernel_log_get_n_new (ctx.log), >=, 1);
  g_assert_cmpuint (kwb_kernel_log_get_n_new (ctx.log), <, n);
  compare_with_lx_dmesg (&ctx);

  CALL (&ctx, kwb_session_stop_async (ctx.session, NULL, done_cb, &ctx));
  g_object_unref (ctx.log);
  g_object_unref (ctx.session);
  g_string_free (ctx.console, TRUE);
  g_free (ctx.text);
}

int
main (int argc, char **argv)
{
  const char *variable;

  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  variable = g_str_equal (kernel_name, "6.12") ? "KWB_FIXTURE_612_PROJECT" : "KWB_FIXTURE_PROJECT";
  fixture = g_getenv (variable);
  if (fixture == NULL || !g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("%s is not set: run build-aux/test, or export what build-aux/fixtures "
                  "_build/app/cli/kwb prints\n", variable);
      return 1;
    }
  g_test_add_func ("/kernel-log/stops", test_log);
  return g_test_run ();
}
