/* kwb-window.c — the main window: run controls, sidebar, source, console, status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * This file builds the window from its template and owns the session's
 * life: it starts one from the project, hands it to the panels (console,
 * frames, breakpoints, modules), follows its state to enable the run
 * controls and shows each stop's line, or its disassembly when there is no
 * source. The actions are in kwb-window-actions.c, the breakpoints in
 * kwb-window-breakpoints.c; the instance struct they share is in
 * kwb-window-private.h.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-window-private.h"
#include "kwb-project-trust.h"
#include "kwb-recent-projects.h"
#include "kwb-source-status.h"
#include "kwb-stale-banner.h"
#include "kwb-crash-banner.h"
#include "kwb-trust-dialog.h"
#include "kwb-welcome.h"

G_DEFINE_FINAL_TYPE (KwbWindow, kwb_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  LOCATION_SHOWN,
  KERNEL_VIEW_REFRESHED,
  N_WINDOW_SIGNALS
};

static guint window_signals[N_WINDOW_SIGNALS];

/* Enabled by the session's state. */
static const char * const run_actions[] = {
  "win.continue", "win.interrupt", "win.step", "win.next", "win.finish", "win.stop",
};

/* Disabled while a memory dump is written (kwb-window-actions.c); stopping
 * the session stays possible and ends the dump. */
static const char * const dump_blocked[] = {
  "win.continue", "win.step", "win.next", "win.finish",
};

KwbWindow *
kwb_window_new (KwbApplication *application)
{
  return g_object_new (KWB_TYPE_WINDOW, "application", application, NULL);
}

void
_kwb_window_update_run_actions (KwbWindow *self)
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
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dump-memory", FALSE);
      _kwb_window_replay_update_actions (self);
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
  /* A replay's search backwards cannot be paused (QEMU 7.2 ignores the
   * interrupt): Pause cancels it instead (kwb-window-replay.c). */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.interrupt", state == KWB_SESSION_STATE_RUNNING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", live);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", !live && self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", self->project != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.dump-memory",
                                 state == KWB_SESSION_STATE_STOPPED && self->dump_path == NULL);
  /* The guest stays stopped while QEMU writes its memory. */
  for (guint i = 0; self->dump_path != NULL && i < G_N_ELEMENTS (dump_blocked); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), dump_blocked[i], FALSE);

  _kwb_window_replay_update_actions (self);
  status = kwb_session_dup_status_text (self->session);
  gtk_label_set_label (self->status_label, status);
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
  _kwb_window_replay_set_project (self);
  _kwb_window_update_run_actions (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

static void
on_trust_decided (KwbTrustDialog *dialog,
                  gboolean        trusted,
                  KwbWindow      *self)
{
  KwbProject *project = kwb_trust_dialog_get_project (dialog);
  g_autoptr(GError) error = NULL;

  if (trusted)
    {
      kwb_window_set_project (self, project);
      kwb_recent_projects_add (kwb_project_get_directory (project));
      return;
    }
  error = g_error_new (KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_UNKNOWN,
                       _("%s was not opened: you did not trust it to run its programs. "
                         "Open it again to see what it runs."),
                       kwb_project_get_directory (project));
  kwb_window_show_project_error (self, error);
}

/**
 * kwb_window_open_project:
 * @directory: a project folder (holding kernel-workbench.ini)
 *
 * Loads the project and shows it. On failure the window keeps no project and
 * shows the error, which says what to do, in its source area. A project not
 * trusted on this computer is not shown yet: the window asks (KwbTrustDialog)
 * and shows it once trusted; this returns FALSE with the
 * KWB_PROJECT_TRUST_ERROR saying why it asks.
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

  if (!kwb_project_trust_check (project, &local_error))
    {
      KwbTrustDialog *dialog = kwb_trust_dialog_new (GTK_WINDOW (self), project);

      g_signal_connect_object (dialog, "decided", G_CALLBACK (on_trust_decided), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
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

/**
 * kwb_window_set_session_active:
 *
 * Enables the run controls while the window has no session, so that how
 * they look can be checked without booting a kernel. A real session
 * drives them from its state instead.
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
  _kwb_window_update_run_actions (self);
}


/* ==== the debug session: sources, breakpoints, run control ==== */

void
_kwb_window_toast (KwbWindow  *self,
                  const char *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
}

gboolean
_kwb_window_session_is_live (KwbWindow *self)
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
  _kwb_window_watch_view (self, view);
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

          _kwb_window_toast (self, message);
          return NULL;
        }
      add_view (self, view, where);
      _kwb_window_refresh_breakpoint_marks (self);
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

static char *
instructions_text (GListModel *instructions,
                   guint64     addr,
                   guint      *current)
{
  GString *text = g_string_new (NULL);

  *current = 0;
  for (guint i = 0; i < g_list_model_get_n_items (instructions); i++)
    {
      g_autoptr(KwbInstruction) insn = g_list_model_get_item (instructions, i);
      const char *func = kwb_instruction_get_function (insn);

      if (kwb_instruction_get_address (insn) == addr)
        *current = i + 1;
      g_string_append_printf (text, "0x%016" G_GINT64_MODIFIER "x <%s+%u>\t%s\n",
                              kwb_instruction_get_address (insn), func ? func : "??",
                              kwb_instruction_get_offset (insn),
                              kwb_instruction_get_text (insn) ? kwb_instruction_get_text (insn) : "");
    }
  if (text->len == 0)
    {
      g_autofree char *where = g_strdup_printf ("0x%016" G_GINT64_MODIFIER "x", addr);

      g_string_append_printf (text, _("No instructions at %s\n"), where);
    }
  return g_string_free (text, FALSE);
}

static void
disassemble_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  DisassembleData *data = user_data;
  g_autoptr(KwbWindow) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) instructions = kwb_session_disassemble_finish (KWB_SESSION (object), result, &error);
  g_autofree char *text = NULL;
  guint current = 0;
  guint64 addr = data->addr;
  gboolean whole = data->whole_function;
  gboolean stale = data->generation != self->stop_generation;

  g_free (data);
  if (stale)
    return;
  if (instructions == NULL)
    {
      /* A whole function needs one around the address; outside one, a range. */
      if (whole)
        disassemble (self, addr, FALSE);
      else
        _kwb_window_toast (self, error->message);
      return;
    }
  text = instructions_text (instructions, addr, &current);

  if (self->disassembly == NULL)
    {
      g_set_weak_pointer (&self->disassembly, kwb_source_view_new_for_text (_("Disassembly"), text));
      add_view (self, self->disassembly, _("No source for this code: its machine instructions"));
    }
  else
    kwb_source_view_set_text (self->disassembly, text);
  gtk_notebook_set_current_page (self->source_tabs,
                                 gtk_notebook_page_num (self->source_tabs, GTK_WIDGET (self->disassembly)));
  set_current_view (self, self->disassembly, current ? current : 1);
}

/* How much to show around an address outside any known function. */
#define DISASSEMBLY_RANGE 256

static void
disassemble (KwbWindow *self,
             guint64    addr,
             gboolean   whole_function)
{
  DisassembleData *data;

  if (self->session == NULL)
    return;
  data = g_new0 (DisassembleData, 1);
  data->self = g_object_ref (self);
  data->addr = addr;
  data->generation = self->stop_generation;
  data->whole_function = whole_function;
  if (whole_function)
    kwb_session_disassemble_function_async (self->session, addr, NULL, disassemble_cb, data);
  else
    kwb_session_disassemble_async (self->session, addr, addr + DISASSEMBLY_RANGE, NULL, disassemble_cb, data);
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

/* ---- the session ---- */

static void
on_session_stopped (KwbSession *session,
                    KwbGdbStop *stop,
                    KwbWindow  *self)
{
  kwb_crash_banner_set_crash (self->crash_banner, kwb_session_get_crash (session), stop);
  show_code (self, stop->fullname, stop->file, stop->line > 0 ? (guint) stop->line : 0, stop->addr);
  g_signal_emit (self, window_signals[LOCATION_SHOWN], 0);
  _kwb_window_views_stopped (self);
  _kwb_window_replay_stopped (self);
}

static void
on_session_state_changed (KwbSession      *session,
                          KwbSessionState  old_state,
                          KwbSessionState  new_state,
                          KwbWindow       *self)
{
  if (new_state == KWB_SESSION_STATE_RUNNING && self->current_view != NULL)
    set_current_view (self, NULL, 0);
  if (new_state != KWB_SESSION_STATE_STOPPED)
    kwb_crash_banner_set_crash (self->crash_banner, NULL, NULL);
  /* Frames, locals and registers describe a stopped guest only. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->frames_panel), new_state == KWB_SESSION_STATE_STOPPED);
  if (new_state == KWB_SESSION_STATE_FAILED)
    {
      const char *reason = kwb_session_get_failure_reason (session);

      _kwb_window_toast (self, reason ? reason : _("The session failed"));
    }
  _kwb_window_update_run_actions (self);
  if (new_state == KWB_SESSION_STATE_EXITED || new_state == KWB_SESSION_STATE_FAILED)
    _kwb_window_refresh_breakpoint_marks (self);
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

          _kwb_window_toast (self, message);
        }
      _kwb_window_update_run_actions (self);
    }
}

static void
kwb_window_clear_session (KwbWindow *self)
{
  if (self->session == NULL)
    return;
  _kwb_window_breakpoints_set_session (self, NULL);
  g_signal_handlers_disconnect_by_data (self->session, self);
  kwb_console_set_session (self->console, NULL);
  kwb_frames_panel_set_session (self->frames_panel, NULL);
  kwb_modules_page_set_modules (self->modules_sidebar, NULL);
  _kwb_window_views_set_session (self, NULL);
  g_clear_object (&self->modules);
  set_current_view (self, NULL, 0);
  g_clear_object (&self->replay);
  _kwb_window_replay_session_changed (self);
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

  if (self->project == NULL || _kwb_window_session_is_live (self) || self->creating_recording)
    return FALSE;
  config = kwb_session_config_new_for_project (self->project, &error);
  if (config == NULL)
    {
      _kwb_window_toast (self, error->message);
      gtk_label_set_label (self->status_label, error->message);
      return FALSE;
    }
  if (kwb_project_get_boolean (self->project, "debug", "record"))
    return _kwb_window_replay_start_recording (self, config);
  _kwb_window_begin_session (self, config, NULL);
  return TRUE;
}

void
_kwb_window_begin_session (KwbWindow        *self,
                           KwbSessionConfig *config,
                           KwbRecording     *recording)
{
  kwb_window_clear_session (self);

  self->session = kwb_session_new (config);
  if (recording != NULL)
    self->replay = kwb_replay_new (self->session, recording);
  /* Before start: the module loader sets its breakpoints while the guest is
   * still frozen. */
  self->modules = kwb_modules_new (self->session);
  kwb_modules_page_set_modules (self->modules_sidebar, self->modules);
  _kwb_window_breakpoints_set_session (self, self->session);
  _kwb_window_views_set_session (self, self->session);

  g_signal_connect_object (self->session, "stopped", G_CALLBACK (on_session_stopped), self, 0);
  g_signal_connect_object (self->session, "state-changed", G_CALLBACK (on_session_state_changed), self, 0);
  kwb_console_set_session (self->console, self->session);
  kwb_frames_panel_set_session (self->frames_panel, self->session);
  gtk_widget_set_visible (self->console_status, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->console), TRUE);
  _kwb_window_replay_session_changed (self);
  /* What a stop shows: the backtrace beside the source, the console below. */
  kwb_window_show_panel (self, "frames");
  kwb_window_show_panel (self, "console");

  kwb_session_start_async (self->session, NULL, start_cb, g_object_ref (self));
  _kwb_window_update_run_actions (self);
}

KwbSession *kwb_window_get_session (KwbWindow *self) { return self->session; }
KwbConsole *kwb_window_get_console (KwbWindow *self) { return self->console; }
KwbFramesPanel *kwb_window_get_frames_panel (KwbWindow *self) { return self->frames_panel; }
KwbBreakpointsPage *kwb_window_get_breakpoints_page (KwbWindow *self) { return self->breakpoints_sidebar; }
const char *kwb_window_get_last_toast (KwbWindow *self) { return self->last_toast; }

void
_kwb_window_session_ended (KwbWindow    *self,
                           const GError *error)
{
  if (error != NULL)
    _kwb_window_toast (self, error->message);
  if (self->restart_pending)
    {
      self->restart_pending = FALSE;
      /* A replay restarts as the same replay. */
      if (self->replay != NULL && kwb_replay_get_mode (self->replay) == KWB_QEMU_REPLAY_PLAY)
        gtk_widget_activate_action (GTK_WIDGET (self), "win.replay-recording", "s",
                                    kwb_recording_get_dir (kwb_replay_get_recording (self->replay)));
      else
        kwb_window_start_session (self);
    }
  _kwb_window_update_run_actions (self);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  kwb_session_stop_finish (KWB_SESSION (object), result, &error);
  _kwb_window_session_ended (self, error);
}

static void
replay_stop_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  KwbReplay *replay = KWB_REPLAY (object);
  g_autoptr(GError) error = NULL;

  if (kwb_replay_stop_finish (replay, result, &error) && kwb_replay_get_mode (replay) == KWB_QEMU_REPLAY_RECORD)
    {
      KwbRecording *recording = kwb_replay_get_recording (replay);
      g_autofree char *size = g_format_size (kwb_recording_get_size (recording));
      /* Translators: a recording's length in seconds and its size on disk */
      g_autofree char *message = g_strdup_printf (_("Recording saved: %.1f s, %s. Replay it from the Recordings list."),
                                                  kwb_recording_get_seconds (recording), size);

      _kwb_window_toast (self, message);
      kwb_recordings_page_reload (self->recordings_page);
    }
  _kwb_window_session_ended (self, error);
}

void
_kwb_window_stop_session (KwbWindow *self,
                          gboolean   restart)
{
  if (self->session == NULL)
    return;
  self->restart_pending = restart;
  /* A recording's end is written once the session has stopped. */
  if (self->replay != NULL)
    kwb_replay_stop_async (self->replay, NULL, replay_stop_cb, g_object_ref (self));
  else
    kwb_session_stop_async (self->session, NULL, stop_cb, g_object_ref (self));
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
on_console_location (KwbConsole *console,
                     const char *path,
                     guint       line,
                     const char *message,
                     KwbWindow  *self)
{
  if (path == NULL)
    {
      _kwb_window_toast (self, message);
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
    _kwb_window_toast (self, _("This breakpoint has no source line"));
}

static void
on_sidebar_page_failed (GtkWidget  *page,
                        const char *message,
                        KwbWindow  *self)
{
  _kwb_window_toast (self, message);
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
  _kwb_window_breakpoints_init (self);
  g_signal_connect_object (self->console, "location-activated", G_CALLBACK (on_console_location), self, 0);
  g_signal_connect_object (self->frames_panel, "frame-activated", G_CALLBACK (on_frame_activated), self, 0);
  g_signal_connect_object (self->breakpoints_sidebar, "breakpoint-activated",
                           G_CALLBACK (on_breakpoint_activated), self, 0);
  g_signal_connect_object (self->breakpoints_sidebar, "failed", G_CALLBACK (on_sidebar_page_failed), self, 0);
  g_signal_connect_object (self->modules_sidebar, "failed", G_CALLBACK (on_sidebar_page_failed), self, 0);
  kwb_console_set_settings (self->console, self->settings);
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
  _kwb_window_dock_save (self);
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

  /* A recording is finished as the session stops, whoever stops it. */
  if (_kwb_window_session_is_live (self) && self->replay != NULL)
    kwb_replay_stop_async (self->replay, NULL, NULL, NULL);
  else if (_kwb_window_session_is_live (self))
    kwb_session_stop_async (self->session, NULL, NULL, NULL);
  kwb_window_clear_session (self);
  _kwb_window_views_dispose (self);
  g_clear_pointer (&self->panels, g_ptr_array_unref);
  g_clear_weak_pointer (&self->current_view);
  g_clear_weak_pointer (&self->disassembly);
  g_clear_pointer (&self->pending_breakpoints, g_ptr_array_unref);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->return_to_dir, g_free);
  g_clear_pointer (&self->dump_path, g_free);
  g_clear_object (&self->dump_toast);
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
  window_class->close_request = kwb_window_close_request;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         KWB_TYPE_PROJECT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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

  /**
   * KwbWindow::kernel-view-refreshed:
   * @panel: the kernel view's panel id ("log", …), also the detail
   *
   * A kernel view's refresh at a stop ended (well or with a toast): for
   * tests and benchmarks.
   */
  window_signals[KERNEL_VIEW_REFRESHED] =
    g_signal_new ("kernel-view-refreshed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (KWB_TYPE_CONSOLE);
  g_type_ensure (KWB_TYPE_FRAMES_PANEL);
  g_type_ensure (KWB_TYPE_BREAKPOINTS_PAGE);
  g_type_ensure (KWB_TYPE_MODULES_PAGE);
  /* Project widgets in the template: header, banner, welcome. */
  g_type_ensure (KWB_TYPE_SOURCE_STATUS);
  g_type_ensure (KWB_TYPE_STALE_BANNER);
  g_type_ensure (KWB_TYPE_CRASH_BANNER);
  g_type_ensure (KWB_TYPE_TIMELINE);
  g_type_ensure (KWB_TYPE_WELCOME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-window.ui");
  /* Not a struct member: KwbApplication fills it (gtk_widget_get_template_child). */
  gtk_widget_class_bind_template_child_full (widget_class, "recent_projects_menu", FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, crash_banner);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, reverse_controls);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, interrupt_button);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, replay_bar);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, replay_title);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, replay_position);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_area);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_tabs);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, console);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, console_status);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, frames_panel);
  gtk_widget_class_bind_template_child_full (widget_class, "start_dock", FALSE,
                                             G_STRUCT_OFFSET (KwbWindow, docks[KWB_DOCK_START]));
  gtk_widget_class_bind_template_child_full (widget_class, "end_dock", FALSE,
                                             G_STRUCT_OFFSET (KwbWindow, docks[KWB_DOCK_END]));
  gtk_widget_class_bind_template_child_full (widget_class, "bottom_dock", FALSE,
                                             G_STRUCT_OFFSET (KwbWindow, docks[KWB_DOCK_BOTTOM]));
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, end_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, content_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, console_area);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, breakpoints_sidebar);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, modules_sidebar);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_status);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, status_label);

  _kwb_window_class_actions_init (klass);
  _kwb_window_class_replay_init (klass);
}

static void
on_crash_link_activated (KwbCrashBanner *banner,
                         const char     *link,
                         KwbWindow      *self)
{
  kwb_console_activate_link (self->console, link);
}

static void
kwb_window_init (KwbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = kwb_window_new_settings ();
  g_signal_connect_object (self->crash_banner, "link-activated", G_CALLBACK (on_crash_link_activated), self, 0);
  kwb_window_init_session_ui (self);
  kwb_window_restore_state (self);
  _kwb_window_views_init (self);
  _kwb_window_replay_init (self);
  _kwb_window_dock_init (self);
  _kwb_window_update_run_actions (self);
  kwb_window_show_empty_source (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Kernel Workbench"));
}
