/* kwb-project-switch-row.c — a row that edits one project key with a switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A boolean key of KwbProject ("group", "key"), shown and saved as the user
 * flips it, as gnome-text-editor's preference rows are bound to a GSettings
 * key. The page's .ui binds "project" to the page's own. The switch is named
 * KEY_switch (dashes as underscores): how tests and Project Settings' users
 * of gtk_widget_get_name find it.
 */
#include "config.h"

#include "kwb-project-page-private.h"
#include "kwb-project-switch-row.h"

struct _KwbProjectSwitchRow
{
  AdwActionRow  parent_instance;

  KwbProject   *project;
  char         *group;
  char         *key;
  GtkSwitch    *toggle;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (KwbProjectSwitchRow, kwb_project_switch_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_GROUP,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_active (KwbProjectSwitchRow *self)
{
  if (self->loading || self->project == NULL)
    return;
  kwb_project_row_write (GTK_WIDGET (self), self->project, self->group, self->key,
                         gtk_switch_get_active (self->toggle) ? "true" : "false");
}

static void
load (KwbProjectSwitchRow *self)
{
  g_autofree char *name = NULL;

  if (self->group == NULL || self->key == NULL)
    return;
  name = g_strdup_printf ("%s_switch", self->key);
  g_strdelimit (name, "-", '_');
  gtk_widget_set_name (GTK_WIDGET (self->toggle), name);
  if (self->project == NULL)
    return;
  self->loading = TRUE;
  gtk_switch_set_active (self->toggle, kwb_project_get_boolean (self->project, self->group, self->key));
  self->loading = FALSE;
}

static void
kwb_project_switch_row_finalize (GObject *object)
{
  KwbProjectSwitchRow *self = KWB_PROJECT_SWITCH_ROW (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->key, g_free);
  G_OBJECT_CLASS (kwb_project_switch_row_parent_class)->finalize (object);
}

static void
kwb_project_switch_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KwbProjectSwitchRow *self = KWB_PROJECT_SWITCH_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_switch_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KwbProjectSwitchRow *self = KWB_PROJECT_SWITCH_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_set_object (&self->project, g_value_get_object (value));
      break;
    case PROP_GROUP:
      g_free (self->group);
      self->group = g_value_dup_string (value);
      break;
    case PROP_KEY:
      g_free (self->key);
      self->key = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  load (self);
}

static void
kwb_project_switch_row_class_init (KwbProjectSwitchRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_project_switch_row_finalize;
  object_class->get_property = kwb_project_switch_row_get_property;
  object_class->set_property = kwb_project_switch_row_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_project_switch_row_init (KwbProjectSwitchRow *self)
{
  self->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->toggle), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  g_signal_connect_object (self->toggle, "notify::active", G_CALLBACK (on_active), self, G_CONNECT_SWAPPED);
}
