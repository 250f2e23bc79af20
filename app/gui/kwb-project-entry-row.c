/* kwb-project-entry-row.c — a row that edits one project key with an entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A free-text key of KwbProject ("group", "key": a command line, a
 * function name), saved as it is typed. Like KwbProjectSwitchRow, its
 * "project" is bound to the page's own; the row is named KEY_entry (dashes
 * as underscores). Values that need checking first (paths) are not for this
 * row: the page checks them and writes them itself.
 */
#include "config.h"

#include "kwb-project-page-private.h"
#include "kwb-project-entry-row.h"

struct _KwbProjectEntryRow
{
  AdwEntryRow   parent_instance;

  KwbProject   *project;
  char         *group;
  char         *key;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (KwbProjectEntryRow, kwb_project_entry_row, ADW_TYPE_ENTRY_ROW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_GROUP,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_changed (GtkEditable *editable,
            gpointer     user_data)
{
  KwbProjectEntryRow *self = KWB_PROJECT_ENTRY_ROW (editable);

  if (self->loading || self->project == NULL)
    return;
  kwb_project_row_write (GTK_WIDGET (self), self->project, self->group, self->key,
                         gtk_editable_get_text (GTK_EDITABLE (self)));
}

static void
load (KwbProjectEntryRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  if (self->group == NULL || self->key == NULL)
    return;
  name = g_strdup_printf ("%s_entry", self->key);
  g_strdelimit (name, "-", '_');
  gtk_widget_set_name (GTK_WIDGET (self), name);
  if (self->project == NULL)
    return;
  value = kwb_project_dup_string (self->project, self->group, self->key);
  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self), value ? value : "");
  self->loading = FALSE;
}

static void
kwb_project_entry_row_finalize (GObject *object)
{
  KwbProjectEntryRow *self = KWB_PROJECT_ENTRY_ROW (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->key, g_free);
  G_OBJECT_CLASS (kwb_project_entry_row_parent_class)->finalize (object);
}

static void
kwb_project_entry_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KwbProjectEntryRow *self = KWB_PROJECT_ENTRY_ROW (object);

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
kwb_project_entry_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KwbProjectEntryRow *self = KWB_PROJECT_ENTRY_ROW (object);

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
kwb_project_entry_row_class_init (KwbProjectEntryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_project_entry_row_finalize;
  object_class->get_property = kwb_project_entry_row_get_property;
  object_class->set_property = kwb_project_entry_row_set_property;

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
kwb_project_entry_row_init (KwbProjectEntryRow *self)
{
  g_signal_connect (self, "changed", G_CALLBACK (on_changed), NULL);
}
