/* kwb-project-spin-row.c — a row that edits one project key with a spin button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For an integer key, saved as it changes (see KwbProjectRow); its range
 * comes from the project's key table, "step" is what one click adds. The
 * spin button is named KEY_spin (dashes as underscores).
 */
#include "config.h"

#include "kwb-project-spin-row.h"

struct _KwbProjectSpinRow
{
  KwbProjectRow  parent_instance;

  GtkSpinButton *spin;
  double         step;
};

G_DEFINE_FINAL_TYPE (KwbProjectSpinRow, kwb_project_spin_row, KWB_TYPE_PROJECT_ROW)

enum {
  PROP_0,
  PROP_STEP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_value_changed (KwbProjectSpinRow *self)
{
  g_autofree char *text = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (self->spin));

  kwb_project_row_save (KWB_PROJECT_ROW (self), text);
}

static void
kwb_project_spin_row_load (KwbProjectRow *row)
{
  KwbProjectSpinRow *self = KWB_PROJECT_SPIN_ROW (row);
  const char *group = kwb_project_row_get_group (row);
  const char *key = kwb_project_row_get_key (row);
  const KwbProjectKey *k = kwb_project_lookup_key (group, key);
  g_autofree char *name = kwb_project_row_dup_control_name (row, "spin");

  g_return_if_fail (k != NULL);
  gtk_widget_set_name (GTK_WIDGET (self->spin), name);
  /* A spin button wider than a row for a huge maximum helps no one. */
  gtk_spin_button_set_range (self->spin, k->min, MIN (k->max, 262144));
  gtk_spin_button_set_increments (self->spin, self->step, self->step * 10);
  gtk_spin_button_set_value (self->spin, kwb_project_get_int (kwb_project_row_get_project (row), group, key));
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
    case PROP_STEP:
      self->step = g_value_get_double (value);
      gtk_spin_button_set_increments (self->spin, self->step, self->step * 10);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_spin_row_class_init (KwbProjectSpinRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = kwb_project_spin_row_get_property;
  object_class->set_property = kwb_project_spin_row_set_property;
  KWB_PROJECT_ROW_CLASS (klass)->load = kwb_project_spin_row_load;

  properties[PROP_STEP] =
    g_param_spec_double ("step", NULL, NULL, 1, G_MAXINT, 1,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
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
