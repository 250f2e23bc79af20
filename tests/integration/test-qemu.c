/* test-qemu.c — KwbQemu alone with real QEMU (TCG): QMP, socket paths, a QEMU that stops answering
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs KWB_FIXTURE_KERNEL (build-aux/fixtures makes it). The guest stays
 * frozen (-S): these tests are about QEMU, not the kernel. The whole
 * program runs with XDG_RUNTIME_DIR too long for a socket path and TMPDIR
 * holding a comma, so every QEMU here also checks the fallback folder and
 * the escaping of option values. Every wait has a deadline that fails the
 * test instead of hanging it; no test asserts a duration.
 */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

#define DEADLINE_S 60

static const char *kernel;
static char *short_base;   /* TMPDIR: short, with a comma */

typedef struct {
  KwbQemu    *qemu;
  GMainLoop  *loop;
  guint       deadline_id;
  gboolean    done;
  gboolean    ok;
  GError     *error;
  JsonNode   *ret;
  GPtrArray  *events;      /* char *, "NAME" or "NAME:data.status" */
  gboolean    exited;
  gboolean    requested;
  char       *exit_reason;
} Ctx;

/* Every callback below quits the loop, and the waiting code looks whether
 * what it waits for has come; the deadline quits it for good. */
static gboolean
deadline_cb (gpointer user_data)
{
  Ctx *ctx = user_data;

  ctx->deadline_id = 0;
  g_main_loop_quit (ctx->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
ctx_run (Ctx *ctx)
{
  if (ctx->deadline_id == 0)
    return FALSE;
  g_main_loop_run (ctx->loop);
  return TRUE;
}

/* Runs the main loop until COND holds, for DEADLINE_S at most. */
#define WAIT_UNTIL(ctx, cond) G_STMT_START {                                   \
    (ctx)->deadline_id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, (ctx)); \
    while (!(cond) && ctx_run (ctx))                                           \
      ;                                                                        \
    g_clear_handle_id (&(ctx)->deadline_id, g_source_remove);                  \
    g_assert_true (cond);                                                      \
  } G_STMT_END

/* One callback for start, QMP and stop: the source tag says which. */
static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Ctx *ctx = user_data;
  KwbQemu *qemu = KWB_QEMU (object);

  if (g_async_result_is_tagged (result, kwb_qemu_start_async))
    ctx->ok = kwb_qemu_start_finish (qemu, result, &ctx->error);
  else if (g_async_result_is_tagged (result, kwb_qemu_stop_async))
    ctx->ok = kwb_qemu_stop_finish (qemu, result, &ctx->error);
  else
    {
      g_clear_pointer (&ctx->ret, json_node_unref);
      ctx->ret = kwb_qemu_qmp_finish (qemu, result, &ctx->error);
    }
  ctx->done = TRUE;
  g_main_loop_quit (ctx->loop);
}

static void
on_event (KwbQemu    *qemu,
          const char *name,
          JsonNode   *data,
          Ctx        *ctx)
{
  const char *status = NULL;

  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
    status = json_object_get_string_member_with_default (json_node_get_object (data), "status", NULL);
  g_ptr_array_add (ctx->events, status ? g_strdup_printf ("%s:%s", name, status) : g_strdup (name));
  g_main_loop_quit (ctx->loop);
}

static void
on_exited (KwbQemu    *qemu,
           gboolean    requested,
           const char *reason,
           Ctx        *ctx)
{
  ctx->exited = TRUE;
  ctx->requested = requested;
  g_free (ctx->exit_reason);
  ctx->exit_reason = g_strdup (reason);
  g_main_loop_quit (ctx->loop);
}

static gboolean
has_event (Ctx        *ctx,
           const char *event)
{
  for (guint i = 0; i < ctx->events->len; i++)
    if (g_str_equal (g_ptr_array_index (ctx->events, i), event))
      return TRUE;
  return FALSE;
}

/* Starts ASYNC (a call ending in done_cb, ctx) and waits for its answer. */
#define CALL(ctx, async) G_STMT_START {  \
    (ctx)->done = FALSE;                 \
    g_clear_error (&(ctx)->error);       \
    async;                               \
    WAIT_UNTIL (ctx, (ctx)->done);       \
  } G_STMT_END

static void
ctx_init (Ctx        *ctx,
          const char *binary)
{
  memset (ctx, 0, sizeof *ctx);
  ctx->loop = g_main_loop_new (NULL, FALSE);
  ctx->events = g_ptr_array_new_with_free_func (g_free);
  ctx->qemu = kwb_qemu_new ();
  if (binary != NULL)
    kwb_qemu_set_binary (ctx->qemu, binary);
  kwb_qemu_set_kernel (ctx->qemu, kernel);
  kwb_qemu_set_accel (ctx->qemu, KWB_QEMU_ACCEL_TCG);
  kwb_qemu_set_memory (ctx->qemu, 128);
  kwb_qemu_set_cpus (ctx->qemu, 1);
  kwb_qemu_set_freeze (ctx->qemu, TRUE);
  g_signal_connect (ctx->qemu, "qmp-event", G_CALLBACK (on_event), ctx);
  g_signal_connect (ctx->qemu, "exited", G_CALLBACK (on_exited), ctx);
}

static void
ctx_start (Ctx *ctx)
{
  CALL (ctx, kwb_qemu_start_async (ctx->qemu, NULL, done_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_true (ctx->ok);
}

static JsonObject *
ctx_qmp (Ctx        *ctx,
         const char *command,
         JsonObject *arguments)
{
  CALL (ctx, kwb_qemu_qmp_async (ctx->qemu, command, arguments, NULL, done_cb, ctx));
  if (ctx->ret == NULL || !JSON_NODE_HOLDS_OBJECT (ctx->ret))
    return NULL;
  return json_node_get_object (ctx->ret);
}

static void
ctx_clear (Ctx *ctx)
{
  if (kwb_qemu_get_pid (ctx->qemu) != 0)
    CALL (ctx, kwb_qemu_stop_async (ctx->qemu, NULL, done_cb, ctx));
  g_clear_object (&ctx->qemu);
  g_clear_pointer (&ctx->ret, json_node_unref);
  g_clear_error (&ctx->error);
  g_ptr_array_unref (ctx->events);
  g_free (ctx->exit_reason);
  g_main_loop_unref (ctx->loop);
}

/* Replies parsed, an error reply's description, commands with arguments,
 * events with their data. */
static void
test_qmp (void)
{
  Ctx ctx;
  JsonObject *ret;
  g_autoptr(JsonObject) args = json_object_new ();
  g_autoptr(JsonObject) bad_path = json_object_new ();

  ctx_init (&ctx, NULL);
  ctx_start (&ctx);
  g_assert_true (kwb_qemu_get_running (ctx.qemu));

  ret = ctx_qmp (&ctx, "query-status", NULL);
  g_assert_no_error (ctx.error);
  g_assert_nonnull (ret);
  g_assert_cmpstr (json_object_get_string_member (ret, "status"), ==, "prelaunch");
  g_assert_false (json_object_get_boolean_member (ret, "running"));

  g_assert_null (ctx_qmp (&ctx, "no-such-command", NULL));
  g_assert_error (ctx.error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_QMP);
  g_assert_nonnull (strstr (ctx.error->message, "no-such-command"));

  /* Arguments; a reply that is a string, not an object. */
  json_object_set_string_member (args, "command-line", "info version");
  ctx_qmp (&ctx, "human-monitor-command", args);
  g_assert_no_error (ctx.error);
  g_assert_nonnull (ctx.ret);
  g_assert_true (JSON_NODE_HOLDS_VALUE (ctx.ret));
  g_assert_true (g_ascii_isdigit (json_node_get_string (ctx.ret)[0]));

  /* Characters JSON escapes, there in the command and back in the error. */
  json_object_set_string_member (bad_path, "path", "/machine/no\"such\\thing");
  json_object_set_string_member (bad_path, "property", "type");
  g_assert_null (ctx_qmp (&ctx, "qom-get", bad_path));
  g_assert_error (ctx.error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_QMP);
  g_assert_nonnull (strstr (ctx.error->message, "/machine/no\"such\\thing"));

  ctx_qmp (&ctx, "cont", NULL);
  g_assert_no_error (ctx.error);
  WAIT_UNTIL (&ctx, has_event (&ctx, "RESUME"));
  ctx_qmp (&ctx, "stop", NULL);
  g_assert_no_error (ctx.error);
  WAIT_UNTIL (&ctx, has_event (&ctx, "STOP"));

  ret = ctx_qmp (&ctx, "query-status", NULL);
  g_assert_cmpstr (json_object_get_string_member (ret, "status"), ==, "paused");

  /* A polite stop: quit over QMP, which QEMU acknowledges. */
  CALL (&ctx, kwb_qemu_stop_async (ctx.qemu, NULL, done_cb, &ctx));
  g_assert_true (ctx.exited);
  g_assert_true (ctx.requested);
  ctx_clear (&ctx);
}

/* XDG_RUNTIME_DIR is too long for sun_path: the sockets go to a private
 * folder under the short TMPDIR instead, whose comma QEMU must be given as
 * ",,"; the kernel path has a comma too. */
static void
test_socket_paths (void)
{
  Ctx ctx;
  struct sockaddr_un addr;
  GStatBuf st;
  g_autofree char *kernel_link = g_build_filename (short_base, "bz,Image", NULL);
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *dir = NULL;
  const char *gdb_socket;

  g_assert_cmpuint (strlen (g_get_user_runtime_dir ()), >, sizeof addr.sun_path);
  if (!g_file_test (kernel_link, G_FILE_TEST_EXISTS))
    g_assert_cmpint (symlink (kernel, kernel_link), ==, 0);

  ctx_init (&ctx, NULL);
  kwb_qemu_set_kernel (ctx.qemu, kernel_link);
  ctx_start (&ctx);

  dir = g_strdup (kwb_qemu_get_runtime_dir (ctx.qemu));
  gdb_socket = kwb_qemu_get_gdb_socket (ctx.qemu);
  g_assert_true (g_str_has_prefix (dir, short_base));
  g_assert_cmpuint (strlen (gdb_socket), <, sizeof addr.sun_path);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_true (g_file_test (gdb_socket, G_FILE_TEST_EXISTS));

  argv = kwb_qemu_dup_argv (ctx.qemu);
  joined = g_strjoinv (" ", argv);
  g_assert_nonnull (strstr (joined, "kwb-test-qemu,,"));
  g_assert_nonnull (strstr (joined, "bz,Image"));

  g_assert_nonnull (ctx_qmp (&ctx, "query-status", NULL));
  g_assert_no_error (ctx.error);
  ctx_clear (&ctx);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

/* SIGSTOP: QEMU answers nothing any more. It is killed, and "exited" says
 * why, as an end nobody asked for. */
static void
test_unresponsive (void)
{
  Ctx ctx;
  GPid pid;

  ctx_init (&ctx, NULL);
  ctx_start (&ctx);
  pid = kwb_qemu_get_pid (ctx.qemu);
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);

  WAIT_UNTIL (&ctx, ctx.exited);
  g_assert_false (ctx.requested);
  g_assert_nonnull (strstr (ctx.exit_reason, "stopped responding"));
  g_assert_cmpint (kwb_qemu_get_pid (ctx.qemu), ==, 0);
  g_assert_false (kwb_qemu_get_running (ctx.qemu));
  ctx_clear (&ctx);
}

/* Something that never opens the control socket: start fails at the
 * connect deadline, and the process is gone. */
static void
test_connect_deadline (void)
{
  Ctx ctx;
  g_autofree char *fake = g_build_filename (short_base, "qemu-silent", NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (fake, "#!/bin/sh\nexec sleep 600\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fake, 0755), ==, 0);

  ctx_init (&ctx, fake);
  CALL (&ctx, kwb_qemu_start_async (ctx.qemu, NULL, done_cb, &ctx));
  g_assert_false (ctx.ok);
  g_assert_error (ctx.error, KWB_QEMU_ERROR, KWB_QEMU_ERROR_START_FAILED);
  g_assert_nonnull (strstr (ctx.error->message, "control socket"));
  WAIT_UNTIL (&ctx, ctx.exited);
  g_assert_cmpint (kwb_qemu_get_pid (ctx.qemu), ==, 0);
  ctx_clear (&ctx);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *long_dir = NULL;
  g_autofree char *padding = g_strnfill (120, 'x');
  int status;

  /* Before anything asks GLib for these folders (it caches them). */
  short_base = g_strdup ("/tmp/kwb-test-qemu,XXXXXX");
  g_assert_nonnull (g_mkdtemp (short_base));
  long_dir = g_build_filename (short_base, padding, NULL);
  g_assert_cmpint (g_mkdir_with_parents (long_dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", long_dir, TRUE);
  g_setenv ("TMPDIR", short_base, TRUE);

  g_test_init (&argc, &argv, NULL);

  kernel = g_getenv ("KWB_FIXTURE_KERNEL");
  if (kernel == NULL || !g_file_test (kernel, G_FILE_TEST_IS_REGULAR))
    {
      /* build-aux/test always sets it; by hand, export what
       * build-aux/fixtures prints. Missing fixture is a failure, not a skip. */
      g_printerr ("KWB_FIXTURE_KERNEL is not set: run build-aux/test, or export what "
                  "build-aux/fixtures _build/app/cli/kwb prints\n");
      return 1;
    }

  g_test_add_func ("/qemu/qmp", test_qmp);
  g_test_add_func ("/qemu/socket-paths", test_socket_paths);
  g_test_add_func ("/qemu/unresponsive", test_unresponsive);
  g_test_add_func ("/qemu/connect-deadline", test_connect_deadline);
  status = g_test_run ();

  {
    g_autofree char *link = g_build_filename (short_base, "bz,Image", NULL);
    g_autofree char *fake = g_build_filename (short_base, "qemu-silent", NULL);

    g_unlink (link);
    g_unlink (fake);
    g_rmdir (long_dir);
    g_rmdir (short_base);
  }
  g_free (short_base);
  return status;
}
