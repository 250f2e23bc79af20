/* kwb-window-actions.c — the main window's win.* actions, one callback each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Installed on the class (gtk_widget_class_install_action), so the header
 * bar, the menus, the shortcuts and the tests all reach the same code by
 * the action's name. Each callback is short: it picks its arguments (a
 * line from the menu's target or the cursor) and calls the window, the
 * session or the breakpoint code. Which ones are enabled follows the
 * session's state: see _kwb_window_update_run_actions().
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-window-private.h"

/* ---- run control ---- */

static void
exec_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_exec_finish (KWB_SESSION (object), result, &error))
    _kwb_window_toast (self, error->message);
}

static void
run_exec (KwbWindow  *self,
          KwbGdbExec  what)
{
  if (self->session == NULL)
    return;
  if (kwb_gdb_exec_is_reverse (what) && kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED)
    _kwb_window_replay_going_back (self);
  kwb_session_exec_async (self->session, what, NULL, exec_cb, g_object_ref (self));
}

static void
continue_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_CONTINUE);
}

static void
interrupt_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  if (_kwb_window_replay_cancel_going_back (KWB_WINDOW (widget)))
    return;
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_INTERRUPT);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_STEP);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_NEXT);
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_FINISH);
}

/* Going backwards (a replay only: see kwb-window-replay.c). */
static void
reverse_continue_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_REVERSE_CONTINUE);
}

static void
reverse_step_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_REVERSE_STEP);
}

static void
reverse_next_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_REVERSE_NEXT);
}

static void
reverse_finish_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  run_exec (KWB_WINDOW (widget), KWB_GDB_EXEC_REVERSE_FINISH);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _kwb_window_stop_session (KWB_WINDOW (widget), FALSE);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  kwb_window_start_session (KWB_WINDOW (widget));
}

static void
restart_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);

  if (self->session == NULL)
    return;
  if (_kwb_window_session_is_live (self))
    {
      _kwb_window_stop_session (self, TRUE);
      return;
    }
  /* Ended already: started again as it was (a replay as the same replay). */
  self->restart_pending = TRUE;
  _kwb_window_session_ended (self, NULL);
}

/* ---- finding things ---- */

static void
quick_open_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  kwb_window_quick_open (KWB_WINDOW (widget));
}

static void
find_in_console_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  kwb_console_start_search (KWB_WINDOW (widget)->console);
}

static void
gdb_console_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);

  kwb_console_show_page (self->console, "gdb");
  gtk_widget_grab_focus (GTK_WIDGET (kwb_gdb_console_get_entry (kwb_console_get_gdb_console (self->console))));
}

/* ---- a line of the visible source ---- */

/* The visible file, and the line the menu was opened on (PARAMETER) or
 * else the cursor's; FALSE when no file is visible (disassembly). */
static gboolean
get_target_line (KwbWindow   *self,
                 GVariant    *parameter,
                 const char **path,
                 guint       *line)
{
  KwbSourceView *view = kwb_window_get_visible_source (self);

  *path = view ? kwb_source_view_get_path (view) : NULL;
  if (*path == NULL)
    return FALSE;
  *line = parameter ? g_variant_get_uint32 (parameter) : 0;
  if (*line == 0)
    *line = kwb_source_view_get_cursor_line (view);
  return TRUE;
}

typedef void (*LineFunc) (KwbWindow  *self,
                          const char *path,
                          guint       line);

static void
on_target_line (GtkWidget *widget,
                GVariant  *parameter,
                LineFunc   func)
{
  KwbWindow *self = KWB_WINDOW (widget);
  const char *path;
  guint line;

  if (get_target_line (self, parameter, &path, &line))
    func (self, path, line);
}

static void
toggle_breakpoint_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  on_target_line (widget, parameter, kwb_window_toggle_breakpoint);
}

static void
run_to (KwbWindow  *self,
        const char *path,
        guint       line)
{
  g_autofree char *location = NULL;

  if (self->session == NULL || kwb_session_get_state (self->session) != KWB_SESSION_STATE_STOPPED)
    {
      _kwb_window_toast (self, _("Run to a line needs a stopped guest: pause it first (Ctrl+F5)."));
      return;
    }
  location = g_strdup_printf ("%s:%u", path, line);
  kwb_session_run_to_async (self->session, location, NULL, NULL, NULL);
}

/* Both run-to-cursor (the shortcut) and run-to-line (the gutter menu). */
static void
run_to_line_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  on_target_line (widget, parameter, run_to);
}

static void
add_plain (KwbWindow  *self,
           const char *path,
           guint       line)
{
  _kwb_window_breakpoint_add (self, path, line, KWB_GDB_BREAK_NONE);
}

static void
breakpoint_add_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  on_target_line (widget, parameter, add_plain);
}

static void
add_hardware (KwbWindow  *self,
              const char *path,
              guint       line)
{
  _kwb_window_breakpoint_add (self, path, line, KWB_GDB_BREAK_HARDWARE);
}

static void
breakpoint_add_hardware_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  on_target_line (widget, parameter, add_hardware);
}

static void
enable (KwbWindow  *self,
        const char *path,
        guint       line)
{
  _kwb_window_breakpoint_set_enabled (self, path, line, TRUE);
}

static void
breakpoint_enable_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  on_target_line (widget, parameter, enable);
}

static void
disable (KwbWindow  *self,
         const char *path,
         guint       line)
{
  _kwb_window_breakpoint_set_enabled (self, path, line, FALSE);
}

static void
breakpoint_disable_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  on_target_line (widget, parameter, disable);
}

static void
breakpoint_delete_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  on_target_line (widget, parameter, _kwb_window_breakpoint_delete);
}

static void
ask_condition (KwbWindow  *self,
               const char *path,
               guint       line)
{
  if (!_kwb_window_session_is_live (self))
    _kwb_window_toast (self, _("Start a session to change breakpoints this way"));
  else
    kwb_window_ask_condition (self, path, line);
}

static void
breakpoint_condition_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  on_target_line (widget, parameter, ask_condition);
}

/* ---- memory dump ---- */

static void
dump_progress (guint64  completed,
               guint64  total,
               gpointer user_data)
{
  KwbWindow *self = user_data;
  g_autofree char *title = NULL;

  if (self->dump_toast == NULL || total == 0)
    return;
  /* TRANSLATORS: a memory dump being written: percent, MiB written, MiB in all */
  title = g_strdup_printf (_("Saving memory dump… %u%% (%u of %u MiB)"), (guint) (completed * 100 / total),
                           (guint) (completed >> 20), (guint) (total >> 20));
  adw_toast_set_title (self->dump_toast, title);
}

static void
dump_memory_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *build_id = NULL;
  g_autofree char *message = NULL;
  g_autofree char *path = g_strdup (self->dump_path);
  guint64 size = 0;

  if (self->dump_toast != NULL)
    adw_toast_dismiss (self->dump_toast);
  g_clear_object (&self->dump_toast);
  g_clear_pointer (&self->dump_path, g_free);
  _kwb_window_update_run_actions (self);
  if (!kwb_session_dump_memory_finish (KWB_SESSION (object), result, &size, &build_id, &error))
    {
      _kwb_window_toast (self, error->message);
      return;
    }
  /* TRANSLATORS: the dump's file and its size in MiB */
  message = g_strdup_printf (_("Memory dump saved: %s (%u MiB)"), path, (guint) (size >> 20));
  _kwb_window_toast (self, message);
}

/* Into the project's dumps/ folder; the toast shows how far QEMU got. */
static void
dump_memory_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);

  if (self->session == NULL || self->dump_path != NULL)
    return;
  self->dump_path = kwb_session_dup_default_dump_path (self->session);
  self->dump_toast = g_object_ref_sink (adw_toast_new (_("Saving memory dump…")));
  adw_toast_set_timeout (self->dump_toast, 0);
  /* In front at once, not queued behind a toast of the stop. */
  adw_toast_set_priority (self->dump_toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, g_object_ref (self->dump_toast));
  _kwb_window_update_run_actions (self);
  kwb_session_dump_memory_async (self->session, self->dump_path, dump_progress, self, NULL, NULL,
                                 dump_memory_cb, g_object_ref (self));
}

void
_kwb_window_class_actions_init (KwbWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.continue", NULL, continue_action);
  gtk_widget_class_install_action (widget_class, "win.interrupt", NULL, interrupt_action);
  gtk_widget_class_install_action (widget_class, "win.step", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "win.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "win.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "win.reverse-continue", NULL, reverse_continue_action);
  gtk_widget_class_install_action (widget_class, "win.reverse-step", NULL, reverse_step_action);
  gtk_widget_class_install_action (widget_class, "win.reverse-next", NULL, reverse_next_action);
  gtk_widget_class_install_action (widget_class, "win.reverse-finish", NULL, reverse_finish_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, restart_action);
  gtk_widget_class_install_action (widget_class, "win.quick-open", NULL, quick_open_action);
  gtk_widget_class_install_action (widget_class, "win.find-in-console", NULL, find_in_console_action);
  gtk_widget_class_install_action (widget_class, "win.gdb-console", NULL, gdb_console_action);
  /* Without a target: the cursor's line (shortcuts); with one ("u"): the
   * line the gutter menu was opened on. */
  gtk_widget_class_install_action (widget_class, "win.toggle-breakpoint", NULL, toggle_breakpoint_action);
  gtk_widget_class_install_action (widget_class, "win.run-to-cursor", NULL, run_to_line_action);
  gtk_widget_class_install_action (widget_class, "win.run-to-line", "u", run_to_line_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-add", "u", breakpoint_add_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-add-hardware", "u", breakpoint_add_hardware_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-enable", "u", breakpoint_enable_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-disable", "u", breakpoint_disable_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-delete", "u", breakpoint_delete_action);
  gtk_widget_class_install_action (widget_class, "win.breakpoint-condition", "u", breakpoint_condition_action);
  gtk_widget_class_install_action (widget_class, "win.watch-expression", "(ss)", _kwb_window_watch_expression_action);
  gtk_widget_class_install_action (widget_class, "win.dump-memory", NULL, dump_memory_action);
}
