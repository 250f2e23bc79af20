/* kwb-project-settings.c — Project Settings: the wizard's pages as a preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Edits the main window's own KwbProject, so its header follows at once.
 * Every change raises [project] pending-rebuild to what that key needs
 * (kwb_rebuild_for_key: initramfs only, kernel configuration, or
 * everything); the Build button reads it, and a finished build lowers it to
 * none.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-project-page.h"
#include "kwb-project-settings.h"
#include "kwb-setup.h"

struct _KwbProjectSettings
{
  AdwPreferencesWindow  parent_instance;

  KwbProject           *project;
};

G_DEFINE_FINAL_TYPE (KwbProjectSettings, kwb_project_settings, ADW_TYPE_PREFERENCES_WINDOW)

static void
on_project_changed (KwbProject         *project,
                    const char         *group,
                    const char         *key,
                    KwbProjectSettings *self)
{
  g_autofree char *word = kwb_project_dup_string (project, "project", "pending-rebuild");
  KwbRebuild pending = kwb_rebuild_from_string (word);
  KwbRebuild needed = kwb_rebuild_for_key (group, key);
  g_autoptr(GError) error = NULL;

  if (needed <= pending)
    return;
  kwb_project_set_string (project, "project", "pending-rebuild", kwb_rebuild_to_string (needed));
  if (!kwb_project_save (project, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  {
    /* Translators: %s is a button label such as “Rebuild Initramfs”. */
    g_autofree char *text = g_strdup_printf (_("Changed: press “%s” before the next session"),
                                             kwb_rebuild_describe (needed));

    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
  }
}

static void
kwb_project_settings_dispose (GObject *object)
{
  KwbProjectSettings *self = KWB_PROJECT_SETTINGS (object);

  if (self->project)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_project_settings_parent_class)->dispose (object);
}

static void
kwb_project_settings_class_init (KwbProjectSettingsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = kwb_project_settings_dispose;
}

static void
kwb_project_settings_init (KwbProjectSettings *self)
{
}

KwbProjectSettings *
kwb_project_settings_new (KwbProject *project,
                          GtkWindow  *parent)
{
  KwbProjectSettings *self;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = g_object_new (KWB_TYPE_PROJECT_SETTINGS,
                       "transient-for", parent,
                       "modal", TRUE,
                       "default-width", 760,
                       "default-height", 720,
                       "search-enabled", FALSE,
                       NULL);
  self->project = g_object_ref (project);
  name = kwb_project_dup_name (project);
  /* Translators: the window title, %s is the project's name. */
  title = g_strdup_printf (_("%s — Project Settings"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  for (guint i = 0; i < KWB_N_PROJECT_PAGES; i++)
    adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self),
                                ADW_PREFERENCES_PAGE (kwb_project_page_new (project, i)));
  /* Connected after the pages are built: filling them writes nothing, and
   * only what the user changes from here on needs a rebuild. */
  g_signal_connect_object (project, "changed", G_CALLBACK (on_project_changed), self, 0);
  return self;
}
