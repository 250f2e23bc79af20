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

struct _KwbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KwbProject           *project;
  gboolean              session_active;

  /* Template children */
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
  for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), run_actions[i], self->session_active);

  gtk_label_set_label (self->status_label,
                       self->session_active ? _("Session running") : _("No session"));
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

static void
kwb_window_run_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  /* Only reachable while a session is active; the session issue routes these
   * to KwbSession (-exec-continue, -exec-interrupt, -exec-step, …). */
  g_debug ("Run control %s: no session object yet", action_name);
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

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, main_paned);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, source_status);
  gtk_widget_class_bind_template_child (widget_class, KwbWindow, status_label);

  for (guint i = 0; i < G_N_ELEMENTS (run_actions); i++)
    gtk_widget_class_install_action (widget_class, run_actions[i], NULL, kwb_window_run_action);
}

static void
kwb_window_init (KwbWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = kwb_window_new_settings ();
  kwb_window_restore_state (self);
  kwb_window_update_run_actions (self);
  kwb_window_show_empty_source (self);
  gtk_window_set_title (GTK_WINDOW (self), _("Kernel Workbench"));
}
