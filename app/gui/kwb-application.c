/* kwb-application.c — the Kernel Workbench application: actions, windows, style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file given on the command line is a project folder
 * (`kernel-workbench PROJECT_DIR`): each opens in a window of its own, reusing
 * a window that has no project yet. A project that fails to load still gets its
 * window, which shows the error and what to do about it.
 *
 * Without a project the main window shows New / Open / Recent (KwbWelcome);
 * a project whose setup is unfinished ([project] wizard-page) opens in the
 * wizard at that page. The application is the only one that knows the
 * wizard: it opens the main window the wizard's "finished" and
 * "location-activated" ask for. `--last` — what the desktop launcher runs — reopens
 * the project opened last (GSettings last-project), or starts as without it.
 * Every way in (command line, Open, Recent, --last) goes through the window
 * or the wizard's resume, and both ask before a project not trusted on this
 * computer runs anything (KwbTrustDialog).
 */
#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "kwb-application.h"
#include "kwb-source-view.h"
#include "kwb-project-settings.h"
#include "kwb-project-trust.h"
#include "kwb-recent-projects.h"
#include "kwb-trust-dialog.h"
#include "kwb-window.h"
#include "kwb-wizard.h"

struct _KwbApplication
{
  AdwApplication parent_instance;
  gboolean       open_last;   /* --last: the desktop launcher */
};

G_DEFINE_FINAL_TYPE (KwbApplication, kwb_application, ADW_TYPE_APPLICATION)

/* Resources are under the base id even in a .Devel build, which only changes
 * the D-Bus name so both can run side by side. */
#define RESOURCE_BASE_PATH "/io/github/kwb/KernelWorkbench"

KwbApplication *
kwb_application_new (void)
{
  return g_object_new (KWB_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_BASE_PATH,
                       NULL);
}

static int
kwb_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("kernel-workbench %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_contains (options, "last"))
    KWB_APPLICATION (app)->open_last = TRUE;
  return -1; /* go on: activate or open */
}

static KwbWindow *
kwb_application_find_empty_window (KwbApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (KWB_IS_WINDOW (l->data) && !kwb_window_has_project (l->data))
        return l->data;
    }
  return NULL;
}

/* Opens @directory in a main window (an empty one if there is one), shows
 * it and remembers it as the last and a recent project. Returns the window. */
static GtkWindow *
kwb_application_show_project (KwbApplication *self,
                              const char     *directory)
{
  KwbWindow *window = kwb_application_find_empty_window (self);

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l && window == NULL; l = l->next)
    if (KWB_IS_WINDOW (l->data) && kwb_window_has_project (l->data) &&
        g_str_equal (kwb_project_get_directory (kwb_window_get_project (l->data)), directory))
      window = l->data;
  if (window == NULL)
    window = kwb_window_new (self);
  if (kwb_window_open_project (window, directory, NULL))
    kwb_recent_projects_add (directory);
  gtk_window_present (GTK_WINDOW (window));
  return GTK_WINDOW (window);
}

static void
on_wizard_finished (KwbWizard      *wizard,
                    KwbApplication *self)
{
  GtkWindow *window = kwb_application_show_project (self, kwb_project_get_directory (kwb_wizard_get_project (wizard)));

  /* The session belongs to the main window: start it there if it can. */
  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL))
    g_debug ("The main window has no win.start action: opened without a session");
}

/* A build error in the wizard: its FILE:LINE opens in the project's main window. */
static void
on_wizard_location_activated (KwbWizard      *wizard,
                              const char     *file,
                              guint           line,
                              KwbApplication *self)
{
  GtkWindow *window = kwb_application_show_project (self, kwb_project_get_directory (kwb_wizard_get_project (wizard)));
  g_autofree char *location = g_strdup_printf ("%s:%u", file, line);

  if (!gtk_widget_activate_action (GTK_WIDGET (window), "win.open-location", "s", location))
    g_message ("The main window cannot open %s yet (no win.open-location action)", location);
}

/* Only the application knows the wizard: it opens the windows the wizard asks for. */
static void
kwb_application_present_wizard (KwbApplication *self,
                                KwbProject     *project)
{
  KwbWizard *wizard = kwb_wizard_new (GTK_APPLICATION (self), project);

  g_signal_connect_object (wizard, "finished", G_CALLBACK (on_wizard_finished), self, 0);
  g_signal_connect_object (wizard, "location-activated", G_CALLBACK (on_wizard_location_activated), self, 0);
  gtk_window_present (GTK_WINDOW (wizard));
}

static void
on_wizard_trust_decided (KwbTrustDialog *dialog,
                         gboolean        trusted,
                         KwbApplication *self)
{
  if (trusted)
    kwb_application_present_wizard (self, kwb_trust_dialog_get_project (dialog));
}

/* A project the wizard has not finished opens in the wizard, at its page.
 * The wizard builds and boots: a project not trusted here is asked about
 * first, over a main window, as the window asks before it opens one. */
static gboolean
kwb_application_resume_wizard (KwbApplication *self,
                               const char     *directory)
{
  g_autoptr(KwbProject) project = kwb_project_load (directory, NULL);
  g_autofree char *page = project ? kwb_project_dup_string (project, "project", "wizard-page") : NULL;

  if (page == NULL || *page == '\0')
    return FALSE;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    if (KWB_IS_WIZARD (l->data) && kwb_wizard_get_project (l->data) &&
        g_str_equal (kwb_project_get_directory (kwb_wizard_get_project (l->data)), kwb_project_get_directory (project)))
      {
        gtk_window_present (l->data);
        return TRUE;
      }
  if (!kwb_project_trust_is_trusted (project))
    {
      KwbWindow *window = kwb_application_find_empty_window (self);
      KwbTrustDialog *dialog;

      if (window == NULL)
        window = kwb_window_new (self);
      gtk_window_present (GTK_WINDOW (window));
      dialog = kwb_trust_dialog_new (GTK_WINDOW (window), project);
      g_signal_connect_object (dialog, "decided", G_CALLBACK (on_wizard_trust_decided), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  kwb_application_present_wizard (self, project);
  return TRUE;
}

static void
kwb_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  KwbApplication *self = KWB_APPLICATION (app);

  if (window == NULL && self->open_last)
    {
      g_autofree char *last = kwb_recent_projects_dup_last ();
      g_autofree char *file = last ? g_build_filename (last, KWB_PROJECT_FILE_NAME, NULL) : NULL;

      self->open_last = FALSE;
      if (file != NULL && g_file_test (file, G_FILE_TEST_IS_REGULAR))
        {
          if (!kwb_application_resume_wizard (self, last))
            kwb_application_show_project (self, last);
          return;
        }
    }

  if (window == NULL)
    window = GTK_WINDOW (kwb_window_new (KWB_APPLICATION (app)));
  gtk_window_present (window);
}

static void
kwb_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  KwbApplication *self = KWB_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      KwbWindow *window = kwb_application_find_empty_window (self);

      if (window == NULL)
        window = kwb_window_new (self);

      if (path == NULL)
        {
          /* A URI without a local path (sftp://…): QEMU and GDB need local files. */
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autoptr(GError) error =
            g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                         _("%s is not a local folder. Copy the project to this computer and open it from there."),
                         uri);
          kwb_window_show_project_error (window, error);
        }
      else if (kwb_application_resume_wizard (self, path))
        continue;
      else
        {
          /* Errors are shown in the window itself; nothing more to do here. */
          if (kwb_window_open_project (window, path, NULL))
            kwb_recent_projects_add (path);
        }

      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
kwb_application_about_action (GSimpleAction *action,
                              GVariant      *parameter,
                              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { _("Kernel Workbench developers"), NULL };
  AdwAboutWindow *about;

  about = ADW_ABOUT_WINDOW (adw_about_window_new ());
  g_object_set (about,
                "application-name", _("Kernel Workbench"),
                "application-icon", APP_ID,
                "developer-name", _("Kernel Workbench developers"),
                "developers", developers,
                "version", PACKAGE_VERSION,
                "comments", _("Debug the Linux kernel and its modules under QEMU and GDB: "
                              "build a debug kernel and a BusyBox initramfs, boot it, "
                              "and step through its source."),
                "license-type", GTK_LICENSE_GPL_3_0,
                "copyright", "© 2026 Kernel Workbench developers",
                /* Translators: put your name (and e-mail) here, one per line. */
                "translator-credits", _("translator-credits"),
                "transient-for", gtk_application_get_active_window (app),
                "application", app,
                NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
kwb_application_shortcuts_action (GSimpleAction *action,
                                  GVariant      *parameter,
                                  gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  /* GtkApplicationWindow loads gtk/help-overlay.ui from our resource base path
   * and installs win.show-help-overlay; this is the application-level entry. */
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
kwb_application_quit_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = g_list_copy_deep (gtk_application_get_windows (app),
                                     (GCopyFunc) g_object_ref, NULL);
  GList *rest;

  /* Closing (not destroying) each main window lets it save its size and
   * state, as its close button would. */
  for (GList *l = windows; l; l = l->next)
    {
      if (KWB_IS_WINDOW (l->data))
        gtk_window_close (l->data);
    }
  g_list_free_full (windows, g_object_unref);

  /* About and shortcut windows go too; the application quits with the last. */
  while ((rest = gtk_application_get_windows (app)) != NULL)
    gtk_window_destroy (rest->data);
}

static void
kwb_application_new_project_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  kwb_application_present_wizard (KWB_APPLICATION (user_data), NULL);
}

static void
kwb_application_open_folder (KwbApplication *self,
                             const char     *directory)
{
  if (!kwb_application_resume_wizard (self, directory))
    kwb_application_show_project (self, directory);
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  KwbApplication  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        kwb_application_open_folder (self, path);
    }
  g_object_unref (dialog);
}

static void
kwb_application_open_project_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (user_data));
  GtkFileChooserNative *dialog;

  /* No window has had the focus yet (just started): any of ours will do. */
  if (parent == NULL && windows != NULL)
    parent = windows->data;
  /* GtkFileDialog is GTK 4.10; Debian 12 has 4.8. */
  dialog = gtk_file_chooser_native_new (_("Open a Project Folder"), parent,
                                        GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), user_data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
kwb_application_open_recent_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  kwb_application_open_folder (KWB_APPLICATION (user_data), g_variant_get_string (parameter, NULL));
}

static void
kwb_application_project_settings_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  if (!KWB_IS_WINDOW (window) || !kwb_window_has_project (KWB_WINDOW (window)))
    return;
  gtk_window_present (GTK_WINDOW (kwb_project_settings_new (kwb_window_get_project (KWB_WINDOW (window)), window)));
}

/* Recent projects in the main window's primary menu: the template's
 * recent_projects_menu, filled here so kwb-window.c needs no code for it. */
static void
kwb_application_fill_recent_menu (GMenu *menu)
{
  g_auto(GStrv) recent = kwb_recent_projects_list ();

  g_menu_remove_all (menu);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "app.open-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (menu, item);
    }
}

static void
on_recent_projects_changed (GSettings  *settings,
                            const char *key,
                            GMenu      *menu)
{
  kwb_application_fill_recent_menu (menu);
}

/* win.open-location "FILE:LINE": what a build error row opens (the wizard's
 * and the build window's). Added to each main window's action map here, on
 * top of the window's public kwb_window_open_source(). */
static void
kwb_application_open_location (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  KwbWindow *window = KWB_WINDOW (user_data);
  const char *location = g_variant_get_string (parameter, NULL);
  const char *colon = strrchr (location, ':');
  g_autofree char *file = colon ? g_strndup (location, colon - location) : g_strdup (location);
  guint64 line = colon ? g_ascii_strtoull (colon + 1, NULL, 10) : 0;
  KwbSourceView *view = kwb_window_open_source (window, file);

  if (view != NULL && line > 0)
    kwb_source_view_scroll_to_line (view, (guint) line);
  gtk_window_present (GTK_WINDOW (window));
}

static void
kwb_application_window_added (GtkApplication *app,
                              GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (kwb_application_parent_class)->window_added (app, window);

  if (KWB_IS_WINDOW (window))
    {
      GObject *menu = gtk_widget_get_template_child (GTK_WIDGET (window), KWB_TYPE_WINDOW, "recent_projects_menu");
      GSettings *settings = kwb_recent_projects_get_settings ();

      g_autoptr(GSimpleAction) open_location = g_simple_action_new ("open-location", G_VARIANT_TYPE_STRING);

      g_signal_connect_object (open_location, "activate", G_CALLBACK (kwb_application_open_location), window, 0);
      g_action_map_add_action (G_ACTION_MAP (window), G_ACTION (open_location));
      if (G_IS_MENU (menu))
        {
          kwb_application_fill_recent_menu (G_MENU (menu));
          if (settings != NULL)
            g_signal_connect_object (settings, "changed::recent-projects",
                                     G_CALLBACK (on_recent_projects_changed), menu, 0);
        }
    }
}

static const GActionEntry app_actions[] = {
  { "new-project", kwb_application_new_project_action, NULL, NULL, NULL, { 0 } },
  { "open-project", kwb_application_open_project_action, NULL, NULL, NULL, { 0 } },
  { "open-recent", kwb_application_open_recent_action, "s", NULL, NULL, { 0 } },
  { "project-settings", kwb_application_project_settings_action, NULL, NULL, NULL, { 0 } },
  { "about", kwb_application_about_action, NULL, NULL, NULL, { 0 } },
  { "shortcuts", kwb_application_shortcuts_action, NULL, NULL, NULL, { 0 } },
  { "quit", kwb_application_quit_action, NULL, NULL, NULL, { 0 } },
};

static const struct {
  const char *action;
  const char *accels[3];
} app_accels[] = {
  { "app.shortcuts", { "<Control>question", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "app.new-project", { "<Control>n", NULL } },
  { "app.open-project", { "<Control>o", NULL } },
  { "app.project-settings", { "<Control>comma", NULL } },
  { "window.close", { "<Control>w", NULL } },
  /* Run controls: the keys of most debuggers (Visual Studio, VS Code, Builder). */
  { "win.continue", { "F5", NULL } },
  { "win.interrupt", { "<Control>F5", "Pause", NULL } },
  { "win.step", { "F11", NULL } },
  { "win.next", { "F10", NULL } },
  { "win.finish", { "<Shift>F11", NULL } },
  { "win.stop", { "<Shift>F5", NULL } },
  /* Backwards, in a replay: Alt+Shift and the forward key (GNOME keeps
   * Alt+F5 and Alt+F10 for the window itself); F12 for the way out. */
  { "win.reverse-continue", { "<Alt><Shift>F5", NULL } },
  { "win.reverse-step", { "<Alt><Shift>F11", NULL } },
  { "win.reverse-next", { "<Alt><Shift>F10", NULL } },
  { "win.reverse-finish", { "<Alt><Shift>F12", NULL } },
  { "win.start", { "<Control>r", NULL } },
  { "win.restart", { "<Control><Shift>F5", NULL } },
  { "win.toggle-breakpoint", { "F9", NULL } },
  { "win.run-to-cursor", { "<Control>F10", NULL } },
  { "win.quick-open", { "<Control>o", NULL } },
  { "win.find-in-console", { "<Control><Shift>f", NULL } },
  /* F9 toggles a breakpoint: the docks take it with a modifier. */
  { "win.show-start-dock", { "<Control>F9", NULL } },
  { "win.show-end-dock", { "<Shift>F9", NULL } },
  { "win.show-bottom-dock", { "<Control><Shift>F9", NULL } },
};

static void
kwb_application_startup (GApplication *app)
{
  static const char *no_accels[] = { NULL };

  G_APPLICATION_CLASS (kwb_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), app_accels[i].action,
                                           app_accels[i].accels);
  /* Ctrl+? belongs to app.shortcuts; GTK gives it to win.show-help-overlay too. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay", no_accels);

  /* Follow the desktop's dark/light preference. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
kwb_application_class_init (KwbApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->startup = kwb_application_startup;
  app_class->activate = kwb_application_activate;
  app_class->open = kwb_application_open;
  app_class->handle_local_options = kwb_application_handle_local_options;
  GTK_APPLICATION_CLASS (klass)->window_added = kwb_application_window_added;
}

static void
kwb_application_init (KwbApplication *self)
{
  static const GOptionEntry options[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
    { "last", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Open the project opened last (what the desktop launcher does)"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  /* Translators: the arguments in “kernel-workbench --help”. */
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[PROJECT_DIR…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Debug the Linux kernel under QEMU and GDB. Each PROJECT_DIR (made with “kwb init”) opens in a window."));
}
