/* kwb-config-option-row.c — a switch for one kernel debug option, kept in [kernel] extra-config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The debug layer asks for CONFIG_"symbol"="value" on every build. On, the
 * row leaves [kernel] extra-config without a line about the option; off, it
 * adds the opposite line there, which undoes the layer's choice. Like the
 * KwbProjectSwitchRow, its "project" is bound to the page's own; the switch
 * is named debug_SYMBOL.
 */
#include "config.h"

#include "kwb-config-option-row.h"
#include "kwb-project-page-private.h"

struct _KwbConfigOptionRow
{
  AdwActionRow  parent_instance;

  KwbProject   *project;
  char         *symbol;
  char         *value;     /* what the debug layer asks for */
  GtkSwitch    *toggle;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (KwbConfigOptionRow, kwb_config_option_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_SYMBOL,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
opposite_line (KwbConfigOptionRow *self)
{
  return g_strdup_printf ("CONFIG_%s=%s", self->symbol, g_strcmp0 (self->value, "y") == 0 ? "n" : "y");
}

static void
on_active (KwbConfigOptionRow *self)
{
  g_autofree char *prefix = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) extra = NULL;
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  if (self->loading || self->project == NULL || self->symbol == NULL)
    return;
  prefix = g_strdup_printf ("CONFIG_%s=", self->symbol);
  extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
  for (guint i = 0; extra && extra[i]; i++)
    if (!g_str_has_prefix (extra[i], prefix))
      g_strv_builder_add (out, extra[i]);
  if (!gtk_switch_get_active (self->toggle))
    {
      line = opposite_line (self);
      g_strv_builder_add (out, line);
    }
  result = g_strv_builder_end (out);
  kwb_project_row_write_list (GTK_WIDGET (self), self->project, "kernel", "extra-config",
                              (const char * const *) result);
}

static void
load (KwbConfigOptionRow *self)
{
  g_autofree char *name = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) extra = NULL;

  if (self->symbol == NULL)
    return;
  name = g_strdup_printf ("debug_%s", self->symbol);
  gtk_widget_set_name (GTK_WIDGET (self->toggle), name);
  if (self->project == NULL || self->value == NULL)
    return;
  line = opposite_line (self);
  extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
  self->loading = TRUE;
  gtk_switch_set_active (self->toggle, !(extra && g_strv_contains ((const char * const *) extra, line)));
  self->loading = FALSE;
}

static void
kwb_config_option_row_finalize (GObject *object)
{
  KwbConfigOptionRow *self = KWB_CONFIG_OPTION_ROW (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->symbol, g_free);
  g_clear_pointer (&self->value, g_free);
  G_OBJECT_CLASS (kwb_config_option_row_parent_class)->finalize (object);
}

static void
kwb_config_option_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  KwbConfigOptionRow *self = KWB_CONFIG_OPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_SYMBOL:
      g_value_set_string (value, self->symbol);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_config_option_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  KwbConfigOptionRow *self = KWB_CONFIG_OPTION_ROW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_set_object (&self->project, g_value_get_object (value));
      break;
    case PROP_SYMBOL:
      g_free (self->symbol);
      self->symbol = g_value_dup_string (value);
      break;
    case PROP_VALUE:
      g_free (self->value);
      self->value = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  load (self);
}

static void
kwb_config_option_row_class_init (KwbConfigOptionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_config_option_row_finalize;
  object_class->get_property = kwb_config_option_row_get_property;
  object_class->set_property = kwb_config_option_row_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYMBOL] =
    g_param_spec_string ("symbol", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, "y",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_config_option_row_init (KwbConfigOptionRow *self)
{
  self->toggle = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (self->toggle), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self), GTK_WIDGET (self->toggle));
  g_signal_connect_object (self->toggle, "notify::active", G_CALLBACK (on_active), self, G_CONNECT_SWAPPED);
}
