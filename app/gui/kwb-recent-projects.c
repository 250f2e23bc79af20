/* kwb-recent-projects.c — the recent and the last project folders, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Our own list rather than GtkRecentManager: that one records files for
 * every application, and a project is a folder that only we open.
 */
#include "config.h"

#include "kwb-project.h"
#include "kwb-recent-projects.h"

#define MAX_RECENT 10

/* NULL when the schema is not installed (running from the build tree
 * without meson devenv): then nothing is remembered, nothing aborts. */
GSettings *
kwb_recent_projects_get_settings (void)
{
  static GSettings *settings;
  static gboolean looked;

  if (!looked)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = source ? g_settings_schema_source_lookup (source, APP_BASE_ID, TRUE) : NULL;

      looked = TRUE;
      if (schema != NULL && g_settings_schema_has_key (schema, "recent-projects"))
        settings = g_settings_new_full (schema, NULL, NULL);
    }
  return settings;
}

void
kwb_recent_projects_add (const char *directory)
{
  GSettings *settings = kwb_recent_projects_get_settings ();
  g_autofree char *path = NULL;
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) list = NULL;
  g_auto(GStrv) result = NULL;
  guint n = 1;

  if (settings == NULL || directory == NULL)
    return;
  path = g_canonicalize_filename (directory, NULL);
  old = g_settings_get_strv (settings, "recent-projects");
  list = g_strv_builder_new ();
  g_strv_builder_add (list, path);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (list, old[i]);
        n++;
      }
  result = g_strv_builder_end (list);
  g_settings_delay (settings);
  g_settings_set_strv (settings, "recent-projects", (const char * const *) result);
  g_settings_set_string (settings, "last-project", path);
  g_settings_apply (settings);
}

/* The recent folders that still hold a project. */
char **
kwb_recent_projects_list (void)
{
  GSettings *settings = kwb_recent_projects_get_settings ();
  g_auto(GStrv) all = settings ? g_settings_get_strv (settings, "recent-projects") : NULL;
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();

  for (guint i = 0; all && all[i]; i++)
    {
      g_autofree char *file = g_build_filename (all[i], KWB_PROJECT_FILE_NAME, NULL);

      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        g_strv_builder_add (out, all[i]);
    }
  return g_strv_builder_end (out);
}

char *
kwb_recent_projects_dup_last (void)
{
  GSettings *settings = kwb_recent_projects_get_settings ();
  g_autofree char *last = settings ? g_settings_get_string (settings, "last-project") : NULL;

  return last && *last ? g_steal_pointer (&last) : NULL;
}
