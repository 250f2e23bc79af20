/* test-watchpoints.c — watchpoints and hardware breakpoints on the fixture kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. A hardware
 * breakpoint on start_kernel is hit; there a write watchpoint on jiffies is
 * set, and each continue stops where the timer tick writes it, with the old
 * and the new value and hit counts going up. Then the debug registers fill
 * up: the fifth is refused with the session's own error, disabling one
 * frees it and enabling it again is refused; an unknown symbol, a register
 * and an expression GDB could only watch in software are refused with
 * GDB's reason. Last, a software breakpoint the guest's memory refuses
 * becomes a hardware one and the continue goes on: QEMU's stub under TCG
 * never refuses one, so GDB is told to write its int3 itself (as KVM's
 * stub does), at an address where nothing is mapped. Every wait has a
 * deadline that fails the test; no duration is asserted. A watchpoint on
 * a local ends with its frame ("watchpoint-scope").
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

static const char *kernel_name = "6.1";

/* ---- waiting for one async answer ---- */

typedef struct {
  gboolean      done;
  GAsyncResult *result;
} Answer;

static void
answer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Answer *answer = user_data;

  answer->result = g_object_ref (result);
  answer->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("no answer from the session within 240 s");
  return G_SOURCE_REMOVE;
}

static GAsyncResult *
wait_answer (Answer *answer)
{
  guint id = g_timeout_add_seconds (240, deadline_cb, NULL);

  while (!answer->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  return answer->result;
}

static KwbBreakpoint *
watch (KwbSession       *session,
       const char       *expression,
       KwbGdbWatchKind   kind,
       GError          **error)
{
  Answer answer = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  kwb_session_watch_async (session, expression, kind, NULL, answer_cb, &answer);
  result = wait_answer (&answer);
  return kwb_session_watch_finish (session, result, error);
}

static KwbBreakpoint *
hbreak (KwbSession  *session,
        const char  *location,
        GError     **error)
{
  Answer answer = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  kwb_session_break_insert_async (session, location, KWB_GDB_BREAK_HARDWARE, NULL, NULL, answer_cb, &answer);
  result = wait_answer (&answer);
  return kwb_session_break_insert_finish (session, result, error);
}

static gboolean
enable (KwbSession  *session,
        const char  *number,
        gboolean     enabled,
        GError     **error)
{
  Answer answer = { 0 };
  g_autoptr(GAsyncResult) result = NULL;

  kwb_session_break_enable_async (session, number, enabled, NULL, answer_cb, &answer);
  result = wait_answer (&answer);
  return kwb_session_break_change_finish (session, result, error);
}

static const KwbGdbStop *
continue_to_next_stop (KwbTestGuest *guest)
{
  guint n = guest->n_stops;

  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, n + 1);
  return kwb_session_get_last_stop (guest->session);
}

/* The statement that wrote: GDB stops after the writing instruction, on
 * its line or the next one. */
static void
assert_writes_jiffies (KwbSession       *session,
                       const KwbGdbStop *stop)
{
  g_autofree char *local = kwb_session_map_source_path (session, stop->fullname);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_nonnull (local);
  g_assert_true (g_file_get_contents (local, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (stop->line, >, 1);
  g_assert_cmpint (stop->line, <=, (int) g_strv_length (lines));
  if (strstr (lines[stop->line - 1], "jiffies") == NULL && strstr (lines[stop->line - 2], "jiffies") == NULL)
    g_error ("the watchpoint stopped at %s:%d, not by a write to jiffies:\n%s\n%s", local, stop->line,
             lines[stop->line - 2], lines[stop->line - 1]);
}

static guint64
parse_u64 (const char *text)
{
  guint64 value = 0;
  g_autoptr(GError) error = NULL;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &value, &error))
    g_error ("“%s” is not a value of jiffies: %s", text, error->message);
  return value;
}

static void
on_log (KwbSession *session,
        const char *message,
        GString    *log)
{
  g_string_append_printf (log, "%s\n", message);
}

static void
test_watchpoints (void)
{
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(KwbBreakpoint) unmapped = NULL;
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, NULL);
  KwbBreakpoints *model;
  g_autoptr(KwbBreakpoint) start = NULL;
  g_autoptr(KwbBreakpoint) jiffies = NULL;
  g_autoptr(KwbBreakpoint) third = NULL;
  g_autoptr(KwbBreakpoint) fourth = NULL;
  g_autoptr(KwbBreakpoint) refused = NULL;
  g_autoptr(GError) error = NULL;
  const KwbGdbStop *stop;
  guint64 old_value, new_value;
  g_autofree char *start_number = NULL;

  if (guest == NULL)
    {
      g_test_fail ();
      return;
    }
  model = kwb_session_get_breakpoints (guest->session);
  g_signal_connect (guest->session, "log", G_CALLBACK (on_log), log);
  kwb_session_add_initial_hardware_breakpoint (guest->session, "start_kernel");
  KWB_TEST_GUEST_CALL (guest, kwb_session_start_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, 1);

  /* The hardware breakpoint is hit, and counted. */
  stop = kwb_session_get_last_stop (guest->session);
  g_assert_cmpstr (stop->reason, ==, "breakpoint-hit");
  g_assert_cmpstr (stop->func, ==, "start_kernel");
  g_assert_false (kwb_gdb_stop_is_watchpoint (stop));
  start = g_list_model_get_item (G_LIST_MODEL (model), 0);
  start_number = g_strdup (kwb_breakpoint_get_number (start));
  g_assert_cmpint (kwb_breakpoint_get_kind (start), ==, KWB_BREAKPOINT_KIND_HARDWARE);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (start), ==, 1);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 1);

  /* A write watchpoint on jiffies (8 aligned bytes: one register). */
  jiffies = watch (guest->session, "jiffies", KWB_GDB_WATCH_WRITE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_breakpoint_get_kind (jiffies), ==, KWB_BREAKPOINT_KIND_WATCH_WRITE);
  g_assert_cmpstr (kwb_breakpoint_get_expression (jiffies), ==, "jiffies");
  g_assert_cmpuint (kwb_breakpoint_get_hardware_slots (jiffies), ==, 1);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (jiffies), ==, 0);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 2);

  /* Each tick: a stop at the write, old and new one apart. */
  stop = continue_to_next_stop (guest);
  g_assert_cmpstr (stop->reason, ==, "watchpoint-trigger");
  g_assert_cmpint (kwb_gdb_stop_get_watch_kind (stop), ==, KWB_GDB_WATCH_WRITE);
  g_assert_cmpint (stop->watch_number, ==, (int) g_ascii_strtoll (kwb_breakpoint_get_number (jiffies), NULL, 10));
  g_assert_cmpstr (stop->watch_expression, ==, "jiffies");
  old_value = parse_u64 (stop->value_old);
  new_value = parse_u64 (stop->value_new);
  g_assert_cmpuint (new_value, >, old_value);
  assert_writes_jiffies (guest->session, stop);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (jiffies), ==, 1);
  g_assert_cmpstr (kwb_breakpoint_get_value (jiffies), ==, stop->value_new);

  stop = continue_to_next_stop (guest);
  g_assert_cmpstr (stop->reason, ==, "watchpoint-trigger");
  g_assert_cmpuint (parse_u64 (stop->value_old), ==, new_value);
  g_assert_cmpuint (parse_u64 (stop->value_new), >, new_value);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (jiffies), ==, 2);
  g_assert_cmpstr (kwb_breakpoint_get_value (jiffies), ==, stop->value_new);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (start), ==, 1);

  /* Fill the four registers: a read watchpoint and a hardware breakpoint. */
  third = watch (guest->session, "init_task.pid", KWB_GDB_WATCH_READ, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_breakpoint_get_kind (third), ==, KWB_BREAKPOINT_KIND_WATCH_READ);
  fourth = hbreak (guest->session, "panic", &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_breakpoint_get_kind (fourth), ==, KWB_BREAKPOINT_KIND_HARDWARE);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, KWB_BREAKPOINT_DEBUG_REGISTERS);

  /* The fifth is refused up front, saying what to do; GDB never gets it. */
  refused = watch (guest->session, "init_task.tgid", KWB_GDB_WATCH_WRITE, &error);
  g_assert_null (refused);
  g_assert_error (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_NO_DEBUG_REGISTER);
  g_assert_nonnull (strstr (error->message, "init_task.tgid"));
  g_assert_nonnull (strstr (error->message, "Delete or disable one"));
  g_clear_error (&error);
  refused = hbreak (guest->session, "do_exit", &error);
  g_assert_null (refused);
  g_assert_error (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_NO_DEBUG_REGISTER);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);

  /* A disabled one frees its register; enabling it again does not fit
   * once the register went to another. */
  g_assert_true (enable (guest->session, start_number, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 3);
  refused = watch (guest->session, "init_task.tgid", KWB_GDB_WATCH_ACCESS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kwb_breakpoint_get_kind (refused), ==, KWB_BREAKPOINT_KIND_WATCH_ACCESS);
  g_clear_object (&refused);
  g_assert_false (enable (guest->session, start_number, TRUE, &error));
  g_assert_error (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_NO_DEBUG_REGISTER);
  g_clear_error (&error);
  g_assert_false (kwb_breakpoint_get_enabled (start));

  /* Refused with GDB's reason: an unknown symbol, a register, and memory
   * addressed through a register (GDB would single-step the guest). The
   * last two are refused before the registers are counted. */
  g_assert_true (enable (guest->session, kwb_breakpoint_get_number (fourth), FALSE, &error));
  refused = watch (guest->session, "no_such_kernel_symbol", KWB_GDB_WATCH_WRITE, &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "No symbol \"no_such_kernel_symbol\" in current context"));
  g_clear_error (&error);
  refused = watch (guest->session, "$rax", KWB_GDB_WATCH_WRITE, &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "not in memory"));
  g_clear_error (&error);
  refused = watch (guest->session, "*(long *) $rsp", KWB_GDB_WATCH_WRITE, &error);
  g_assert_null (refused);
  g_assert_nonnull (strstr (error->message, "in software"));
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);

  /* One register is free (two are disabled): a software breakpoint in
   * the unmapped module area, written by GDB itself, fails at continue
   * and comes back as a hardware one; the continue then goes on. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "set remote software-breakpoint-packet off",
                                                         NULL, kwb_test_guest_done_cb, guest));
  {
    Answer answer = { 0 };
    g_autoptr(GAsyncResult) result = NULL;

    kwb_session_break_insert_async (guest->session, "*0xffffffffc0001000", KWB_GDB_BREAK_NONE, NULL, NULL,
                                    answer_cb, &answer);
    result = wait_answer (&answer);
    unmapped = kwb_session_break_insert_finish (guest->session, result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (kwb_breakpoint_get_kind (unmapped), ==, KWB_BREAKPOINT_KIND_BREAKPOINT);
  }
  /* GDB answers ^running, then aborts; the session retries in hardware. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  {
    guint id = g_timeout_add_seconds (240, deadline_cb, NULL);

    while (strstr (log->str, "it is now hardware breakpoint") == NULL ||
           (kwb_session_get_state (guest->session) == KWB_SESSION_STATE_STOPPED && guest->n_stops < 4))
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
  }
  g_assert_null (kwb_breakpoints_lookup (model, kwb_breakpoint_get_number (unmapped)));
  {
    g_autoptr(KwbBreakpoint) last = g_list_model_get_item (G_LIST_MODEL (model),
                                                           g_list_model_get_n_items (G_LIST_MODEL (model)) - 1);

    g_assert_cmpint (kwb_breakpoint_get_kind (last), ==, KWB_BREAKPOINT_KIND_HARDWARE);
    g_assert_cmpstr (kwb_breakpoint_get_location (last), ==, "*0xffffffffc0001000");
  }
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, KWB_BREAKPOINT_DEBUG_REGISTERS);
  /* Resumed: running, or already stopped again by a watchpoint. */
  g_assert_true (kwb_session_get_state (guest->session) == KWB_SESSION_STATE_RUNNING || guest->n_stops >= 4);

  kwb_test_guest_free (guest);
}

static gboolean
deleted (KwbBreakpoints *model,
         const char     *number)
{
  return kwb_breakpoints_lookup (model, number) == NULL;
}

/* A watchpoint on a local (do_one_initcall's message buffer, on its
 * stack) ends with its frame: GDB stops with "watchpoint-scope" and
 * deletes it, and the model follows. */
static void
test_scope (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, NULL);
  KwbBreakpoints *model;
  g_autoptr(KwbBreakpoint) local = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *status = NULL;
  const KwbGdbStop *stop;
  guint id;

  if (guest == NULL)
    {
      g_test_fail ();
      return;
    }
  model = kwb_session_get_breakpoints (guest->session);
  kwb_session_add_initial_hardware_breakpoint (guest->session, "do_one_initcall");
  KWB_TEST_GUEST_CALL (guest, kwb_session_start_async (guest->session, NULL, kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, 1);
  g_assert_cmpstr (kwb_session_get_last_stop (guest->session)->func, ==, "do_one_initcall");
  /* Only the watchpoint may stop the guest now. */
  {
    g_autoptr(KwbBreakpoint) first = g_list_model_get_item (G_LIST_MODEL (model), 0);

    g_assert_true (enable (guest->session, kwb_breakpoint_get_number (first), FALSE, &error));
    g_assert_no_error (error);
  }

  local = watch (guest->session, "msgbuf[0]", KWB_GDB_WATCH_WRITE, &error);
  g_assert_no_error (error);
  number = g_strdup (kwb_breakpoint_get_number (local));
  /* The function writes its buffer ("msgbuf[0] = 0") before it returns. */
  stop = continue_to_next_stop (guest);
  for (guint i = 0; i < 5 && g_strcmp0 (stop->reason, "watchpoint-trigger") == 0; i++)
    {
      g_assert_cmpstr (stop->watch_expression, ==, "msgbuf[0]");
      g_assert_cmpstr (stop->func, ==, "do_one_initcall");
      stop = continue_to_next_stop (guest);
    }
  g_assert_cmpstr (stop->reason, ==, "watchpoint-scope");
  g_assert_true (kwb_gdb_stop_is_watchpoint (stop));
  g_assert_cmpint (stop->watch_number, ==, (int) g_ascii_strtoll (number, NULL, 10));
  g_assert_cmpstr (kwb_session_get_last_watch_expression (guest->session), ==, "msgbuf[0]");
  status = kwb_session_dup_status_text (guest->session);
  g_assert_true (g_str_has_prefix (status, "Watchpoint on msgbuf[0] deleted: it went out of scope"));
  id = g_timeout_add_seconds (240, deadline_cb, NULL);
  while (!deleted (model, number))
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 0);

  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  g_test_add_func ("/watchpoints/fixture-kernel", test_watchpoints);
  g_test_add_func ("/watchpoints/out-of-scope", test_scope);
  return g_test_run ();
}
