/* kwb-variable.c — one local variable or argument of a stack frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the frames panel lists for the selected frame. The value is NULL
 * for a struct, union or array: GDB is asked for simple values only, so a
 * large kernel structure does not cross the pipe on every stop; the type
 * then says what it is.
 */
#include "config.h"

#include "kwb-variable.h"

struct _KwbVariable
{
  GObject   parent_instance;
  char     *name;
  char     *type;
  char     *value;
  gboolean  is_argument;
};

G_DEFINE_FINAL_TYPE (KwbVariable, kwb_variable, G_TYPE_OBJECT)

enum { PROP_0, PROP_NAME, PROP_TYPE_NAME, PROP_VALUE, PROP_IS_ARGUMENT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kwb_variable_finalize (GObject *object)
{
  KwbVariable *self = (KwbVariable *) object;

  g_free (self->name);
  g_free (self->type);
  g_free (self->value);
  G_OBJECT_CLASS (kwb_variable_parent_class)->finalize (object);
}

static void
kwb_variable_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KwbVariable *self = KWB_VARIABLE (object);

  switch (prop_id)
    {
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_TYPE_NAME: g_value_set_string (value, self->type); break;
    case PROP_VALUE: g_value_set_string (value, self->value); break;
    case PROP_IS_ARGUMENT: g_value_set_boolean (value, self->is_argument); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_variable_class_init (KwbVariableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_variable_finalize;
  object_class->get_property = kwb_variable_get_property;
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_TYPE_NAME] = g_param_spec_string ("type-name", NULL, NULL, NULL, flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  properties[PROP_IS_ARGUMENT] = g_param_spec_boolean ("is-argument", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_variable_init (KwbVariable *self)
{
}

KwbVariable *
kwb_variable_new (const char *name,
                  const char *type,
                  const char *value,
                  gboolean    is_argument)
{
  KwbVariable *self = g_object_new (KWB_TYPE_VARIABLE, NULL);

  self->name = g_strdup (name);
  self->type = g_strdup (type);
  self->value = g_strdup (value);
  self->is_argument = !!is_argument;
  return self;
}

const char *kwb_variable_get_name (KwbVariable *self) { return self->name; }
const char *kwb_variable_get_type_name (KwbVariable *self) { return self->type; }
const char *kwb_variable_get_value (KwbVariable *self) { return self->value; }
gboolean kwb_variable_get_is_argument (KwbVariable *self) { return self->is_argument; }
