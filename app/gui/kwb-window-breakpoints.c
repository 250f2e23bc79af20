/* kwb-window-breakpoints.c — the main window's breakpoints: gutter, marks, conditions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A click in a source view's gutter toggles a breakpoint; a right click
 * offers the rest (hardware, condition, enable, run to the line). While a
 * session is live every change goes to the session, which pauses a running
 * guest for it; before a session runs, the window keeps FILE:LINE itself
 * and hands the list to the next session at start, and when a session
 * ends its enabled breakpoints are kept the same way for the next one. The
 * marks in every open view follow the session's breakpoints model.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-window-private.h"

/* ---- kept before a session ---- */

static void
add_pending_breakpoint (KwbWindow  *self,
                        const char *path,
                        guint       line,
                        gboolean    add)
{
  g_autofree char *location = g_strdup_printf ("%s:%u", path, line);
  guint index;

  if (g_ptr_array_find_with_equal_func (self->pending_breakpoints, location, g_str_equal, &index))
    {
      if (!add)
        g_ptr_array_remove_index (self->pending_breakpoints, index);
    }
  else if (add)
    g_ptr_array_add (self->pending_breakpoints, g_steal_pointer (&location));
  kwb_breakpoints_page_set_n_waiting (self->breakpoints_sidebar, self->pending_breakpoints->len);
  _kwb_window_refresh_breakpoint_marks (self);
}

static KwbBreakpoint *
find_breakpoint_at (KwbWindow  *self,
                    const char *path,
                    guint       line)
{
  GListModel *model;

  if (self->session == NULL)
    return NULL;
  model = G_LIST_MODEL (kwb_session_get_breakpoints (self->session));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);
      g_autofree char *local = NULL;

      if (kwb_breakpoint_get_line (bp) != line)
        continue;
      local = kwb_session_map_source_path (self->session, kwb_breakpoint_get_fullname (bp));
      if (g_strcmp0 (local, path) == 0)
        return g_steal_pointer (&bp);
    }
  return NULL;
}

/* ---- marks ---- */

static void
add_pending_marks (KwbWindow     *self,
                   KwbSourceView *view,
                   const char    *path)
{
  for (guint j = 0; j < self->pending_breakpoints->len; j++)
    {
      const char *location = g_ptr_array_index (self->pending_breakpoints, j);
      const char *colon = strrchr (location, ':');

      if (colon != NULL && strncmp (location, path, colon - location) == 0 &&
          path[colon - location] == '\0')
        kwb_source_view_add_breakpoint_mark (view, (guint) g_ascii_strtoull (colon + 1, NULL, 10),
                                             KWB_BREAKPOINT_MARK_ENABLED);
    }
}

static void
add_session_marks (KwbWindow     *self,
                   KwbSourceView *view,
                   const char    *path,
                   GListModel    *model)
{
  for (guint j = 0; j < g_list_model_get_n_items (model); j++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, j);
      g_autofree char *local = NULL;
      KwbBreakpointMark mark;

      if (kwb_breakpoint_get_line (bp) == 0 || kwb_breakpoint_get_fullname (bp) == NULL)
        continue;
      local = kwb_session_map_source_path (self->session, kwb_breakpoint_get_fullname (bp));
      if (g_strcmp0 (local, path) != 0)
        continue;
      mark = kwb_breakpoint_get_pending (bp) ? KWB_BREAKPOINT_MARK_PENDING
           : kwb_breakpoint_get_enabled (bp) ? KWB_BREAKPOINT_MARK_ENABLED
           : KWB_BREAKPOINT_MARK_DISABLED;
      kwb_source_view_add_breakpoint_mark (view, kwb_breakpoint_get_line (bp), mark);
    }
}

void
_kwb_window_refresh_breakpoint_marks (KwbWindow *self)
{
  int n = gtk_notebook_get_n_pages (self->source_tabs);
  GListModel *model = NULL;

  if (_kwb_window_session_is_live (self))
    model = G_LIST_MODEL (kwb_session_get_breakpoints (self->session));

  for (int i = 0; i < n; i++)
    {
      KwbSourceView *view = KWB_SOURCE_VIEW (gtk_notebook_get_nth_page (self->source_tabs, i));
      const char *path = kwb_source_view_get_path (view);

      if (path == NULL)
        continue;
      kwb_source_view_clear_breakpoint_marks (view);
      if (model == NULL)
        add_pending_marks (self, view, path);
      else
        add_session_marks (self, view, path, model);
    }
}

/* ---- changes ---- */

static void
break_insert_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbBreakpoint) bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &error);

  if (bp == NULL)
    _kwb_window_toast (self, error->message);
}

static void
break_change_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_break_change_finish (KWB_SESSION (object), result, &error))
    _kwb_window_toast (self, error->message);
}

static void
insert_at (KwbWindow        *self,
           const char       *path,
           guint             line,
           KwbGdbBreakFlags  flags,
           const char       *condition)
{
  /* The absolute local path: GDB knows the tree by it (or through the
   * substitute-path the session set when it mapped the DWARF paths). */
  g_autofree char *location = g_strdup_printf ("%s:%u", path, line);

  kwb_session_break_insert_async (self->session, location, flags, condition, NULL,
                                  break_insert_cb, g_object_ref (self));
}

static void
delete_breakpoint (KwbWindow     *self,
                   KwbBreakpoint *bp)
{
  kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (bp), NULL,
                                  break_change_cb, g_object_ref (self));
}

/**
 * kwb_window_toggle_breakpoint:
 * @path: a source file
 * @line: 1-based
 *
 * A breakpoint at PATH:LINE if there is none, else none. Before a session
 * runs the window keeps it and gives it to the session at start; while
 * the guest runs, the session pauses it for the change.
 */
void
kwb_window_toggle_breakpoint (KwbWindow  *self,
                              const char *path,
                              guint       line)
{
  g_autoptr(KwbBreakpoint) bp = NULL;

  g_return_if_fail (KWB_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!_kwb_window_session_is_live (self))
    {
      g_autofree char *key = g_strdup_printf ("%s:%u", path, line);

      add_pending_breakpoint (self, path, line,
                              !g_ptr_array_find_with_equal_func (self->pending_breakpoints, key, g_str_equal, NULL));
      return;
    }
  if ((bp = find_breakpoint_at (self, path, line)) != NULL)
    delete_breakpoint (self, bp);
  else
    insert_at (self, path, line, KWB_GDB_BREAK_NONE, NULL);
}

void
_kwb_window_breakpoint_add (KwbWindow        *self,
                            const char       *path,
                            guint             line,
                            KwbGdbBreakFlags  flags)
{
  g_autoptr(KwbBreakpoint) bp = NULL;

  if (!_kwb_window_session_is_live (self))
    {
      add_pending_breakpoint (self, path, line, TRUE);
      return;
    }
  if ((flags & KWB_GDB_BREAK_HARDWARE) && (bp = find_breakpoint_at (self, path, line)) != NULL)
    {
      /* GDB cannot turn a breakpoint into a hardware one: replace it. */
      delete_breakpoint (self, bp);
      insert_at (self, path, line, flags, kwb_breakpoint_get_condition (bp));
      return;
    }
  insert_at (self, path, line, flags, NULL);
}

void
_kwb_window_breakpoint_delete (KwbWindow  *self,
                               const char *path,
                               guint       line)
{
  g_autoptr(KwbBreakpoint) bp = NULL;

  if (!_kwb_window_session_is_live (self))
    add_pending_breakpoint (self, path, line, FALSE);
  else if ((bp = find_breakpoint_at (self, path, line)) != NULL)
    delete_breakpoint (self, bp);
}

void
_kwb_window_breakpoint_set_enabled (KwbWindow  *self,
                                    const char *path,
                                    guint       line,
                                    gboolean    enabled)
{
  g_autoptr(KwbBreakpoint) bp = NULL;

  if (!_kwb_window_session_is_live (self))
    _kwb_window_toast (self, _("Start a session to change breakpoints this way"));
  else if ((bp = find_breakpoint_at (self, path, line)) != NULL)
    kwb_session_break_enable_async (self->session, kwb_breakpoint_get_number (bp), enabled,
                                    NULL, break_change_cb, g_object_ref (self));
}

/* ---- watchpoints ---- */

static void
watch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbBreakpoint) bp = kwb_session_watch_finish (KWB_SESSION (object), result, &error);

  if (bp == NULL)
    _kwb_window_toast (self, error->message);
}

/* The source view's "Stop When Written/Read" and the watch tree's menu
 * come here; the session refuses what the debug registers cannot do. */
void
_kwb_window_watch_expression_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  static const char * const kinds[] = { "write", "read", "access" };
  KwbWindow *self = KWB_WINDOW (widget);
  g_autofree char *expression = NULL;
  const char *kind;
  guint index;

  g_variant_get (parameter, "(s&s)", &expression, &kind);
  if (!g_strv_contains (kinds, kind))
    {
      g_warning ("win.watch-expression: unknown kind “%s” (write, read or access)", kind);
      return;
    }
  for (index = 0; !g_str_equal (kinds[index], kind); index++)
    ;
  if (*g_strstrip (expression) == '\0')
    return;
  if (!_kwb_window_session_is_live (self))
    {
      _kwb_window_toast (self, _("Start a session to set a watchpoint (Ctrl+R)"));
      return;
    }
  kwb_session_watch_async (self->session, expression, (KwbGdbWatchKind) index, NULL, watch_cb,
                           g_object_ref (self));
}

/* ---- the gutter ---- */

static GMenuModel *
breakpoint_menu (KwbWindow     *self,
                 KwbBreakpoint *bp,
                 guint          line)
{
  GMenu *menu = g_menu_new ();
  GMenu *section = g_menu_new ();
  g_autoptr(GMenuItem) item = NULL;

#define ADD(label, action) G_STMT_START { \
  item = g_menu_item_new (label, NULL); \
  g_menu_item_set_action_and_target_value (item, action, g_variant_new_uint32 (line)); \
  g_menu_append_item (section, item); \
  g_clear_object (&item); } G_STMT_END

  if (bp == NULL)
    {
      ADD (_("_Add Breakpoint"), "win.breakpoint-add");
      ADD (_("Add _Hardware Breakpoint"), "win.breakpoint-add-hardware");
      ADD (_("Add _Conditional Breakpoint…"), "win.breakpoint-condition");
    }
  else
    {
      if (kwb_breakpoint_get_enabled (bp))
        ADD (_("_Disable"), "win.breakpoint-disable");
      else
        ADD (_("_Enable"), "win.breakpoint-enable");
      ADD (_("_Condition…"), "win.breakpoint-condition");
      if (!kwb_breakpoint_get_hardware (bp))
        ADD (_("Make It a _Hardware Breakpoint"), "win.breakpoint-add-hardware");
      ADD (_("De_lete"), "win.breakpoint-delete");
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
  section = g_menu_new ();
  ADD (_("_Run to This Line"), "win.run-to-line");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  g_object_unref (section);
#undef ADD
  return G_MENU_MODEL (menu);
}

static void
on_view_line_activated (KwbSourceView *view,
                        guint          line,
                        guint          button,
                        KwbWindow     *self)
{
  const char *path = kwb_source_view_get_path (view);

  if (path == NULL)
    return; /* disassembly: no file:line to break at */
  if (button == GDK_BUTTON_SECONDARY)
    {
      g_autoptr(KwbBreakpoint) bp = find_breakpoint_at (self, path, line);
      g_autoptr(GMenuModel) menu = breakpoint_menu (self, bp, line);

      kwb_source_view_popup_menu (view, line, menu);
      return;
    }
  kwb_window_toggle_breakpoint (self, path, line);
}

void
_kwb_window_watch_view (KwbWindow     *self,
                        KwbSourceView *view)
{
  g_signal_connect_object (view, "line-activated", G_CALLBACK (on_view_line_activated), self, 0);
}

/* ---- conditions ---- */

typedef struct {
  KwbWindow *self;
  char      *path;
  guint      line;
  GtkEntry  *entry;
} ConditionData;

static void
condition_data_free (ConditionData *data)
{
  g_object_unref (data->self);
  g_free (data->path);
  g_free (data);
}

static void
on_condition_response (AdwMessageDialog *dialog,
                       const char       *response,
                       ConditionData    *data)
{
  KwbWindow *self = data->self;
  g_autoptr(KwbBreakpoint) bp = NULL;
  const char *condition;

  if (!g_str_equal (response, "set") || !_kwb_window_session_is_live (self))
    return;
  condition = gtk_editable_get_text (GTK_EDITABLE (data->entry));
  /* A new breakpoint with the condition replaces the old one: the session's
   * insert works in every state, a bare condition change would not. */
  if ((bp = find_breakpoint_at (self, data->path, data->line)) != NULL)
    delete_breakpoint (self, bp);
  insert_at (self, data->path, data->line,
             bp && kwb_breakpoint_get_hardware (bp) ? KWB_GDB_BREAK_HARDWARE : KWB_GDB_BREAK_NONE,
             *condition ? condition : NULL);
}

void
kwb_window_ask_condition (KwbWindow  *self,
                          const char *path,
                          guint       line)
{
  g_autoptr(KwbBreakpoint) bp = find_breakpoint_at (self, path, line);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *heading = g_strdup_printf (_("Condition for %s:%u"), base, line);
  GtkWidget *dialog;
  GtkWidget *entry;
  ConditionData *data;

  if (!_kwb_window_session_is_live (self))
    {
      _kwb_window_toast (self, _("Start a session to set a condition"));
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("Stop only when this C expression is true, e.g. “pid == 1”. Empty: always."));
  entry = gtk_entry_new ();
  gtk_widget_add_css_class (entry, "monospace");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  if (bp != NULL && kwb_breakpoint_get_condition (bp) != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), kwb_breakpoint_get_condition (bp));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"), "set", _("_Set Condition"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "set", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "set");
  data = g_new0 (ConditionData, 1);
  data->self = g_object_ref (self);
  data->path = g_strdup (path);
  data->line = line;
  data->entry = GTK_ENTRY (entry);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_condition_response), data,
                         (GClosureNotify) condition_data_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- the session's breakpoints ---- */

static void
on_breakpoint_item_notify (KwbWindow *self)
{
  _kwb_window_refresh_breakpoint_marks (self);
}

static void
on_breakpoints_items_changed (GListModel *model,
                              guint       position,
                              guint       removed,
                              guint       added,
                              KwbWindow  *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);

      g_signal_connect_object (bp, "notify", G_CALLBACK (on_breakpoint_item_notify), self, G_CONNECT_SWAPPED);
    }
  _kwb_window_refresh_breakpoint_marks (self);
}

/* Where the user's breakpoints of an ended session were, for the next one. */
static void
carry_breakpoints (KwbWindow *self)
{
  GListModel *model = G_LIST_MODEL (kwb_session_get_breakpoints (self->session));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);
      g_autofree char *local = kwb_session_map_source_path (self->session, kwb_breakpoint_get_fullname (bp));

      if (local != NULL && kwb_breakpoint_get_line (bp) > 0 && kwb_breakpoint_get_enabled (bp))
        add_pending_breakpoint (self, local, kwb_breakpoint_get_line (bp), TRUE);
    }
}

/**
 * _kwb_window_breakpoints_set_session:
 * @session: (nullable): the window's new session, not started yet; NULL
 *   when the window's current session is let go
 *
 * The kept breakpoints go to a new session as its initial ones; a session
 * let go leaves its breakpoints behind as kept ones.
 */
void
_kwb_window_breakpoints_set_session (KwbWindow  *self,
                                     KwbSession *session)
{
  if (session == NULL)
    {
      if (self->session == NULL)
        return;
      carry_breakpoints (self);
      g_signal_handlers_disconnect_by_data (kwb_session_get_breakpoints (self->session), self);
      kwb_breakpoints_page_set_session (self->breakpoints_sidebar, NULL);
      return;
    }

  for (guint i = 0; i < self->pending_breakpoints->len; i++)
    kwb_session_add_initial_breakpoint (session, g_ptr_array_index (self->pending_breakpoints, i));
  g_ptr_array_set_size (self->pending_breakpoints, 0);
  kwb_breakpoints_page_set_n_waiting (self->breakpoints_sidebar, 0);
  g_signal_connect_object (kwb_session_get_breakpoints (session), "items-changed",
                           G_CALLBACK (on_breakpoints_items_changed), self, 0);
  kwb_breakpoints_page_set_session (self->breakpoints_sidebar, session);
}

void
_kwb_window_breakpoints_init (KwbWindow *self)
{
  self->pending_breakpoints = g_ptr_array_new_with_free_func (g_free);
}
