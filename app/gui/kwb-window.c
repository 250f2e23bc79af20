/* kwb-window.c — the main window: run controls, sidebar, source, console, status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The layout is the permanent one; its panes show empty states until the
 * session, breakpoint, module, source and console issues fill them. The run
 * controls are window actions, disabled until a session exists: for now that
 * is the session-active property, which KwbSession will drive.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-window.h"
#include "kwb-modules-page.h"
#include "kwb-source-status.h"
#include "kwb-stale-banner.h"
#include "kwb-welcome.h"

struct _KwbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KwbProject           *project;
  gboolean              session_active;

  KwbSession           *session;
  KwbModules           *modules;
  KwbModulesPage       *modules_sidebar;
  KwbSourceView        *current_view;   /* weak: the tab with the stop mark */
  KwbSourceView        *disassembly;    /* weak */
  GPtrArray            *pending_breakpoints; /* FILE:LINE set before a session */
  guint                 stop_generation;
  gboolean              restart_pending;
  char                 *last_toast;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *source_area;
  GtkNotebook          *source_tabs;
  KwbConsole           *console;
  GtkWidget            *console_status;
  KwbFramesPanel       *frames_panel;
  GtkPaned             *source_paned;
  KwbBreakpointsPage   *breakpoints_sidebar;
  AdwWindowTitle       *window_title;
  GtkPaned             *main_paned;
  AdwViewStack         *sidebar_stack;
  AdwStatusPage        *source_status;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (KwbWindow, kwb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SESSION_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOCATION_SHOWN,
  N_WINDOW_SIGNALS
};

static guint window_signals[N_WINDOW_SIGNALS];

static const char * const run_actions[] = {
  "win.continue", "win.interrupt", "win.step", "win.next", "win.finish", "win.stop",
};

KwbWindow *
kwb_window_new (KwbApplication *application)
{
  return g_object_new (KWB_TYPE_WINDOW, "application", application, NULL);
}

static void
kwb_window_update_run_actions (KwbWindow *self)
{
  KwbSessionState state;
  gboolean live;
  g_autofree char *status = NULL;

  if (self->session == NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
        gtk_widget_action_set_enabled (GTK_WIDGET (self), run_actions[i], self->session_active);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", self->project != NULL && !self->session_active);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", FALSE);
      gtk_label_set_label (self->status_label,
                           self->session_active ? _("Session running") : _("No session"));
      return;
    }

  /* Each control only when GDB would accept it. */
  state = kwb_session_get_state (self->session);
  live = state == KWB_SESSION_STATE_STARTING || state == KWB_SESSION_STATE_RUNNING ||
         state == KWB_SESSION_STATE_STOPPED;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.continue", state == KWB_SESSION_STATE_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.step", state == KWB_SESSION_STATE_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.next", state == KWB_SESSION_STATE_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.finish", state == KWB_SESSION_STATE_STOPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.interrupt", state == KWB_SESSION_STATE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !live && self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", self->project != NULL);

  status = kwb_session_dup_status_text (self->session);
  gtk_label_set_label (self->status_label, status);
  if (live != self->session_active)
    {
      self->session_active = live;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ACTIVE]);
    }
}

static void
kwb_window_show_empty_source (KwbWindow *self)
{
  if (self->project == NULL)
    {
      adw_status_page_set_icon_name (self->source_status, "folder-open-symbolic");
      adw_status_page_set_title (self->source_status, _("No Project Open"));
      adw_status_page_set_description (self->source_status,
        /* Translators: markup; keep the commands as they are. */
        _("Open a project folder: <tt>kernel-workbench PROJECT_DIR</tt>\n"
          "No project yet? Create one: <tt>kwb init PROJECT_DIR</tt>"));
    }
  else
    {
      adw_status_page_set_icon_name (self->source_status, "text-x-generic-symbolic");
      adw_status_page_set_title (self->source_status, _("No Source Open"));
      adw_status_page_set_description (self->source_status,
        _("When the kernel stops in a session, the line it stopped at opens here."));
    }
}

static char *
contract_home (const char *path)
{
  const char *home = g_get_home_dir ();
  gsize len = strlen (home);

  if (len > 1 && g_str_has_prefix (path, home) && (path[len] == '/' || path[len] == '\0'))
    return g_strconcat ("~", path + len, NULL);
  return g_strdup (path);
}

static void
kwb_window_set_project (KwbWindow  *self,
                        KwbProject *project)
{
  if (!g_set_object (&self->project, project))
    return;

  if (project != NULL)
    {
      g_autofree char *name = kwb_project_dup_name (project);
      g_autofree char *where = contract_home (kwb_project_get_directory (project));

      gtk_window_set_title (GTK_WINDOW (self), name);
      adw_window_title_set_title (self->window_title, name);
      adw_window_title_set_subtitle (self->window_title, where);
    }
  else
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Kernel Workbench"));
      adw_window_title_set_title (self->window_title, _("Kernel Workbench"));
      adw_window_title_set_subtitle (self->window_title, NULL);
    }

  kwb_window_show_empty_source (self);
  kwb_window_update_run_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

/**
 * kwb_window_open_project:
 * @directory: a project folder (holding kernel-workbench.ini)
 *
 * Loads the project and shows it. On failure the window keeps no project and
 * shows the error, which says what to do, in its source area.
 */
gboolean
kwb_window_open_project (KwbWindow   *self,
                         const char  *directory,
                         GError     **error)
{
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (directory != NULL, FALSE);

  project = kwb_project_load (directory, &local_error);
  if (project == NULL)
    {
      g_debug ("Cannot open project %s: %s", directory, local_error->message);
      kwb_window_show_project_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  kwb_window_set_project (self, project);
  return TRUE;
}

void
kwb_window_show_project_error (KwbWindow    *self,
                               const GError *error)
{
  g_autofree char *markup = NULL;

  g_return_if_fail (KWB_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* The description is markup; paths may hold “&” or “<”. */
  markup = g_markup_escape_text (error->message, -1);
  kwb_window_set_project (self, NULL);
  adw_status_page_set_icon_name (self->source_status, "dialog-error-symbolic");
  adw_status_page_set_title (self->source_status, _("Could Not Open the Project"));
  adw_status_page_set_description (self->source_status, markup);
}

KwbProject *
kwb_window_get_project (KwbWindow *self)
{
  g_return_val_if_fail (KWB_IS_WINDOW (self), NULL);
  return self->project;
}

gboolean
kwb_window_has_project (KwbWindow *self)
{
  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);
  return self->project != NULL;
}

gboolean
kwb_window_get_session_active (KwbWindow *self)
{
  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);
  return self->session_active;
}

/**
 * kwb_window_set_session_active:
 *
 * Enables the run controls. Until KwbSession exists this is the whole
 * session: the session issue binds it to the session's state.
 */
void
kwb_window_set_session_active (KwbWindow *self,
                               gboolean   session_active)
{
  g_return_if_fail (KWB_IS_WINDOW (self));

  session_active = !!session_active;
  if (self->session_active == session_active)
    return;

  self->session_active = session_active;
  kwb_window_update_run_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION_ACTIVE]);
}


/* ==== the debug session: sources, breakpoints, run control ==== */

static void kwb_window_refresh_breakpoint_marks (KwbWindow *self);

static void
kwb_window_toast (KwbWindow  *self,
                  const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
}

static gboolean
session_is_live (KwbWindow *self)
{
  KwbSessionState state;

  if (self->session == NULL)
    return FALSE;
  state = kwb_session_get_state (self->session);
  return state == KWB_SESSION_STATE_STARTING || state == KWB_SESSION_STATE_RUNNING ||
         state == KWB_SESSION_STATE_STOPPED;
}

/* ---- source tabs ---- */

static KwbSourceView *
find_view (KwbWindow  *self,
           const char *path)
{
  int n = gtk_notebook_get_n_pages (self->source_tabs);

  for (int i = 0; i < n; i++)
    {
      KwbSourceView *view = KWB_SOURCE_VIEW (gtk_notebook_get_nth_page (self->source_tabs, i));

      if (g_strcmp0 (kwb_source_view_get_path (view), path) == 0)
        return view;
    }
  return NULL;
}

static void
on_view_line_activated (KwbSourceView *view,
                        guint          line,
                        guint          button,
                        KwbWindow     *self);

static void
on_tab_close_clicked (GtkButton *button,
                      KwbWindow *self)
{
  GtkWidget *view = g_object_get_data (G_OBJECT (button), "kwb-view");
  int page = gtk_notebook_page_num (self->source_tabs, view);

  if (page >= 0)
    gtk_notebook_remove_page (self->source_tabs, page);
  if (gtk_notebook_get_n_pages (self->source_tabs) == 0)
    {
      /* GtkNotebook 4.8 measures an empty tab row as negative. */
      gtk_notebook_set_show_tabs (self->source_tabs, FALSE);
      gtk_stack_set_visible_child_name (self->source_area, "empty");
    }
}

/* A GtkNotebook, not AdwTabView: libadwaita 1.2's tab bar re-queues its
 * allocation while being allocated, which GTK 4.8 warns about. */
static void
add_view (KwbWindow     *self,
          KwbSourceView *view,
          const char    *tooltip)
{
  GtkWidget *tab = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *label = gtk_label_new (kwb_source_view_get_title (view));
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Close"));
  gtk_widget_set_tooltip_text (tab, tooltip);
  g_object_set_data (G_OBJECT (close), "kwb-view", view);
  g_signal_connect_object (close, "clicked", G_CALLBACK (on_tab_close_clicked), self, 0);
  gtk_box_append (GTK_BOX (tab), label);
  gtk_box_append (GTK_BOX (tab), close);
  gtk_notebook_append_page (self->source_tabs, GTK_WIDGET (view), tab);
  gtk_notebook_set_show_tabs (self->source_tabs, TRUE);
  gtk_notebook_set_tab_reorderable (self->source_tabs, GTK_WIDGET (view), TRUE);
  g_signal_connect_object (view, "line-activated", G_CALLBACK (on_view_line_activated), self, 0);
  gtk_stack_set_visible_child_name (self->source_area, "sources");
}

/**
 * kwb_window_open_source:
 * @path: a local file
 *
 * The file's tab, opened if needed, made the visible one.
 * Returns: (transfer none) (nullable): its view; NULL with a toast when the
 * file cannot be read.
 */
KwbSourceView *
kwb_window_open_source (KwbWindow  *self,
                        const char *path)
{
  KwbSourceView *view;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KWB_IS_WINDOW (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  if ((view = find_view (self, path)) == NULL)
    {
      g_autofree char *where = contract_home (path);

      if ((view = kwb_source_view_new_for_file (path, &error)) == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Cannot show %s: %s"), where, error->message);

          kwb_window_toast (self, message);
          return NULL;
        }
      add_view (self, view, where);
      kwb_window_refresh_breakpoint_marks (self);
    }
  gtk_notebook_set_current_page (self->source_tabs, gtk_notebook_page_num (self->source_tabs, GTK_WIDGET (view)));
  return view;
}

/* Closes every source tab, as their close buttons would. */
void
kwb_window_close_sources (KwbWindow *self)
{
  g_return_if_fail (KWB_IS_WINDOW (self));

  while (gtk_notebook_get_n_pages (self->source_tabs) > 0)
    gtk_notebook_remove_page (self->source_tabs, -1);
  gtk_notebook_set_show_tabs (self->source_tabs, FALSE);
  gtk_stack_set_visible_child_name (self->source_area, "empty");
}

KwbSourceView *
kwb_window_get_visible_source (KwbWindow *self)
{
  int page;

  g_return_val_if_fail (KWB_IS_WINDOW (self), NULL);

  page = gtk_notebook_get_current_page (self->source_tabs);
  return page >= 0 ? KWB_SOURCE_VIEW (gtk_notebook_get_nth_page (self->source_tabs, page)) : NULL;
}

static void
set_current_view (KwbWindow     *self,
                  KwbSourceView *view,
                  guint          line)
{
  if (self->current_view != NULL && self->current_view != view)
    kwb_source_view_set_current_line (self->current_view, 0);
  g_set_weak_pointer (&self->current_view, view);
  if (view != NULL)
    kwb_source_view_set_current_line (view, line);
}

/* Shows PATH:LINE; CURRENT marks it as where the guest is stopped. */
static gboolean
show_location (KwbWindow  *self,
               const char *path,
               guint       line,
               gboolean    current)
{
  KwbSourceView *view = kwb_window_open_source (self, path);

  if (view == NULL)
    return FALSE;
  if (current)
    set_current_view (self, view, line);
  else
    kwb_source_view_scroll_to_line (view, line);
  return TRUE;
}

typedef struct {
  KwbWindow *self;
  guint64    addr;
  guint      generation;
  gboolean   whole_function;
} DisassembleData;

static void disassemble (KwbWindow *self, guint64 addr, gboolean whole_function);

static void
disassemble_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DisassembleData *data = user_data;
  g_autoptr(KwbWindow) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);
  const KwbMiValue *insns;
  guint current = 0;
  guint64 addr = data->addr;
  gboolean whole = data->whole_function;

  if (data->generation != self->stop_generation)
    {
      g_free (data);
      return;
    }
  g_free (data);
  if (record == NULL)
    {
      /* -a needs a function around the address; outside one, a range. */
      if (whole)
        disassemble (self, addr, FALSE);
      else
        kwb_window_toast (self, error->message);
      return;
    }
  insns = kwb_mi_record_get (record, "asm_insns");
  for (guint i = 0; insns != NULL && i < kwb_mi_value_get_n_children (insns); i++)
    {
      const KwbMiValue *insn = kwb_mi_value_get_nth (insns, i);
      guint64 a = 0;
      const char *func = kwb_mi_value_get_string (insn, "func-name");

      kwb_mi_value_get_uint64 (insn, "address", &a);
      if (a == addr)
        current = i + 1;
      g_string_append_printf (text, "0x%016" G_GINT64_MODIFIER "x <%s+%s>\t%s\n", a,
                              func ? func : "??", kwb_mi_value_get_string (insn, "offset") ?: "0",
                              kwb_mi_value_get_string (insn, "inst") ?: "");
    }
  if (text->len == 0)
    {
      g_autofree char *where = g_strdup_printf ("0x%016" G_GINT64_MODIFIER "x", addr);

      g_string_append_printf (text, _("No instructions at %s\n"), where);
    }

  if (self->disassembly == NULL)
    {
      g_set_weak_pointer (&self->disassembly, kwb_source_view_new_for_text (_("Disassembly"), text->str));
      add_view (self, self->disassembly, _("No source for this code: its machine instructions"));
    }
  else
    kwb_source_view_set_text (self->disassembly, text->str);
  gtk_notebook_set_current_page (self->source_tabs,
                                 gtk_notebook_page_num (self->source_tabs, GTK_WIDGET (self->disassembly)));
  set_current_view (self, self->disassembly, current ? current : 1);
}

static void
disassemble (KwbWindow *self,
             guint64    addr,
             gboolean   whole_function)
{
  DisassembleData *data;
  KwbGdb *gdb;

  if (self->session == NULL || (gdb = kwb_session_get_gdb (self->session)) == NULL)
    return;
  data = g_new0 (DisassembleData, 1);
  data->self = g_object_ref (self);
  data->addr = addr;
  data->generation = self->stop_generation;
  data->whole_function = whole_function;
  if (whole_function)
    kwb_gdb_command_async (gdb, NULL, disassemble_cb, data,
                           "-data-disassemble -a 0x%" G_GINT64_MODIFIER "x -- 0", addr);
  else
    kwb_gdb_command_async (gdb, NULL, disassemble_cb, data,
                           "-data-disassemble -s 0x%" G_GINT64_MODIFIER "x -e 0x%" G_GINT64_MODIFIER "x -- 0",
                           addr, addr + 256);
}

/* A stop or a selected frame: its source line, or its disassembly. */
static void
show_code (KwbWindow  *self,
           const char *fullname,
           const char *file,
           guint       line,
           guint64     addr)
{
  g_autofree char *local = NULL;

  self->stop_generation++;
  if (self->session != NULL)
    local = kwb_session_map_source_path (self->session, fullname ? fullname : file);
  if (local != NULL && line > 0 && show_location (self, local, line, TRUE))
    return;
  disassemble (self, addr, TRUE);
}

/* ---- breakpoints ---- */

/* The breakpoints the user set before a session ran, as FILE:LINE. */
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
  kwb_window_refresh_breakpoint_marks (self);
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

static void
kwb_window_refresh_breakpoint_marks (KwbWindow *self)
{
  int n = gtk_notebook_get_n_pages (self->source_tabs);
  GListModel *model = NULL;

  if (session_is_live (self))
    model = G_LIST_MODEL (kwb_session_get_breakpoints (self->session));

  for (int i = 0; i < n; i++)
    {
      KwbSourceView *view = KWB_SOURCE_VIEW (gtk_notebook_get_nth_page (self->source_tabs, i));
      const char *path = kwb_source_view_get_path (view);

      if (path == NULL)
        continue;
      kwb_source_view_clear_breakpoint_marks (view);
      if (model == NULL)
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
          continue;
        }
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
}

static void
break_insert_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbBreakpoint) bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &error);

  if (bp == NULL)
    kwb_window_toast (self, error->message);
}

static void
break_change_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_break_change_finish (KWB_SESSION (object), result, &error))
    kwb_window_toast (self, error->message);
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
  g_autofree char *location = NULL;

  g_return_if_fail (KWB_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  if (!session_is_live (self))
    {
      g_autofree char *key = g_strdup_printf ("%s:%u", path, line);

      add_pending_breakpoint (self, path, line,
                              !g_ptr_array_find_with_equal_func (self->pending_breakpoints, key, g_str_equal, NULL));
      return;
    }
  if ((bp = find_breakpoint_at (self, path, line)) != NULL)
    {
      kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (bp), NULL,
                                      break_change_cb, g_object_ref (self));
      return;
    }
  /* The absolute local path: GDB knows the tree by it (or through the
   * substitute-path the session set when it mapped the DWARF paths). */
  location = g_strdup_printf ("%s:%u", path, line);
  kwb_session_break_insert_async (self->session, location, KWB_GDB_BREAK_NONE, NULL, NULL,
                                  break_insert_cb, g_object_ref (self));
}

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

static void
breakpoint_line_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);
  KwbSourceView *view = kwb_window_get_visible_source (self);
  const char *path = view ? kwb_source_view_get_path (view) : NULL;
  guint line = parameter ? g_variant_get_uint32 (parameter) : 0;
  g_autoptr(KwbBreakpoint) bp = NULL;
  g_autofree char *location = NULL;

  if (path == NULL)
    return;
  if (line == 0)
    line = kwb_source_view_get_cursor_line (view);
  location = g_strdup_printf ("%s:%u", path, line);
  bp = find_breakpoint_at (self, path, line);

  if (g_str_equal (action_name, "win.toggle-breakpoint"))
    kwb_window_toggle_breakpoint (self, path, line);
  else if (g_str_equal (action_name, "win.run-to-line") || g_str_equal (action_name, "win.run-to-cursor"))
    {
      if (self->session != NULL && kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED)
        kwb_session_run_to_async (self->session, location, NULL, NULL, NULL);
      else
        kwb_window_toast (self, _("Run to a line needs a stopped guest: pause it first (Ctrl+F5)."));
    }
  else if (!session_is_live (self))
    {
      if (g_str_equal (action_name, "win.breakpoint-delete"))
        add_pending_breakpoint (self, path, line, FALSE);
      else if (g_str_has_prefix (action_name, "win.breakpoint-add"))
        add_pending_breakpoint (self, path, line, TRUE);
      else
        kwb_window_toast (self, _("Start a session to change breakpoints this way"));
    }
  else if (g_str_equal (action_name, "win.breakpoint-add"))
    kwb_session_break_insert_async (self->session, location, KWB_GDB_BREAK_NONE, NULL, NULL,
                                    break_insert_cb, g_object_ref (self));
  else if (g_str_equal (action_name, "win.breakpoint-add-hardware"))
    {
      /* GDB cannot turn a breakpoint into a hardware one: replace it. */
      if (bp != NULL)
        kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (bp), NULL,
                                        break_change_cb, g_object_ref (self));
      kwb_session_break_insert_async (self->session, location, KWB_GDB_BREAK_HARDWARE,
                                      bp ? kwb_breakpoint_get_condition (bp) : NULL, NULL,
                                      break_insert_cb, g_object_ref (self));
    }
  else if (bp != NULL && g_str_equal (action_name, "win.breakpoint-delete"))
    kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (bp), NULL,
                                    break_change_cb, g_object_ref (self));
  else if (bp != NULL && (g_str_equal (action_name, "win.breakpoint-enable") ||
                          g_str_equal (action_name, "win.breakpoint-disable")))
    kwb_session_break_enable_async (self->session, kwb_breakpoint_get_number (bp),
                                    g_str_equal (action_name, "win.breakpoint-enable"),
                                    NULL, break_change_cb, g_object_ref (self));
  else if (g_str_equal (action_name, "win.breakpoint-condition"))
    kwb_window_ask_condition (self, path, line);
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
  g_autofree char *location = NULL;
  const char *condition;

  if (!g_str_equal (response, "set") || !session_is_live (self))
    return;
  condition = gtk_editable_get_text (GTK_EDITABLE (data->entry));
  location = g_strdup_printf ("%s:%u", data->path, data->line);
  /* A new breakpoint with the condition replaces the old one: the session's
   * insert works in every state, a bare -break-condition would not. */
  if ((bp = find_breakpoint_at (self, data->path, data->line)) != NULL)
    kwb_session_break_delete_async (self->session, kwb_breakpoint_get_number (bp), NULL,
                                    break_change_cb, g_object_ref (self));
  kwb_session_break_insert_async (self->session, location,
                                  bp && kwb_breakpoint_get_hardware (bp) ? KWB_GDB_BREAK_HARDWARE : KWB_GDB_BREAK_NONE,
                                  *condition ? condition : NULL, NULL, break_insert_cb, g_object_ref (self));
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

  if (!session_is_live (self))
    {
      kwb_window_toast (self, _("Start a session to set a condition"));
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

/* ---- the session ---- */

static void
on_session_stopped (KwbSession *session,
                    KwbGdbStop *stop,
                    KwbWindow  *self)
{
  show_code (self, stop->fullname, stop->file, stop->line > 0 ? (guint) stop->line : 0, stop->addr);
  g_signal_emit (self, window_signals[LOCATION_SHOWN], 0);
}

static void
on_session_state_changed (KwbSession      *session,
                          KwbSessionState  old_state,
                          KwbSessionState  new_state,
                          KwbWindow       *self)
{
  if (new_state == KWB_SESSION_STATE_RUNNING && self->current_view != NULL)
    set_current_view (self, NULL, 0);
  /* Frames, locals and registers describe a stopped guest only. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->frames_panel), new_state == KWB_SESSION_STATE_STOPPED);
  if (new_state == KWB_SESSION_STATE_FAILED)
    {
      const char *reason = kwb_session_get_failure_reason (session);

      kwb_window_toast (self, reason ? reason : _("The session failed"));
    }
  kwb_window_update_run_actions (self);
  if (new_state == KWB_SESSION_STATE_EXITED || new_state == KWB_SESSION_STATE_FAILED)
    kwb_window_refresh_breakpoint_marks (self);
}

static void
on_breakpoints_changed (KwbWindow *self)
{
  kwb_window_refresh_breakpoint_marks (self);
}

static void
on_breakpoint_item_notify (KwbWindow *self)
{
  kwb_window_refresh_breakpoint_marks (self);
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
  on_breakpoints_changed (self);
}

static void
start_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_start_finish (KWB_SESSION (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("The session did not start: %s"), error->message);

          kwb_window_toast (self, message);
        }
      kwb_window_update_run_actions (self);
    }
}

/* Where the user's breakpoints of an ended session were, for the next one. */
static void
carry_breakpoints (KwbWindow *self)
{
  GListModel *model;

  if (self->session == NULL)
    return;
  model = G_LIST_MODEL (kwb_session_get_breakpoints (self->session));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);
      g_autofree char *local = kwb_session_map_source_path (self->session, kwb_breakpoint_get_fullname (bp));

      if (local != NULL && kwb_breakpoint_get_line (bp) > 0 && kwb_breakpoint_get_enabled (bp))
        add_pending_breakpoint (self, local, kwb_breakpoint_get_line (bp), TRUE);
    }
}

static void
kwb_window_clear_session (KwbWindow *self)
{
  if (self->session == NULL)
    return;
  carry_breakpoints (self);
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_signal_handlers_disconnect_by_data (kwb_session_get_breakpoints (self->session), self);
  kwb_console_set_session (self->console, NULL);
  kwb_frames_panel_set_session (self->frames_panel, NULL);
  kwb_breakpoints_page_set_session (self->breakpoints_sidebar, NULL);
  kwb_modules_page_set_modules (self->modules_sidebar, NULL);
  g_clear_object (&self->modules);
  set_current_view (self, NULL, 0);
  g_clear_object (&self->session);
}

/**
 * kwb_window_start_session:
 *
 * Boots the project's kernel under QEMU with GDB attached (stopping where
 * the project says, start_kernel by default) and with the breakpoints set
 * in the window so far. Failures show in a toast, with what to do.
 * Returns: FALSE when the project cannot be run as it is.
 */
gboolean
kwb_window_start_session (KwbWindow *self)
{
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);

  if (self->project == NULL || session_is_live (self))
    return FALSE;
  config = kwb_session_config_new_for_project (self->project, &error);
  if (config == NULL)
    {
      kwb_window_toast (self, error->message);
      gtk_label_set_label (self->status_label, error->message);
      return FALSE;
    }
  kwb_window_clear_session (self);

  self->session = kwb_session_new (config);
  /* Before start: the module loader sets its breakpoints while the guest is
   * still frozen. */
  self->modules = kwb_modules_new (self->session);
  kwb_modules_page_set_modules (self->modules_sidebar, self->modules);
  for (guint i = 0; i < self->pending_breakpoints->len; i++)
    kwb_session_add_initial_breakpoint (self->session, g_ptr_array_index (self->pending_breakpoints, i));
  g_ptr_array_set_size (self->pending_breakpoints, 0);
  kwb_breakpoints_page_set_n_waiting (self->breakpoints_sidebar, 0);

  g_signal_connect_object (self->session, "stopped", G_CALLBACK (on_session_stopped), self, 0);
  g_signal_connect_object (self->session, "state-changed", G_CALLBACK (on_session_state_changed), self, 0);
  g_signal_connect_object (kwb_session_get_breakpoints (self->session), "items-changed",
                           G_CALLBACK (on_breakpoints_items_changed), self, 0);
  kwb_console_set_session (self->console, self->session);
  kwb_frames_panel_set_session (self->frames_panel, self->session);
  kwb_breakpoints_page_set_session (self->breakpoints_sidebar, self->session);
  gtk_widget_set_visible (self->console_status, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->console), TRUE);
  if (!gtk_widget_get_visible (GTK_WIDGET (self->frames_panel)))
    {
      int width = gtk_widget_get_width (GTK_WIDGET (self->source_paned));

      /* The source gets the room; the panel a sidebar's width. */
      gtk_widget_set_visible (GTK_WIDGET (self->frames_panel), TRUE);
      if (width > 600)
        gtk_paned_set_position (self->source_paned, width - 380);
    }

  kwb_session_start_async (self->session, NULL, start_cb, g_object_ref (self));
  kwb_window_update_run_actions (self);
  return TRUE;
}

KwbSession *kwb_window_get_session (KwbWindow *self) { return self->session; }
KwbConsole *kwb_window_get_console (KwbWindow *self) { return self->console; }
KwbFramesPanel *kwb_window_get_frames_panel (KwbWindow *self) { return self->frames_panel; }
KwbBreakpointsPage *kwb_window_get_breakpoints_page (KwbWindow *self) { return self->breakpoints_sidebar; }
const char *kwb_window_get_last_toast (KwbWindow *self) { return self->last_toast; }

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_stop_finish (KWB_SESSION (object), result, &error))
    kwb_window_toast (self, error->message);
  if (self->restart_pending)
    {
      self->restart_pending = FALSE;
      kwb_window_start_session (self);
    }
  kwb_window_update_run_actions (self);
}

static void
exec_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_exec_finish (KWB_SESSION (object), result, &error))
    kwb_window_toast (self, error->message);
}

static void
session_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);

  if (g_str_equal (action_name, "win.start"))
    kwb_window_start_session (self);
  else if (g_str_equal (action_name, "win.restart") && self->session != NULL)
    {
      if (session_is_live (self))
        {
          self->restart_pending = TRUE;
          kwb_session_stop_async (self->session, NULL, stop_cb, g_object_ref (self));
        }
      else
        kwb_window_start_session (self);
    }
}

static void
quick_open_file_cb (KwbQuickOpen *quick_open,
                    const char   *path,
                    KwbWindow    *self)
{
  kwb_window_open_source (self, path);
}

static char *
dup_source_dir (KwbWindow *self)
{
  g_autoptr(KwbSessionConfig) config = NULL;

  if (self->session != NULL)
    return g_strdup (kwb_session_config_get_source_dir (kwb_session_get_config (self->session)));
  if (self->project == NULL)
    return NULL;
  /* Before a session: the same resolution the session would make. */
  config = kwb_session_config_new_for_project (self->project, NULL);
  if (config != NULL)
    return g_strdup (kwb_session_config_get_source_dir (config));
  return kwb_project_dup_path (self->project, "kernel", "source-dir");
}

/**
 * kwb_window_quick_open:
 *
 * Ctrl+O: a fuzzy search over the file names of the project's source tree.
 * Returns: (transfer none): the dialog, already shown.
 */
KwbQuickOpen *
kwb_window_quick_open (KwbWindow *self)
{
  g_autofree char *source_dir = dup_source_dir (self);
  KwbQuickOpen *quick_open = kwb_quick_open_new (GTK_WINDOW (self), source_dir && *source_dir ? source_dir : NULL);

  g_signal_connect_object (quick_open, "file-activated", G_CALLBACK (quick_open_file_cb), self, 0);
  gtk_window_present (GTK_WINDOW (quick_open));
  return quick_open;
}

static void
misc_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);

  if (g_str_equal (action_name, "win.quick-open"))
    kwb_window_quick_open (self);
  else if (g_str_equal (action_name, "win.find-in-console"))
    kwb_console_start_search (self->console);
  else if (g_str_equal (action_name, "win.gdb-console"))
    {
      kwb_console_show_page (self->console, "gdb");
      gtk_widget_grab_focus (GTK_WIDGET (kwb_gdb_console_get_entry (kwb_console_get_gdb_console (self->console))));
    }
}

static void
on_console_location (KwbConsole *console,
                     const char *path,
                     guint       line,
                     const char *message,
                     KwbWindow  *self)
{
  if (path == NULL)
    {
      kwb_window_toast (self, message);
      return;
    }
  show_location (self, path, line, FALSE);
  g_signal_emit (self, window_signals[LOCATION_SHOWN], 0);
}

static void
on_frame_activated (KwbFramesPanel *panel,
                    KwbFrame       *frame,
                    KwbWindow      *self)
{
  show_code (self, kwb_frame_get_fullname (frame), kwb_frame_get_file (frame),
             kwb_frame_get_line (frame), kwb_frame_get_address (frame));
}

static void
on_breakpoint_activated (KwbBreakpointsPage *page,
                         KwbBreakpoint      *bp,
                         KwbWindow          *self)
{
  g_autofree char *local = NULL;

  if (self->session != NULL)
    local = kwb_session_map_source_path (self->session, kwb_breakpoint_get_fullname (bp));
  if (local != NULL && kwb_breakpoint_get_line (bp) > 0)
    show_location (self, local, kwb_breakpoint_get_line (bp), FALSE);
  else
    kwb_window_toast (self, _("This breakpoint has no source line"));
}

static void
on_sidebar_page_failed (GtkWidget  *page,
                        const char *message,
                        KwbWindow  *self)
{
  kwb_window_toast (self, message);
}

/**
 * kwb_window_get_current_location:
 * @line: (out): the line marked as where the guest is stopped
 *
 * Returns: (nullable): the file shown with the stop mark ("" for the
 * disassembly), NULL when no line is marked.
 */
const char *
kwb_window_get_current_location (KwbWindow *self,
                                 guint     *line)
{
  g_return_val_if_fail (KWB_IS_WINDOW (self), NULL);

  if (line != NULL)
    *line = self->current_view ? kwb_source_view_get_current_line (self->current_view) : 0;
  if (self->current_view == NULL || kwb_source_view_get_current_line (self->current_view) == 0)
    return NULL;
  return kwb_source_view_get_path (self->current_view) ? kwb_source_view_get_path (self->current_view) : "";
}

static void
kwb_window_init_session_ui (KwbWindow *self)
{
  self->pending_breakpoints = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_object (self->console, "location-activated", G_CALLBACK (on_console_location), self, 0);
  g_signal_connect_object (self->frames_panel, "frame-activated", G_CALLBACK (on_frame_activated), self, 0);
  g_signal_connect_object (self->breakpoints_sidebar, "breakpoint-activated",
                           G_CALLBACK (on_breakpoint_activated), self, 0);
  g_signal_connect_object (self->breakpoints_sidebar, "failed", G_CALLBACK (on_sidebar_page_failed), self, 0);
  g_signal_connect_object (self->modules_sidebar, "failed", G_CALLBACK (on_sidebar_page_failed), self, 0);
  kwb_console_set_settings (self->console, self->settings);
}

static void
kwb_window_run_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  static const struct {
    const char *action;
    KwbGdbExec  exec;
  } execs[] = {
    { "win.continue", KWB_GDB_EXEC_CONTINUE },
    { "win.interrupt", KWB_GDB_EXEC_INTERRUPT },
    { "win.step", KWB_GDB_EXEC_STEP },
    { "win.next", KWB_GDB_EXEC_NEXT },
    { "win.finish", KWB_GDB_EXEC_FINISH },
  };
  KwbWindow *self = KWB_WINDOW (widget);

  if (self->session == NULL)
    return; /* only the shell's session-active flag enabled it */
  if (g_str_equal (action_name, "win.stop"))
    {
      kwb_session_stop_async (self->session, NULL, stop_cb, g_object_ref (self));
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (execs); i++)
    if (g_str_equal (action_name, execs[i].action))
      kwb_session_exec_async (self->session, execs[i].exec, NULL, exec_cb, g_object_ref (self));
}

/* Running from the build tree without GSETTINGS_SCHEMA_DIR must not abort
 * (g_settings_new would): the window then just forgets its size. */
static GSettings *
kwb_window_new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APP_BASE_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("Settings schema %s is not installed: the window size is not kept. "
                 "Install Kernel Workbench, or run it with “meson devenv -C BUILDDIR kernel-workbench”.",
                 APP_BASE_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
kwb_window_restore_state (KwbWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  gtk_paned_set_position (self->main_paned, g_settings_get_int (self->settings, "sidebar-width"));
}

static void
kwb_window_save_state (KwbWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  /* The default size is the unmaximized size, which is what to restore. */
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  g_settings_delay (self->settings);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  g_settings_set_int (self->settings, "sidebar-width", gtk_paned_get_position (self->main_paned));
  g_settings_apply (self->settings);
}

static gboolean
kwb_window_close_request (GtkWindow *window)
{
  kwb_window_save_state (KWB_WINDOW (window));
  return GTK_WINDOW_CLASS (kwb_window_parent_class)->close_request (window);
}

static void
kwb_window_dispose (GObject *object)
{
  KwbWindow *self = KWB_WINDOW (object);

  if (session_is_live (self))
    kwb_session_stop_async (self->session, NULL, NULL, NULL);
  kwb_window_clear_session (self);
  g_clear_weak_pointer (&self->current_view);
  g_clear_weak_pointer (&self->disassembly);
  g_clear_pointer (&self->pending_breakpoints, g_ptr_array_unref);
  g_clear_pointer (&self->last_toast, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_WINDOW);
  g_clear_object (&self->project);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kwb_window_parent_class)->dispose (object);
}

static void
kwb_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KwbWindow *self = KWB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_SESSION_ACTIVE:
      g_value_set_boolean (value, self->session_active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  KwbWindow *self = KWB_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION_ACTIVE:
      kwb_window_set_session_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_window_class_init (KwbWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kwb_window_dispose;
  object_class->get_property = kwb_window_get_property;
  object_class->set_property = kwb_window_set_property;
  window_class->close_request = kwb_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         KWB_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SESSION_ACTIVE] =
    g_param_spec_boolean ("session-active", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbWindow::location-shown:
   *
   * A stop's line (or a link's) is in the source view: for tests and the
   * stop-to-view benchmark.
   */
  window_signals[LOCATION_SHOWN] =
    g_signal_new ("location-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (KWB_TYPE_CONSOLE);
  g_type_ensure (KWB_TYPE_FRAMES_PANEL);
  g_type_ensure (KWB_TYPE_BREAKPOINTS_PAGE);
  g_type_ensure (KWB_TYPE_MODULES_PAGE);
  /* Project widgets in the template (wizard issue): header, banner, welcome. */
  g_type_ensure (KWB_TYPE_SOURCE_STATUS);
  g_type_ensure (KWB_TYPE_STALE_BANNER);
  g_type_ensure (KWB_TYPE_WELCOME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-window.ui");
  /* Not a struct member: KwbApplication fills it (gtk_widget_get_template_child). */
  gtk_widget_class_bind_template_child_full (widget_class, "recent_projects_menu", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_area);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_tabs);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, console);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, console_status);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, frames_panel);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, breakpoints_sidebar);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, modules_sidebar);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_status);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, status_label);

  for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
    gtk_widget_class_install_action (widget_class, run_actions[i], NULL, kwb_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.start", NULL, session_action);
  gtk_widget_class_install_action (widget_class, "win.restart", NULL, session_action);
  gtk_widget_class_install_action (widget_class, "win.quick-open", NULL, misc_action);
  gtk_widget_class_install_action (widget_class, "win.find-in-console", NULL, misc_action);
  gtk_widget_class_install_action (widget_class, "win.gdb-console", NULL, misc_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-breakpoint", NULL, breakpoint_line_action);
  gtk_widget_class_install_action (widget_class, "win.run-to-cursor", NULL, breakpoint_line_action);
  {
    static const char * const line_actions[] = {
      "win.breakpoint-add", "win.breakpoint-add-hardware", "win.breakpoint-enable",
      "win.breakpoint-disable", "win.breakpoint-delete", "win.breakpoint-condition", "win.run-to-line",
    };

    for (guint i = 0; i < G_N_ELEMENTS (line_actions); i++)
      gtk_widget_class_install_action (widget_class, line_actions[i], "u", breakpoint_line_action);
  }
}

static void
kwb_window_init (KwbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = kwb_window_new_settings ();
  kwb_window_init_session_ui (self);
  kwb_window_restore_state (self);
  kwb_window_update_run_actions (self);
  kwb_window_show_empty_source (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Kernel Workbench"));
}
