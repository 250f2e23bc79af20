/* kwb-session-hardware.c — watchpoints and hardware breakpoints: the debug registers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of KwbSession (see kwb-session-private.h), on a guest the session has
 * halted.
 *
 * Watchpoints. GDB's -break-watch accepts more than a kernel can live with, and
 * says so too late or not at all:
 * - it watches what the debug registers cannot hold in software, by
 *   single-stepping every instruction of the guest: a kernel under TCG never
 *   gets anywhere; such a watchpoint is refused;
 * - it counts no debug registers for a remote target, so a fifth hardware
 *   breakpoint or watchpoint fails only at the next continue ("Could not
 *   insert hardware breakpoints") under KVM, and on real x86 machines.
 * So the expression's size and address are asked first (a bad expression
 * fails there with GDB's reason), the registers it needs are counted like
 * GDB splits it (1, 2, 4 or 8 aligned bytes each), and only then is it set.
 * -break-watch answers with the number alone: -break-info gives the rest.
 *
 * Software breakpoints that cannot be written. Under TCG QEMU's stub keeps
 * software breakpoints itself and never touches guest memory (one at an
 * unmapped address is accepted). Under KVM it writes an int3 into the
 * guest, which fails where nothing is mapped yet (early boot, freed init
 * code); GDB then refuses to continue with "Cannot insert breakpoint N."
 * for each. Those become hardware breakpoints at the same location (while
 * debug registers are free) and the continue is tried once more.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-session-private.h"

typedef struct {
  char            *expression;
  KwbGdbWatchKind  kind;
  guint64          size;
  guint            slots;
  char            *number;
  GError          *refusal;  /* a software watchpoint being deleted again */
} Watch;

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_free (watch->expression);
  g_free (watch->number);
  g_clear_error (&watch->refusal);
  g_free (watch);
}

gboolean
kwb_session_check_hardware_slots (KwbSession  *self,
                                  guint        needed,
                                  const char  *what,
                                  GError     **error)
{
  guint used = kwb_breakpoints_get_hardware_slots_used (kwb_session_get_breakpoints (self));

  if (used + needed <= KWB_BREAKPOINT_DEBUG_REGISTERS)
    return TRUE;
  g_set_error (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_NO_DEBUG_REGISTER,
               g_dngettext (GETTEXT_PACKAGE,
                            "Cannot set %s: it needs %u debug register and %u of the %u are taken by other "
                            "hardware breakpoints and watchpoints. Delete or disable one of them first.",
                            "Cannot set %s: it needs %u debug registers and %u of the %u are taken by other "
                            "hardware breakpoints and watchpoints. Delete or disable one of them first.",
                            needed),
               what, needed, used, KWB_BREAKPOINT_DEBUG_REGISTERS);
  return FALSE;
}

static char *
describe (Watch *watch)
{
  switch (watch->kind)
    {
    case KWB_GDB_WATCH_READ:
      return g_strdup_printf (_("a read watchpoint on “%s”"), watch->expression);
    case KWB_GDB_WATCH_ACCESS:
      return g_strdup_printf (_("an access watchpoint on “%s”"), watch->expression);
    case KWB_GDB_WATCH_WRITE:
    default:
      return g_strdup_printf (_("a watchpoint on “%s”"), watch->expression);
    }
}

static void
deleted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);

  if (record != NULL)
    kwb_breakpoints_remove (kwb_session_get_breakpoints (g_task_get_source_object (task)), watch->number);
  g_task_return_error (task, g_steal_pointer (&watch->refusal));
}

static void
info_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  const KwbMiValue *bkpt;
  KwbBreakpoint *bp = NULL;
  GError *error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  bkpt = kwb_mi_record_get (record, "BreakpointTable.body.0");
  if (bkpt != NULL)
    bp = kwb_breakpoints_update (kwb_session_get_breakpoints (self), bkpt);
  if (bp == NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("GDB did not report the new watchpoint"));
      return;
    }
  if (kwb_breakpoint_get_kind (bp) == KWB_BREAKPOINT_KIND_WATCH_SOFTWARE)
    {
      g_autofree char *what = describe (watch);

      watch->refusal = g_error_new (KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                                    _("Cannot set %s: GDB could only watch it in software, stepping the guest "
                                      "one instruction at a time, which a kernel does not survive. Watch a "
                                      "variable, a member or *POINTER instead."), what);
      kwb_gdb_break_delete_async (KWB_GDB (object), watch->number, NULL, deleted_cb, g_steal_pointer (&task));
      return;
    }
  kwb_breakpoint_set_hardware_slots (bp, watch->slots);
  g_task_return_pointer (task, g_object_ref (bp), g_object_unref);
}

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  const char *number = NULL;
  GError *error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      g_autofree char *what = describe (watch);

      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("Cannot set %s: %s"), what, error->message);
      g_error_free (error);
      return;
    }
  /* The tuple is named after the kind: wpt, hw-rwpt or hw-awpt. */
  if (kwb_mi_value_get_n_children (kwb_mi_record_get_results (record)) > 0)
    number = kwb_mi_value_get_string (kwb_mi_value_get_nth (kwb_mi_record_get_results (record), 0), "number");
  if (number == NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("GDB did not report the new watchpoint"));
      return;
    }
  watch->number = g_strdup (number);
  kwb_gdb_break_info_async (KWB_GDB (object), number, NULL, info_cb, g_steal_pointer (&task));
}

static gboolean
parse_number (const char *text,
              guint64    *out)
{
  g_autoptr(GError) error = NULL;

  /* `print` of an unsigned long: decimal digits, nothing else. */
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, &error);
}

static void
address_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  Watch *watch = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  g_autofree char *what = describe (watch);
  guint64 address = 0;
  GError *error = NULL;

  text = kwb_gdb_evaluate_finish (KWB_GDB (object), result, &error);
  if (text == NULL || !parse_number (text, &address))
    {
      /* "Attempt to take address of value not located in memory." ($rax,
       * a + b): the debug registers watch memory only. */
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("Cannot set %s: it is not in memory (%s). The debug registers watch "
                                 "memory: a variable, a member or *POINTER."),
                               what, error ? error->message : text);
      g_clear_error (&error);
      return;
    }
  watch->slots = kwb_breakpoint_count_debug_registers (address, watch->size);
  if (!kwb_session_check_hardware_slots (self, watch->slots, what, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  kwb_gdb_break_watch_async (KWB_GDB (object), watch->expression, watch->kind, NULL, watch_cb,
                             g_steal_pointer (&task));
}

static void
size_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Watch *watch = g_task_get_task_data (task);
  g_autofree char *text = NULL;
  g_autofree char *address = NULL;
  GError *error = NULL;

  text = kwb_gdb_evaluate_finish (KWB_GDB (object), result, &error);
  if (text == NULL || !parse_number (text, &watch->size))
    {
      g_autofree char *what = describe (watch);

      /* GDB's own words: "No symbol "x" in current context." */
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("Cannot set %s: %s"), what, error ? error->message : text);
      g_clear_error (&error);
      return;
    }
  address = g_strdup_printf ("(unsigned long) &(%s)", watch->expression);
  kwb_gdb_evaluate_async (KWB_GDB (object), address, NULL, address_cb, g_steal_pointer (&task));
}

/* The guest must be halted (an op of the session's queue, or the start
 * sequence before the first continue). Not cancellable: the breakpoint
 * model must follow what GDB has. */
void
kwb_session_insert_watch_async (KwbSession          *self,
                                const char          *expression,
                                KwbGdbWatchKind      kind,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *size = NULL;
  Watch *watch;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (expression != NULL);

  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kwb_session_insert_watch_async);
  watch = g_new0 (Watch, 1);
  watch->expression = g_strdup (expression);
  watch->kind = kind;
  g_task_set_task_data (task, watch, watch_free);

  size = g_strdup_printf ("sizeof (%s)", expression);
  kwb_gdb_evaluate_async (kwb_session_get_gdb (self), size, NULL, size_cb, g_steal_pointer (&task));
}

KwbBreakpoint *
kwb_session_insert_watch_finish (KwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- software breakpoints the guest's memory refuses ---- */

/**
 * kwb_session_dup_uninsertable:
 * @message: GDB's error for a resume
 *
 * The numbers of the breakpoints GDB could not write into the guest, from
 * its "Cannot insert breakpoint N." lines; NULL when there are none.
 */
GStrv
kwb_session_dup_uninsertable (const char *message)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GRegex) regex = g_regex_new ("^Cannot insert breakpoint (\\d+)\\.$", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  gboolean any = FALSE;

  if (message == NULL)
    return NULL;
  g_regex_match (regex, message, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);

      g_strv_builder_add (builder, number);
      any = TRUE;
    }
  return any ? g_strv_builder_end (builder) : NULL;
}

typedef struct {
  GStrv     numbers;
  guint     next;
  char     *location;
  char     *condition;
  KwbGdbExec what;
  char     *message;   /* GDB's, returned if nothing helps */
  guint     replaced;
} Fallback;

static void
fallback_free (gpointer data)
{
  Fallback *fallback = data;

  g_strfreev (fallback->numbers);
  g_free (fallback->location);
  g_free (fallback->condition);
  g_free (fallback->message);
  g_free (fallback);
}

static void fallback_next (GTask *task);

static void
retried_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  GError *error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
hardware_inserted_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  Fallback *fallback = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record != NULL && kwb_mi_record_get (record, "bkpt") != NULL)
    {
      KwbBreakpoint *bp = kwb_breakpoints_update (kwb_session_get_breakpoints (self),
                                                  kwb_mi_record_get (record, "bkpt"));

      g_autofree char *message = NULL;

      fallback->replaced++;
      message = g_strdup_printf (_("The breakpoint at %s could not be written into the guest’s memory (not "
                                   "mapped yet, or freed); it is now hardware breakpoint %s"),
                                 fallback->location, bp ? kwb_breakpoint_get_number (bp) : "?");
      kwb_session_log_message (self, message);
    }
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("The breakpoint at %s could not be written into the guest’s memory, nor set "
                           "as a hardware breakpoint: %s"), fallback->location, error ? error->message : "?");

      kwb_session_log_message (self, message);
    }
  fallback_next (g_steal_pointer (&task));
}

static void
software_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  Fallback *fallback = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  if (record != NULL)
    kwb_breakpoints_remove (kwb_session_get_breakpoints (self), fallback->numbers[fallback->next - 1]);
  kwb_gdb_break_insert_async (KWB_GDB (object), fallback->location, KWB_GDB_BREAK_HARDWARE,
                              fallback->condition, NULL, hardware_inserted_cb, g_steal_pointer (&task));
}

static void
fallback_next (GTask *task)
{
  KwbSession *self = g_task_get_source_object (task);
  Fallback *fallback = g_task_get_task_data (task);
  KwbGdb *gdb = kwb_session_get_gdb (self);

  while (fallback->numbers[fallback->next] != NULL)
    {
      const char *number = fallback->numbers[fallback->next++];
      KwbBreakpoint *bp = kwb_breakpoints_lookup (kwb_session_get_breakpoints (self), number);
      g_autofree char *what = NULL;
      g_autoptr(GError) error = NULL;

      if (bp == NULL || kwb_breakpoint_get_kind (bp) != KWB_BREAKPOINT_KIND_BREAKPOINT ||
          kwb_breakpoint_get_location (bp) == NULL)
        continue;
      what = g_strdup_printf (_("a hardware breakpoint at %s"), kwb_breakpoint_get_location (bp));
      if (!kwb_session_check_hardware_slots (self, 1, what, &error))
        {
          kwb_session_log_message (self, error->message);
          continue;
        }
      g_free (fallback->location);
      g_free (fallback->condition);
      fallback->location = g_strdup (kwb_breakpoint_get_location (bp));
      fallback->condition = g_strdup (kwb_breakpoint_get_condition (bp));
      kwb_gdb_break_delete_async (gdb, number, NULL, software_deleted_cb, task);
      return;
    }
  if (fallback->replaced == 0)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED, "%s", fallback->message);
      g_object_unref (task);
      return;
    }
  kwb_gdb_exec_async (gdb, fallback->what, NULL, retried_cb, task);
}

/**
 * kwb_session_retry_with_hardware_async:
 * @message: GDB's reasons for aborting a resume with WHAT (see KwbGdb::resume-failed)
 *
 * Returns: FALSE, and CALLBACK is not called, when MESSAGE is not about
 * software breakpoints GDB could not write; else the breakpoints are set
 * again in hardware and the resume is tried once more.
 */
gboolean
kwb_session_retry_with_hardware_async (KwbSession          *self,
                                       KwbGdbExec           what,
                                       const char          *message,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  GStrv numbers = kwb_session_dup_uninsertable (message);
  Fallback *fallback;
  GTask *task;

  if (numbers == NULL)
    return FALSE;
  task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (task, kwb_session_retry_with_hardware_async);
  fallback = g_new0 (Fallback, 1);
  fallback->numbers = numbers;
  fallback->what = what;
  fallback->message = g_strdup (message);
  g_task_set_task_data (task, fallback, fallback_free);
  fallback_next (task);
  return TRUE;
}

gboolean
kwb_session_retry_with_hardware_finish (KwbSession    *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
