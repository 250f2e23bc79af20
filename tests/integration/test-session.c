/* test-session.c — KwbSession with real QEMU (TCG), real GDB and the fixture kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs KWB_FIXTURE_PROJECT (build-aux/fixtures makes it); with
 * --kernel=arm64 the same tests run on KWB_FIXTURE_ARM64_PROJECT, an arm64
 * virt guest under qemu-system-aarch64 and gdb-multiarch. Every wait has a
 * generous deadline that fails the test instead of hanging it; no test
 * asserts a duration.
 */
#include "config.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "kwb-core.h"
#include "kwb-session-private.h"

#define DEADLINE_S 120

static const char *fixture;
static const KwbArch *arch;   /* the fixture's */

typedef struct {
  KwbSession *session;
  GString    *console;
  GPtrArray  *stops;   /* KwbGdbStop */
  gboolean    done;
  gboolean    ok;
  GError     *error;
  char       *text;
} Ctx;

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main loop until *flag or the deadline; returns *flag. */
static gboolean
wait_for (gboolean *flag,
          guint     seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *flag;
}

static gboolean
wait_console (Ctx        *ctx,
              const char *needle,
              guint       seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (strstr (ctx->console->str, needle) == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return strstr (ctx->console->str, needle) != NULL;
}

static gboolean
wait_state (Ctx             *ctx,
            KwbSessionState  state,
            guint            seconds)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (seconds, deadline_cb, &expired);

  while (kwb_session_get_state (ctx->session) != state && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return kwb_session_get_state (ctx->session) == state;
}

static void
on_console (KwbQemu *qemu,
            GBytes  *bytes,
            Ctx     *ctx)
{
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_string_append_len (ctx->console, data, len);
}

static void
on_stopped (KwbSession *session,
            KwbGdbStop *stop,
            Ctx        *ctx)
{
  g_ptr_array_add (ctx->stops, kwb_gdb_stop_copy (stop));
}

static void
done_bool_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Ctx *ctx = user_data;
  GTask *task = G_TASK (result);

  g_clear_error (&ctx->error);
  if (g_task_get_source_tag (task) == kwb_session_start_async)
    ctx->ok = kwb_session_start_finish (KWB_SESSION (object), result, &ctx->error);
  else if (g_task_get_source_tag (task) == kwb_session_stop_async)
    ctx->ok = kwb_session_stop_finish (KWB_SESSION (object), result, &ctx->error);
  else if (g_task_get_source_tag (task) == kwb_session_break_insert_async)
    {
      g_autoptr(KwbBreakpoint) bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &ctx->error);

      ctx->ok = bp != NULL;
      g_free (ctx->text);
      ctx->text = bp ? g_strdup (kwb_breakpoint_get_number (bp)) : NULL;
    }
  else if (g_task_get_source_tag (task) == kwb_session_console_async)
    {
      g_free (ctx->text);
      ctx->text = kwb_session_console_finish (KWB_SESSION (object), result, &ctx->error);
      ctx->ok = ctx->text != NULL;
    }
  else if (g_task_get_source_tag (task) == kwb_session_exec_async)
    ctx->ok = kwb_session_exec_finish (KWB_SESSION (object), result, &ctx->error);
  else
    ctx->ok = kwb_session_break_change_finish (KWB_SESSION (object), result, &ctx->error);
  ctx->done = TRUE;
}

/* A call that never answers: what GDB was last told and said. */
static gboolean
done_or_report (Ctx *ctx)
{
  g_autofree char *transcript = NULL;
  gsize len;

  if (wait_for (&ctx->done, DEADLINE_S))
    return TRUE;
  transcript = kwb_gdb_dup_transcript (kwb_session_get_gdb (ctx->session));
  len = strlen (transcript);
  g_test_message ("no answer after %d s; session state %s; GDB transcript (last 8000 bytes):\n%s", DEADLINE_S,
                  kwb_session_state_to_string (kwb_session_get_state (ctx->session)),
                  transcript + (len > 8000 ? len - 8000 : 0));
  return FALSE;
}

#define CALL(ctx, expr) \
  G_STMT_START { (ctx)->done = FALSE; expr; g_assert_true (done_or_report (ctx)); } G_STMT_END

static KwbProject *
load_fixture (void)
{
  g_autoptr(GError) error = NULL;
  KwbProject *project = kwb_project_load (fixture, &error);

  g_assert_no_error (error);
  /* TCG: the same behaviour on every machine, with or without /dev/kvm. */
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  return project;
}

static Ctx *
ctx_new (KwbProject *project)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbSessionConfig) config = kwb_session_config_new_for_project (project, &error);
  Ctx *ctx = g_new0 (Ctx, 1);

  g_assert_no_error (error);
  ctx->session = kwb_session_new (config);
  ctx->console = g_string_new (NULL);
  ctx->stops = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_gdb_stop_free);
  g_signal_connect (ctx->session, "stopped", G_CALLBACK (on_stopped), ctx);
  return ctx;
}

static void
ctx_start (Ctx *ctx)
{
  CALL (ctx, kwb_session_start_async (ctx->session, NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_true (ctx->ok);
  g_signal_connect (kwb_session_get_qemu (ctx->session), "console-output", G_CALLBACK (on_console), ctx);
}

static void
ctx_free (Ctx *ctx)
{
  GPid qemu_pid = kwb_session_get_qemu (ctx->session) ? kwb_qemu_get_pid (kwb_session_get_qemu (ctx->session)) : 0;

  if (kwb_session_get_state (ctx->session) != KWB_SESSION_STATE_FAILED &&
      kwb_session_get_state (ctx->session) != KWB_SESSION_STATE_IDLE)
    {
      CALL (ctx, kwb_session_stop_async (ctx->session, NULL, done_bool_cb, ctx));
      g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_EXITED);
    }
  /* Nothing of the session is left running. */
  if (qemu_pid > 0)
    g_assert_cmpint (kill (qemu_pid, 0), !=, 0);
  g_object_unref (ctx->session);
  g_string_free (ctx->console, TRUE);
  g_ptr_array_unref (ctx->stops);
  g_clear_error (&ctx->error);
  g_free (ctx->text);
  g_free (ctx);
}

static guint
line_of (const char *path,
         const char *needle)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return i + 1;
  return 0;
}

static void
boot_to_shell (Ctx *ctx)
{
  g_assert_true (wait_console (ctx, "Please press Enter", DEADLINE_S));
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "\r", 1, NULL);
  g_assert_true (wait_console (ctx, "/ # ", DEADLINE_S));
}

/* A session that runs from the start (no stop at start_kernel, no
 * freeze), booted to the guest's shell prompt. */
static Ctx *
ctx_new_at_shell (KwbProject *project)
{
  Ctx *ctx;

  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_boolean (project, "qemu", "freeze", FALSE);
  ctx = ctx_new (project);
  ctx_start (ctx);
  boot_to_shell (ctx);
  return ctx;
}

static void
test_break_at_start_kernel (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx = ctx_new (project);
  const KwbGdbStop *stop;
  g_autofree char *local = NULL;
  guint def_line;
  struct stat st;

  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  g_assert_cmpuint (ctx->stops->len, ==, 1);
  stop = g_ptr_array_index (ctx->stops, 0);
  g_assert_cmpstr (stop->func, ==, "start_kernel");
  g_assert_cmpstr (stop->reason, ==, "breakpoint-hit");
  local = kwb_session_map_source_path (ctx->session, stop->fullname);
  g_assert_nonnull (local);
  g_assert_true (g_str_has_suffix (local, "/init/main.c"));
  g_assert_true (g_str_has_prefix (local, kwb_session_config_get_source_dir (kwb_session_get_config (ctx->session))));
  def_line = line_of (local, "start_kernel(void)");
  g_assert_cmpuint (def_line, >, 0);
  g_assert_cmpint (stop->line, >=, def_line);
  g_assert_cmpint (stop->line, <, def_line + 40);

  /* Secure by default: a private 0700 folder, unix sockets. */
  g_assert_cmpint (stat (kwb_qemu_get_runtime_dir (kwb_session_get_qemu (ctx->session)), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_nonnull (kwb_qemu_get_gdb_socket (kwb_session_get_qemu (ctx->session)));

  /* The backtrace for the GUI. */
  while (g_list_model_get_n_items (kwb_session_get_frames (ctx->session)) == 0)
    g_main_context_iteration (NULL, TRUE);
  {
    g_autoptr(KwbFrame) top = g_list_model_get_item (kwb_session_get_frames (ctx->session), 0);

    g_assert_cmpstr (kwb_frame_get_function (top), ==, "start_kernel");
  }
  ctx_free (ctx);
}

static void
test_no_tcp_listener (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx = ctx_new (project);
  g_autofree char *out = NULL;
  g_autofree char *needle = NULL;
  g_autoptr(GError) error = NULL;

  ctx_start (ctx);
  g_assert_true (g_spawn_command_line_sync ("ss -ltnpH", &out, NULL, NULL, &error));
  g_assert_no_error (error);
  needle = g_strdup_printf ("pid=%d,", kwb_qemu_get_pid (kwb_session_get_qemu (ctx->session)));
  g_test_message ("listening TCP sockets:\n%s", out);
  g_assert_null (strstr (out, needle));
  g_assert_null (strstr (out, ":1234 "));
  ctx_free (ctx);
}

static void
test_shell_and_breakpoint_while_running (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;
  g_autofree char *release_path = NULL;
  g_autofree char *release = NULL;
  g_autofree char *number = NULL;
  guint n_stops;

  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_boolean (project, "qemu", "freeze", FALSE);
  ctx = ctx_new (project);
  release_path = g_build_filename (kwb_session_config_get_build_dir (kwb_session_get_config (ctx->session)),
                                   "include", "config", "kernel.release", NULL);
  ctx_start (ctx);
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);
  boot_to_shell (ctx);

  /* The console reaches the guest's shell. */
  g_assert_true (g_file_get_contents (release_path, &release, NULL, NULL));
  g_strstrip (release);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "uname -r\r", -1, NULL);
  g_assert_true (wait_console (ctx, release, DEADLINE_S));

  /* Every CPU the project asks for is up, also in a kernel without ACPI
   * (the fixture's fast profile), which counts sockets in the MP table. */
  g_assert_cmpint (kwb_project_get_int (project, "qemu", "cpus"), ==, 2);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "cat /sys/devices/system/cpu/online\r", -1, NULL);
  g_assert_true (wait_console (ctx, "\n0-1\r", DEADLINE_S));

  /* A breakpoint inserted while the guest runs; the uname syscall hits it. */
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "__do_sys_newuname", 0, NULL, NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  number = g_strdup (ctx->text);
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);
  g_assert_cmpuint (ctx->stops->len, ==, 0); /* the session's own interrupt is invisible */
  g_assert_nonnull (kwb_breakpoints_lookup (kwb_session_get_breakpoints (ctx->session), number));

  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "uname -r\r", -1, NULL);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  g_assert_cmpuint (ctx->stops->len, ==, 1);
  g_assert_cmpstr (((KwbGdbStop *) g_ptr_array_index (ctx->stops, 0))->func, ==, "__do_sys_newuname");
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (kwb_breakpoints_lookup (kwb_session_get_breakpoints (ctx->session), number)), ==, 1);

  /* GDB commands from the kernel's own scripts (auto-loaded). */
  CALL (ctx, kwb_session_console_async (ctx->session, "lx-version", NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_nonnull (strstr (ctx->text, release));
  CALL (ctx, kwb_session_console_async (ctx->session, "lx-dmesg", NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_nonnull (strstr (ctx->text, "Linux version"));

  CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_CONTINUE, NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));

  /* Removed while running: the next uname does not stop. */
  CALL (ctx, kwb_session_break_delete_async (ctx->session, number, NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_assert_null (kwb_breakpoints_lookup (kwb_session_get_breakpoints (ctx->session), number));
  n_stops = ctx->stops->len;
  g_string_truncate (ctx->console, 0);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "uname -r; echo marker-$((6*7))\r", -1, NULL);
  g_assert_true (wait_console (ctx, "marker-42", DEADLINE_S));
  g_assert_cmpuint (ctx->stops->len, ==, n_stops);
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);

  /* A function that does not exist: a clear error, the session goes on. */
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "no_such_function_anywhere", 0, NULL, NULL, done_bool_cb, ctx));
  g_assert_nonnull (ctx->error);
  g_test_message ("bad breakpoint: %s", ctx->error->message);
  g_assert_nonnull (strstr (ctx->error->message, "no_such_function_anywhere"));
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));
  ctx_free (ctx);
}

/* ---- the typed reads the panels use ---- */

static void
result_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the main loop until the call completes; the caller owns the result. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (DEADLINE_S, deadline_cb, &expired);

  while (*slot == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_nonnull (*slot);
  return g_steal_pointer (slot);
}

static GListModel *
list_frames (KwbSession *session)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *frames;

  kwb_session_list_frames_async (session, NULL, result_cb, &slot);
  result = wait_result (&slot);
  frames = kwb_session_list_frames_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_list_model_get_item_type (frames) == KWB_TYPE_FRAME);
  return frames;
}

static char *
evaluate (KwbSession  *session,
          const char  *expression,
          GError     **error)
{
  GAsyncResult *slot = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  kwb_session_evaluate_async (session, expression, NULL, result_cb, &slot);
  result = wait_result (&slot);
  return kwb_session_evaluate_finish (session, result, error);
}

static gboolean
has_variable (GListModel *variables,
              const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (variables); i++)
    {
      g_autoptr(KwbVariable) v = g_list_model_get_item (variables, i);

      g_assert_nonnull (kwb_variable_get_name (v));
      if (g_str_equal (kwb_variable_get_name (v), name))
        return TRUE;
    }
  return FALSE;
}

/* Stopped at start_kernel: backtrace, locals, registers, disassembly,
 * frame selection and expressions, all as typed objects. */
static void
test_inspect_stopped_guest (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx = ctx_new (project);
  const char *source_dir;
  g_autoptr(GListModel) frames = NULL;
  g_autoptr(GListModel) variables = NULL;
  g_autoptr(GListModel) registers = NULL;
  g_autoptr(GListModel) instructions = NULL;
  g_autoptr(KwbFrame) top = NULL;
  g_autoptr(KwbFrame) caller = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  GAsyncResult *slot = NULL;
  guint64 pc;
  gboolean found_pc = FALSE;

  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  source_dir = kwb_session_config_get_source_dir (kwb_session_get_config (ctx->session));

  /* The backtrace: start_kernel innermost, its file on this machine. */
  frames = list_frames (ctx->session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), >=, 2);
  top = g_list_model_get_item (frames, 0);
  caller = g_list_model_get_item (frames, 1);
  g_assert_cmpuint (kwb_frame_get_level (top), ==, 0);
  g_assert_cmpstr (kwb_frame_get_function (top), ==, "start_kernel");
  g_assert_true (g_str_has_prefix (kwb_frame_get_fullname (top), source_dir));
  g_assert_true (g_str_has_suffix (kwb_frame_get_fullname (top), "/init/main.c"));
  g_assert_cmphex (kwb_frame_get_address (top), ==, ((KwbGdbStop *) g_ptr_array_index (ctx->stops, 0))->addr);
  g_assert_cmpuint (kwb_frame_get_level (caller), ==, 1);
  g_assert_nonnull (kwb_frame_get_function (caller));
  pc = kwb_frame_get_address (top);
  /* The stack ends at the boot code that called start_kernel (x86-64's
   * secondary_startup_64, arm64's __primary_switched): GDB's extra frame at
   * address 0 beyond it is not listed. */
  {
    g_autoptr(KwbFrame) outer = g_list_model_get_item (frames, g_list_model_get_n_items (frames) - 1);

    g_assert_cmpstr (kwb_frame_get_function (outer), ==,
                     g_str_equal (arch->name, "arm64") ? "__primary_switched" : "secondary_startup_64");
    g_assert_cmphex (kwb_frame_get_address (outer), !=, 0);
  }

  /* start_kernel's locals (6.1: command_line, after_dashes). */
  kwb_session_list_variables_async (ctx->session, NULL, result_cb, &slot);
  result = wait_result (&slot);
  variables = kwb_session_list_variables_finish (ctx->session, result, &error);
  g_assert_no_error (error);
  g_assert_true (has_variable (variables, "command_line"));
  g_clear_object (&result);

  /* Registers in the order asked; the program counter is the stop's. */
  {
    const char * const x86_names[] = { "rip", "rsp", "cr3", NULL };
    const char * const arm64_names[] = { "pc", "sp", "cpsr", NULL };
    const char * const *names = g_str_equal (arch->name, "arm64") ? arm64_names : x86_names;
    g_autoptr(KwbRegister) rip = NULL;

    kwb_session_list_registers_async (ctx->session, names, NULL, result_cb, &slot);
    result = wait_result (&slot);
    registers = kwb_session_list_registers_finish (ctx->session, result, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (registers), ==, 3);
    rip = g_list_model_get_item (registers, 0);
    g_assert_cmpstr (kwb_register_get_name (rip), ==, names[0]);
    g_assert_cmphex (g_ascii_strtoull (kwb_register_get_value (rip), NULL, 16), ==, pc);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(KwbRegister) reg = g_list_model_get_item (registers, i);

        g_assert_cmpstr (kwb_register_get_name (reg), ==, names[i]);
      }
    g_clear_object (&result);
  }

  /* The function around the stop holds the stop's instruction. */
  kwb_session_disassemble_function_async (ctx->session, pc, NULL, result_cb, &slot);
  result = wait_result (&slot);
  instructions = kwb_session_disassemble_finish (ctx->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (instructions), >, 10);
  for (guint i = 0; i < g_list_model_get_n_items (instructions); i++)
    {
      g_autoptr(KwbInstruction) insn = g_list_model_get_item (instructions, i);

      g_assert_cmpstr (kwb_instruction_get_function (insn), ==, "start_kernel");
      if (kwb_instruction_get_address (insn) == pc)
        found_pc = TRUE;
    }
  g_assert_true (found_pc);
  g_clear_object (&result);
  g_clear_object (&instructions);

  /* A range: from the stop, within the range. */
  kwb_session_disassemble_async (ctx->session, pc, pc + 32, NULL, result_cb, &slot);
  result = wait_result (&slot);
  instructions = kwb_session_disassemble_finish (ctx->session, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (instructions), >=, 1);
  for (guint i = 0; i < g_list_model_get_n_items (instructions); i++)
    {
      g_autoptr(KwbInstruction) insn = g_list_model_get_item (instructions, i);

      g_assert_cmphex (kwb_instruction_get_address (insn), >=, pc);
      g_assert_cmphex (kwb_instruction_get_address (insn), <, pc + 32);
    }
  g_clear_object (&result);

  /* Expressions, in the selected frame. */
  value = evaluate (ctx->session, "sizeof (long) * 2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (value, ==, "16");
  g_clear_pointer (&value, g_free);
  g_assert_null (evaluate (ctx->session, "no_such_symbol_anywhere", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "no_such_symbol_anywhere"));
  g_clear_error (&error);

  /* The caller's frame: $pc is its return address now. */
  kwb_session_select_frame_async (ctx->session, 1, NULL, result_cb, &slot);
  result = wait_result (&slot);
  g_assert_true (kwb_session_select_frame_finish (ctx->session, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  value = evaluate (ctx->session, "(unsigned long) $pc", &error);
  g_assert_no_error (error);
  g_assert_cmphex (g_ascii_strtoull (value, NULL, 10), ==, kwb_frame_get_address (caller));
  g_clear_pointer (&value, g_free);

  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_STOPPED);

  /* None of this was a stop anyone sees. */
  g_assert_cmpuint (ctx->stops->len, ==, 1);
  ctx_free (ctx);
}

/* The same reads while the guest runs: the session pauses it for them,
 * invisibly, and lets it go on. */
static void
test_inspect_running_guest (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;
  g_autoptr(GListModel) frames = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;

  ctx = ctx_new_at_shell (project);
  g_assert_cmpint (kwb_session_get_state (ctx->session), ==, KWB_SESSION_STATE_RUNNING);

  before = evaluate (ctx->session, "jiffies_64", &error);
  g_assert_no_error (error);
  frames = list_frames (ctx->session);
  g_assert_cmpuint (g_list_model_get_n_items (frames), >=, 1);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));

  /* The guest did run on: its shell answers, and a second of its time
   * later its clock has moved. */
  g_string_truncate (ctx->console, 0);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "sleep 1; echo marker-$((6*7))\r", -1, NULL);
  g_assert_true (wait_console (ctx, "marker-42", DEADLINE_S));
  after = evaluate (ctx->session, "jiffies_64", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_ascii_strtoull (after, NULL, 10), >, g_ascii_strtoull (before, NULL, 10));
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));
  g_assert_cmpuint (ctx->stops->len, ==, 0);
  ctx_free (ctx);
}

/* Both CPUs busy in user space: wherever an interrupt lands, the session's
 * own halts read kernel memory, and the user's pause stops in the kernel
 * (on arm64, QEMU cannot read the kernel's memory from user mode: the
 * session runs on to the next kernel entry first). */
static void
test_guest_in_user_space (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;
  g_autoptr(GError) error = NULL;

  kwb_project_set_int (project, "qemu", "cpus", 2);
  ctx = ctx_new_at_shell (project);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session),
                          "while :; do :; done & while :; do :; done & echo spinning-$((6*7))\r", -1, NULL);
  g_assert_true (wait_console (ctx, "spinning-42", DEADLINE_S));

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *value = NULL;
      const KwbGdbStop *stop;

      /* The session's own halt. */
      value = evaluate (ctx->session, "init_task.comm", &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (value, "swapper"));
      g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));
      g_assert_cmpuint (ctx->stops->len, ==, i);

      /* The user's pause. */
      CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_INTERRUPT, NULL, done_bool_cb, ctx));
      g_assert_no_error (ctx->error);
      g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
      g_assert_cmpuint (ctx->stops->len, ==, i + 1);
      stop = g_ptr_array_index (ctx->stops, i);
      g_assert_cmpstr (stop->reason, ==, "signal-received");
      g_assert_cmpint (stop->bkptno, ==, -1);
      g_test_message ("paused in %s at 0x%" G_GINT64_MODIFIER "x", stop->func, stop->addr);
      if (arch->user_entries != NULL)
        g_assert_cmphex (stop->addr >> 63, ==, 1);
      g_clear_pointer (&value, g_free);
      value = evaluate (ctx->session, "init_task.comm", &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (value, "swapper"));
      CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_CONTINUE, NULL, done_bool_cb, ctx));
      g_assert_no_error (ctx->error);
      g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));
    }
  ctx_free (ctx);
}

/* The session halts the guest the moment GDB has resumed it from a
 * breakpoint, when GDB is still stepping off it: the halt must come all
 * the same, every time. */
static void
test_halt_right_after_continue (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;

  ctx = ctx_new_at_shell (project);
  CALL (ctx, kwb_session_break_insert_async (ctx->session, "__do_sys_newuname", 0, NULL, NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;

      kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "uname -r\r", -1, NULL);
      g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
      g_assert_cmpuint (ctx->stops->len, ==, i + 1);
      CALL (ctx, kwb_session_exec_async (ctx->session, KWB_GDB_EXEC_CONTINUE, NULL, done_bool_cb, ctx));
      g_assert_no_error (ctx->error);
      value = evaluate (ctx->session, "init_task.comm", &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (value, "swapper"));
      g_assert_true (wait_state (ctx, KWB_SESSION_STATE_RUNNING, DEADLINE_S));
    }
  g_assert_cmpuint (ctx->stops->len, ==, 20);
  ctx_free (ctx);
}

static void
kill_process (GPid pid)
{
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
}

static void
test_killed (gconstpointer data)
{
  gboolean kill_qemu = GPOINTER_TO_INT (data);
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx = ctx_new (project);
  GPid qemu_pid, gdb_pid;

  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  qemu_pid = kwb_qemu_get_pid (kwb_session_get_qemu (ctx->session));
  gdb_pid = kwb_gdb_get_pid (kwb_session_get_gdb (ctx->session));
  kill_process (kill_qemu ? qemu_pid : gdb_pid);

  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_FAILED, DEADLINE_S));
  g_test_message ("failure reason: %s", kwb_session_get_failure_reason (ctx->session));
  g_assert_nonnull (strstr (kwb_session_get_failure_reason (ctx->session), kill_qemu ? "QEMU" : "GDB"));
  g_assert_nonnull (strstr (kwb_session_get_failure_reason (ctx->session), "signal 9"));

  /* The other process goes too. */
  {
    gint64 end = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
    GPid other = kill_qemu ? gdb_pid : qemu_pid;

    while (kill (other, 0) == 0 && g_get_monotonic_time () < end)
      g_main_context_iteration (NULL, FALSE), g_usleep (10000);
    g_assert_cmpint (kill (other, 0), !=, 0);
  }
  ctx_free (ctx);

  /* And a new session boots right after. */
  ctx = ctx_new (project);
  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  ctx_free (ctx);
}

/* The guest going away on its own (here `reboot -f`; a panic with panic=-1
 * does the same under -no-reboot): failed, with the reason and the last
 * console lines. */
static void
test_guest_reboots (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;

  ctx = ctx_new_at_shell (project);
  kwb_qemu_console_write (kwb_session_get_qemu (ctx->session), "echo going-down; reboot -f\r", -1, NULL);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_FAILED, DEADLINE_S));
  g_test_message ("failure reason: %s", kwb_session_get_failure_reason (ctx->session));
  g_assert_nonnull (strstr (kwb_session_get_failure_reason (ctx->session), "virtual machine ended"));
  g_assert_nonnull (strstr (kwb_session_get_failure_reason (ctx->session), "going-down"));
  ctx_free (ctx);
}

/* Auto: KVM when QEMU can use it (early breakpoints then hardware ones),
 * else TCG with a note saying why; either way the first stop arrives. */
static void
test_accel_auto (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx;
  KwbBreakpoint *bp;
  const char *accel;

  kwb_project_set_string (project, "qemu", "accel", "auto");
  ctx = ctx_new (project);
  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  accel = kwb_qemu_get_accelerator (kwb_session_get_qemu (ctx->session));
  g_test_message ("accelerator: %s (%s)", accel,
                  kwb_qemu_get_accel_note (kwb_session_get_qemu (ctx->session)) ?: "no note");
  /* The only breakpoint listed: the session's own (crash stops) are not. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (kwb_session_get_breakpoints (ctx->session))), ==, 1);
  bp = g_list_model_get_item (G_LIST_MODEL (kwb_session_get_breakpoints (ctx->session)), 0);
  g_object_unref (bp); /* the model keeps it */
  g_assert_cmpstr (kwb_breakpoint_get_function (bp), ==, "start_kernel");
  if (g_str_equal (accel, "kvm"))
    g_assert_true (kwb_breakpoint_get_hardware (bp));
  else
    {
      g_assert_cmpstr (accel, ==, "tcg");
      g_assert_false (kwb_breakpoint_get_hardware (bp));
      if (kwb_qemu_kvm_usable ())
        g_assert_nonnull (strstr (kwb_qemu_get_accel_note (kwb_session_get_qemu (ctx->session)), "TCG"));
    }
  ctx_free (ctx);
}

/* A distro kernel's DWARF names its build machine's tree: such a path is
 * found in the project's tree by its longest existing tail. */
static void
test_source_path_mapping (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  Ctx *ctx = ctx_new (project);
  const char *source_dir = kwb_session_config_get_source_dir (kwb_session_get_config (ctx->session));
  g_autofree char *mapped = NULL;
  g_autofree char *again = NULL;
  g_autofree char *expected = NULL;

  g_assert_nonnull (source_dir);
  expected = g_build_filename (source_dir, "kernel", "sys.c", NULL);
  mapped = kwb_session_map_source_path (ctx->session, "/build/reproducible-path/linux-6.1.99/kernel/sys.c");
  g_assert_cmpstr (mapped, ==, expected);
  /* Remembered: another file under the same prefix maps directly. */
  again = kwb_session_map_source_path (ctx->session, "/build/reproducible-path/linux-6.1.99/init/main.c");
  g_assert_true (g_str_has_suffix (again, "/init/main.c"));
  g_assert_true (g_str_has_prefix (again, source_dir));
  g_assert_null (kwb_session_map_source_path (ctx->session, "/build/elsewhere/no/such/file.c"));
  ctx_free (ctx);
}

/* Paths with a space, both quotes, a backslash, a comma and UTF-8 reach
 * GDB whole: the vmlinux (-file-exec-and-symbols), the project's
 * substitute-path rules, and the rule the session makes for a tree found
 * by its tail (set substitute-path). One boot, to the first stop. */
static void
test_odd_paths (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  g_autofree char *tmp = g_dir_make_tmp ("kwb-session-XXXXXX", NULL);
  g_autofree char *odd = g_build_filename (tmp, "dir a'b\"c\\d,\xc3\xa9", NULL);
  g_autofree char *build_link = g_build_filename (odd, "build", NULL);
  g_autofree char *source_copy = g_build_filename (odd, "source", NULL);
  g_autofree char *main_c = NULL;
  g_autofree char *main_copy = g_build_filename (source_copy, "init", "main.c", NULL);
  g_autofree char *from = g_build_filename (odd, "from here", NULL);
  g_autofree char *to = g_build_filename (odd, "to\\there", NULL);
  g_autofree char *source_dir = NULL;
  g_autofree char *build_dir = kwb_project_dup_path (project, "kernel", "build-dir");
  g_autofree char *map_source = NULL;
  g_autofree char *map_other = NULL;
  g_autofree char *distro_tree = g_build_filename (odd, "build machine", "linux-6.1", NULL);
  g_autofree char *distro_file = g_build_filename (distro_tree, "init", "main.c", NULL);
  g_autofree char *expected_file = NULL;
  g_autofree char *mapped = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *located = NULL;
  const KwbGdbStop *stop;
  Ctx *ctx;

  {
    g_autoptr(KwbSessionConfig) config = kwb_session_config_new_for_project (project, NULL);

    g_assert_nonnull (config);
    source_dir = g_strdup (kwb_session_config_get_source_dir (config));
    g_assert_nonnull (source_dir);
  }
  g_assert_cmpint (g_mkdir_with_parents (odd, 0700), ==, 0);
  g_assert_cmpint (symlink (build_dir, build_link), ==, 0);
  /* A copy, not a link: GDB names a source file by its real path. */
  main_c = g_build_filename (source_dir, "init", "main.c", NULL);
  {
    g_autofree char *init = g_path_get_dirname (main_copy);
    g_autofree char *text = NULL;
    gsize len;

    g_assert_cmpint (g_mkdir_with_parents (init, 0700), ==, 0);

    g_assert_true (g_file_get_contents (main_c, &text, &len, NULL));
    g_assert_true (g_file_set_contents (main_copy, text, (gssize) len, NULL));
  }

  /* The kernel build seen through the odd folder; the tree's init/main.c
   * mapped into it, and a rule whose two sides are odd. */
  kwb_project_set_string (project, "kernel", "build-dir", build_link);
  map_source = g_strdup_printf ("%s=%s", source_dir, source_copy);
  map_other = g_strdup_printf ("%s=%s", from, to);
  {
    const char * const maps[] = { map_source, map_other, NULL };

    kwb_project_set_string_list (project, "debug", "substitute-path", maps);
  }
  ctx = ctx_new (project);
  g_assert_true (g_str_has_prefix (kwb_session_config_get_vmlinux (kwb_session_get_config (ctx->session)), odd));
  ctx_start (ctx);
  g_assert_true (wait_state (ctx, KWB_SESSION_STATE_STOPPED, DEADLINE_S));
  stop = g_ptr_array_index (ctx->stops, 0);
  g_assert_cmpstr (stop->func, ==, "start_kernel");
  /* GDB rewrote the file name with the project's rule. */
  expected_file = g_strdup (main_copy);
  g_test_message ("stop in %s", stop->fullname);
  g_assert_cmpstr (stop->fullname, ==, expected_file);
  CALL (ctx, kwb_session_console_async (ctx->session, "info source", NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  located = g_strdup_printf ("Located in %s", expected_file);
  g_assert_nonnull (strstr (ctx->text, located));

  /* A distro kernel's tree, here under the odd folder: the session finds
   * the file in its own tree and tells GDB the prefix. */
  mapped = kwb_session_map_source_path (ctx->session, distro_file);
  g_assert_nonnull (mapped);
  g_assert_true (g_str_has_suffix (mapped, "/init/main.c"));

  CALL (ctx, kwb_session_console_async (ctx->session, "show substitute-path", NULL, done_bool_cb, ctx));
  g_assert_no_error (ctx->error);
  g_test_message ("%s", ctx->text);
  rule = g_strdup_printf ("`%s' -> `%s'.", source_dir, source_copy);
  g_assert_nonnull (strstr (ctx->text, rule));
  g_free (rule);
  rule = g_strdup_printf ("`%s' -> `%s'.", from, to);
  g_assert_nonnull (strstr (ctx->text, rule));
  g_free (rule);
  rule = g_strdup_printf ("`%s' -> `%s'.", distro_tree, source_dir);
  g_assert_nonnull (strstr (ctx->text, rule));
  ctx_free (ctx);

  g_unlink (build_link);
  g_unlink (main_copy);
  {
    g_autofree char *init = g_path_get_dirname (main_copy);

    g_rmdir (init);
  }
  g_rmdir (source_copy);
  g_rmdir (odd);
  g_rmdir (tmp);
}

static void
test_bad_input (void)
{
  g_autoptr(KwbProject) project = load_fixture ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("kwb-session-XXXXXX", NULL);
  g_autofree char *fake = g_build_filename (dir, "vmlinux", NULL);
  g_autoptr(KwbProject) other = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  Ctx *ctx;

  /* No kernel built: says so and what to run. */
  other = kwb_project_new (dir);
  config = kwb_session_config_new_for_project (other, &error);
  g_assert_null (config);
  g_assert_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_NO_KERNEL);
  g_assert_nonnull (strstr (error->message, "kwb kernel build"));
  g_clear_error (&error);

  /* The fixture's kernel in a project of the other architecture: refused
   * before GDB meets it, naming the setting. */
  {
    g_autoptr(KwbSessionConfig) good = kwb_session_config_new_for_project (project, NULL);
    const char *other_arch = g_str_equal (arch->name, "arm64") ? "x86_64" : "arm64";

    kwb_project_set_string (other, "machine", "arch", other_arch);
    kwb_project_set_string (other, "kernel", "profile", "prebuilt");
    kwb_project_set_string (other, "kernel", "image", kwb_session_config_get_kernel (good));
    kwb_project_set_string (other, "kernel", "vmlinux", kwb_session_config_get_vmlinux (good));
    kwb_project_set_string (other, "kernel", "initramfs", "builtin");
    g_assert_null (kwb_session_config_new_for_project (other, &error));
    g_assert_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_MISMATCH);
    g_test_message ("%s", error->message);
    g_assert_nonnull (strstr (error->message, "machine.arch"));
    g_assert_nonnull (strstr (error->message, arch->label));
    g_clear_error (&error);
    kwb_project_set_string (other, "machine", "arch", arch->name);
  }

  /* A vmlinux of another kernel: the version strings differ. */
  g_assert_true (g_file_set_contents (fake, "\x7f" "ELF junk Linux version 0.0.1-other (x@y) #1\n", -1, NULL));
  {
    g_autoptr(KwbSessionConfig) good = kwb_session_config_new_for_project (project, NULL);
    const char *image = kwb_session_config_get_kernel (good);

    kwb_project_set_string (other, "kernel", "profile", "prebuilt");
    kwb_project_set_string (other, "kernel", "image", image);
    kwb_project_set_string (other, "kernel", "vmlinux", fake);
    kwb_project_set_string (other, "kernel", "initramfs", "builtin");
    config = kwb_session_config_new_for_project (other, &error);
    g_assert_no_error (error);
    g_assert_false (kwb_session_config_check_versions (config, &error));
    g_assert_error (error, KWB_SESSION_CONFIG_ERROR, KWB_SESSION_CONFIG_ERROR_MISMATCH);
    g_assert_nonnull (strstr (error->message, "0.0.1-other"));
    g_clear_error (&error);
  }

  /* QEMU not installed: names the package. */
  kwb_project_set_string (project, "qemu", "binary", "/usr/bin/qemu-system-not-here");
  ctx = ctx_new (project);
  CALL (ctx, kwb_session_start_async (ctx->session, NULL, done_bool_cb, ctx));
  g_assert_false (ctx->ok);
  g_assert_nonnull (ctx->error);
  g_test_message ("%s", ctx->error->message);
  g_assert_nonnull (strstr (ctx->error->message, arch->qemu_package));
  g_assert_nonnull (strstr (ctx->error->message, "apt-get install"));
  ctx_free (ctx);

  g_unlink (fake);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *variable = "KWB_FIXTURE_PROJECT";
  g_autoptr(KwbProject) project = NULL;

  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_equal (argv[i], "--kernel=arm64"))
      variable = "KWB_FIXTURE_ARM64_PROJECT";

  fixture = g_getenv (variable);
  if (fixture == NULL || !g_file_test (fixture, G_FILE_TEST_IS_DIR))
    {
      /* build-aux/test always sets it; by hand, export what
       * build-aux/fixtures prints. Missing fixture is a failure, not a skip. */
      g_printerr ("%s is not set: run build-aux/test, or export what "
                  "build-aux/fixtures _build/app/cli/kwb prints\n", variable);
      return 1;
    }
  project = kwb_project_load (fixture, NULL);
  arch = kwb_arch_for_project (project);

  g_test_add_func ("/session/break-at-start-kernel", test_break_at_start_kernel);
  g_test_add_func ("/session/no-tcp-listener", test_no_tcp_listener);
  g_test_add_func ("/session/shell-and-breakpoint-while-running", test_shell_and_breakpoint_while_running);
  g_test_add_func ("/session/inspect-stopped-guest", test_inspect_stopped_guest);
  g_test_add_func ("/session/inspect-running-guest", test_inspect_running_guest);
  g_test_add_func ("/session/guest-in-user-space", test_guest_in_user_space);
  g_test_add_func ("/session/halt-right-after-continue", test_halt_right_after_continue);
  g_test_add_data_func ("/session/qemu-killed", GINT_TO_POINTER (TRUE), test_killed);
  g_test_add_data_func ("/session/gdb-killed", GINT_TO_POINTER (FALSE), test_killed);
  g_test_add_func ("/session/guest-reboots", test_guest_reboots);
  g_test_add_func ("/session/accel-auto", test_accel_auto);
  g_test_add_func ("/session/source-path-mapping", test_source_path_mapping);
  g_test_add_func ("/session/odd-paths", test_odd_paths);
  g_test_add_func ("/session/bad-input", test_bad_input);
  return g_test_run ();
}
