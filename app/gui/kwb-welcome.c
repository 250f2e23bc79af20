/* kwb-welcome.c — recent projects and the New / Open buttons, for windows without a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown in the main window's empty state and on the wizard's first page.
 * Buttons are actionable (app.new-project, app.open-project); a recent
 * row activates app.open-recent with its folder and emits
 * ::project-activated. KwbApplication implements the actions.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-recent-projects.h"
#include "kwb-welcome.h"

struct _KwbWelcome
{
  GtkBox      parent_instance;

  GtkWidget  *buttons;
  GtkWidget  *recent_title;
  GtkListBox *recent_list;
  GObject    *project;
};

G_DEFINE_FINAL_TYPE (KwbWelcome, kwb_welcome, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_SHOW_BUTTONS,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PROJECT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
kwb_welcome_fill (KwbWelcome *self)
{
  g_auto(GStrv) recent = kwb_recent_projects_list ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; recent[i] != NULL; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_autofree char *where = contract_home (recent[i]);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      /* Subtitles are markup in libadwaita 1.2 whatever use-markup says. */
      {
        g_autofree char *escaped = g_markup_escape_text (where, -1);

        adw_action_row_set_subtitle (row, escaped);
      }
      adw_action_row_add_suffix (row, gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data_full (G_OBJECT (row), "kwb-directory", g_strdup (recent[i]), g_free);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->recent_list, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (self->recent_title, recent[0] != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->recent_list), recent[0] != NULL);
}

/* Not an actionable row: GtkListBox then never emits row-activated, and the
 * owner (the wizard) wants to know. */
static void
on_row_activated (GtkListBox    *list,
                  GtkListBoxRow *row,
                  KwbWelcome    *self)
{
  const char *directory = g_object_get_data (G_OBJECT (row), "kwb-directory");

  if (directory == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "app.open-recent", "s", directory);
  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, directory);
}

static void
on_recent_changed (GSettings  *settings,
                   const char *key,
                   KwbWelcome *self)
{
  kwb_welcome_fill (self);
}

void
kwb_welcome_set_show_buttons (KwbWelcome *self,
                              gboolean    show_buttons)
{
  g_return_if_fail (KWB_IS_WELCOME (self));
  gtk_widget_set_visible (self->buttons, show_buttons);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_BUTTONS]);
}

static void
kwb_welcome_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KwbWelcome *self = KWB_WELCOME (object);

  switch (prop_id)
    {
    case PROP_SHOW_BUTTONS:
      g_value_set_boolean (value, gtk_widget_get_visible (self->buttons));
      break;
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_welcome_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SHOW_BUTTONS:
      kwb_welcome_set_show_buttons (KWB_WELCOME (object), g_value_get_boolean (value));
      break;
    case PROP_PROJECT:
      /* In the main window: shown only while it has no project. */
      g_set_object (&KWB_WELCOME (object)->project, g_value_get_object (value));
      gtk_widget_set_visible (GTK_WIDGET (object), KWB_WELCOME (object)->project == NULL);
      g_object_notify_by_pspec (object, properties[PROP_PROJECT]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void kwb_welcome_dispose (GObject *object);

static void
kwb_welcome_class_init (KwbWelcomeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_welcome_dispose;
  object_class->get_property = kwb_welcome_get_property;
  object_class->set_property = kwb_welcome_set_property;

  properties[PROP_SHOW_BUTTONS] =
    g_param_spec_boolean ("show-buttons", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbWelcome::project-activated:
   * @directory: the recent project the user chose (already being opened)
   */
  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kwb_welcome_dispose (GObject *object)
{
  g_clear_object (&KWB_WELCOME (object)->project);
  G_OBJECT_CLASS (kwb_welcome_parent_class)->dispose (object);
}

static void
kwb_welcome_init (KwbWelcome *self)
{
  GtkWidget *button;
  GSettings *settings = kwb_recent_projects_get_settings ();

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);
  gtk_widget_set_name (GTK_WIDGET (self), "welcome");

  self->buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (self->buttons, GTK_ALIGN_CENTER);
  button = gtk_button_new_with_mnemonic (_("_New Project…"));
  gtk_widget_set_name (button, "new_project_button");
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.new-project");
  gtk_box_append (GTK_BOX (self->buttons), button);
  button = gtk_button_new_with_mnemonic (_("_Open Project…"));
  gtk_widget_set_name (button, "open_project_button");
  gtk_widget_add_css_class (button, "pill");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "app.open-project");
  gtk_box_append (GTK_BOX (self->buttons), button);
  gtk_box_append (GTK_BOX (self), self->buttons);

  self->recent_title = gtk_label_new (_("Recent Projects"));
  gtk_widget_add_css_class (self->recent_title, "heading");
  gtk_widget_set_halign (self->recent_title, GTK_ALIGN_START);
  gtk_widget_set_margin_top (self->recent_title, 12);
  gtk_box_append (GTK_BOX (self), self->recent_title);
  self->recent_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->recent_list), "recent_list");
  gtk_list_box_set_selection_mode (self->recent_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->recent_list), "boxed-list");
  g_signal_connect_object (self->recent_list, "row-activated", G_CALLBACK (on_row_activated), self, 0);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->recent_list));

  if (settings != NULL)
    g_signal_connect_object (settings, "changed::recent-projects", G_CALLBACK (on_recent_changed), self, 0);
  kwb_welcome_fill (self);
}

GtkWidget *
kwb_welcome_new (void)
{
  return g_object_new (KWB_TYPE_WELCOME, NULL);
}
