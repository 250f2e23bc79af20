/* kwb-config-option-row.c — a switch for one kernel debug option, kept in [kernel] extra-config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The debug layer asks for CONFIG_"symbol"="value" on every build. On, the
 * row leaves [kernel] extra-config without a line about the option; off, it
 * adds the opposite line there, which undoes the layer's choice. A
 * KwbProjectRow always bound to that key; the switch is named debug_SYMBOL.
 */
#include "config.h"

#include "kwb-config-option-row.h"

struct _KwbConfigOptionRow
{
  KwbProjectRow  parent_instance;

  char          *symbol;
  char          *value;     /* what the debug layer asks for */
  GtkSwitch     *toggle;
};

G_DEFINE_FINAL_TYPE (KwbConfigOptionRow, kwb_config_option_row, KWB_TYPE_PROJECT_ROW)

enum {
  PROP_0,
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

static GStrv
dup_extra_config (KwbConfigOptionRow *self)
{
  return kwb_project_dup_string_list (kwb_project_row_get_project (KWB_PROJECT_ROW (self)), "kernel", "extra-config");
}

static void
on_active (KwbConfigOptionRow *self)
{
  g_autofree char *prefix = NULL;
  g_autofree char *line = NULL;
  g_auto(GStrv) extra = NULL;
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  if (kwb_project_row_is_loading (KWB_PROJECT_ROW (self)) || kwb_project_row_get_project (KWB_PROJECT_ROW (self)) == NULL)
    return;
  prefix = g_strdup_printf ("CONFIG_%s=", self->symbol);
  extra = dup_extra_config (self);
  for (guint i = 0; extra && extra[i]; i++)
    if (!g_str_has_prefix (extra[i], prefix))
      g_strv_builder_add (out, extra[i]);
  if (!gtk_switch_get_active (self->toggle))
    {
      line = opposite_line (self);
      g_strv_builder_add (out, line);
    }
  result = g_strv_builder_end (out);
  kwb_project_row_save_list (KWB_PROJECT_ROW (self), (const char * const *) result);
}

static void
kwb_config_option_row_load (KwbProjectRow *row)
{
  KwbConfigOptionRow *self = KWB_CONFIG_OPTION_ROW (row);
  g_autofree char *line = opposite_line (self);
  g_auto(GStrv) extra = dup_extra_config (self);

  gtk_switch_set_active (self->toggle, !(extra && g_strv_contains ((const char * const *) extra, line)));
}

static void
kwb_config_option_row_finalize (GObject *object)
{
  KwbConfigOptionRow *self = KWB_CONFIG_OPTION_ROW (object);

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
    case PROP_SYMBOL:
      {
        g_autofree char *name = NULL;

        g_free (self->symbol);
        self->symbol = g_value_dup_string (value);
        name = g_strdup_printf ("debug_%s", self->symbol);
        gtk_widget_set_name (GTK_WIDGET (self->toggle), name);
      }
      break;
    case PROP_VALUE:
      g_free (self->value);
      self->value = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_config_option_row_class_init (KwbConfigOptionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_config_option_row_finalize;
  object_class->get_property = kwb_config_option_row_get_property;
  object_class->set_property = kwb_config_option_row_set_property;
  KWB_PROJECT_ROW_CLASS (klass)->load = kwb_config_option_row_load;

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
  kwb_project_row_set_key (KWB_PROJECT_ROW (self), "kernel", "extra-config");
}
