/* kwb-project-spin-row.c — a row that edits one project key with a spin button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An integer key of KwbProject ("group", "key"), saved as it changes; its
 * range comes from the project's key table, "step" is what one click adds.
 * Like KwbProjectSwitchRow, its "project" is bound to the page's own, and
 * the spin button is named KEY_spin (dashes as underscores).
 */
#include "config.h"

#include "kwb-project-page-private.h"
#include "kwb-project-spin-row.h"

struct _KwbProjectSpinRow
{
  AdwActionRow  parent_instance;

  KwbProject   *project;
  char         *group;
  char         *key;
  GtkSpinButton *spin;
  double        step;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (KwbProjectSpinRow, kwb_project_spin_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_GROUP,
  PROP_KEY,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_value_changed (KwbProjectSpinRow *self)
{
  g_autofree char *text = NULL;

  if (self->loading || self->project == NULL)
    return;
  text = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->spin));
  kwb_project_row_write (GTK_WIDGET (self), self->project, self->group, self->key, text);
}

static void
load (KwbProjectSpinRow *self)
{
  const KwbProjectKey *k;
  g_autofree char *name = NULL;

  if (self->group == NULL || self->key == NULL)
    return;
  k = kwb_project_lookup_key (self->group, self->key);
  g_return_if_fail (k != NULL);
  name = g_strdup_printf ("%s_spin", self->key);
  g_strdelimit (name, "-", '_');
  gtk_widget_set_name (GTK_WIDGET (self->spin), name);
  self->loading = TRUE;
  /* A spin button wider than a row for a huge maximum helps no one. */
  gtk_spin_button_set_range (self->spin, k->min, MIN (k->max, 262144));
  gtk_spin_button_set_increments (self->spin, self->step, self->step * 10);
  if (self->project != NULL)
    gtk_spin_button_set_value (self->spin, kwb_project_get_int (self->project, self->group, self->key));
  self->loading = FALSE;
}

static void
kwb_project_spin_row_finalize (GObject *object)
{
  KwbProjectSpinRow *self = KWB_PROJECT_SPIN_ROW (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->group, g_free);
  g_clear_pointer (&self->key, g_free);
  G_OBJECT_CLASS (kwb_project_spin_row_parent_class)->finalize (object);
}

static void
kwb_project_spin_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  KwbProjectSpinRow *self = KWB_PROJECT_SPIN_ROW (object);

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
    case PROP_STEP:
      g_value_set_double (value, self->step);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_spin_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  KwbProjectSpinRow *self = KWB_PROJECT_SPIN_ROW (object);

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
    case PROP_STEP:
      self->step = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  load (self);
}

static void
kwb_project_spin_row_class_init (KwbProjectSpinRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_project_spin_row_finalize;
  object_class->get_property = kwb_project_spin_row_get_property;
  object_class->set_property = kwb_project_spin_row_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_double ("step", NULL, NULL, 1, G_MAXINT, 1,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_project_spin_row_init (KwbProjectSpinRow *self)
{
  self->step = 1;
  self->spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, 1, 1));
  gtk_widget_set_valign (GTK_WIDGET (self->spin), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->spin));
  g_signal_connect_object (self->spin, "value-changed", G_CALLBACK (on_value_changed), self, G_CONNECT_SWAPPED);
}
