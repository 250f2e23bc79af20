/* kwb-register.c — one CPU register of the stopped guest and its value
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value is GDB's text in hexadecimal ("0xffffffff81000000"; a vector
 * register is a brace list): shown as it is, never computed with. The
 * number is GDB's own numbering for the architecture, which is how MI
 * names a register and differs from one architecture to the next.
 */
#include "config.h"

#include "kwb-register.h"

struct _KwbRegister
{
  GObject  parent_instance;
  guint    number;
  char    *name;
  char    *value;
};

G_DEFINE_FINAL_TYPE (KwbRegister, kwb_register, G_TYPE_OBJECT)

enum { PROP_0, PROP_NUMBER, PROP_NAME, PROP_VALUE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kwb_register_finalize (GObject *object)
{
  KwbRegister *self = (KwbRegister *) object;

  g_free (self->name);
  g_free (self->value);
  G_OBJECT_CLASS (kwb_register_parent_class)->finalize (object);
}

static void
kwb_register_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KwbRegister *self = KWB_REGISTER (object);

  switch (prop_id)
    {
    case PROP_NUMBER: g_value_set_uint (value, self->number); break;
    case PROP_NAME: g_value_set_string (value, self->name); break;
    case PROP_VALUE: g_value_set_string (value, self->value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_register_class_init (KwbRegisterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_register_finalize;
  object_class->get_property = kwb_register_get_property;
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_register_init (KwbRegister *self)
{
}

KwbRegister *
kwb_register_new (guint       number,
                  const char *name,
                  const char *value)
{
  KwbRegister *self = g_object_new (KWB_TYPE_REGISTER, NULL);

  self->number = number;
  self->name = g_strdup (name);
  self->value = g_strdup (value);
  return self;
}

guint kwb_register_get_number (KwbRegister *self) { return self->number; }
const char *kwb_register_get_name (KwbRegister *self) { return self->name; }
const char *kwb_register_get_value (KwbRegister *self) { return self->value; }
