/* kwb-instruction.c — one disassembled machine instruction
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the disassembly view shows when a stop or a frame has no source
 * line: the address, the function it belongs to (NULL outside any known
 * function) with the byte offset into it, and GDB's text of the
 * instruction ("mov    %rsp,%rbp").
 */
#include "config.h"

#include "kwb-instruction.h"

struct _KwbInstruction
{
  GObject  parent_instance;
  guint64  address;
  char    *function;
  guint    offset;
  char    *text;
};

G_DEFINE_FINAL_TYPE (KwbInstruction, kwb_instruction, G_TYPE_OBJECT)

enum { PROP_0, PROP_ADDRESS, PROP_FUNCTION, PROP_OFFSET, PROP_TEXT, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kwb_instruction_finalize (GObject *object)
{
  KwbInstruction *self = (KwbInstruction *) object;

  g_free (self->function);
  g_free (self->text);
  G_OBJECT_CLASS (kwb_instruction_parent_class)->finalize (object);
}

static void
kwb_instruction_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KwbInstruction *self = KWB_INSTRUCTION (object);

  switch (prop_id)
    {
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_FUNCTION: g_value_set_string (value, self->function); break;
    case PROP_OFFSET: g_value_set_uint (value, self->offset); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_instruction_class_init (KwbInstructionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_instruction_finalize;
  object_class->get_property = kwb_instruction_get_property;
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_FUNCTION] = g_param_spec_string ("function", NULL, NULL, NULL, flags);
  properties[PROP_OFFSET] = g_param_spec_uint ("offset", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_instruction_init (KwbInstruction *self)
{
}

KwbInstruction *
kwb_instruction_new (guint64     address,
                     const char *function,
                     guint       offset,
                     const char *text)
{
  KwbInstruction *self = g_object_new (KWB_TYPE_INSTRUCTION, NULL);

  self->address = address;
  self->function = g_strdup (function);
  self->offset = offset;
  self->text = g_strdup (text);
  return self;
}

guint64 kwb_instruction_get_address (KwbInstruction *self) { return self->address; }
const char *kwb_instruction_get_function (KwbInstruction *self) { return self->function; }
guint kwb_instruction_get_offset (KwbInstruction *self) { return self->offset; }
const char *kwb_instruction_get_text (KwbInstruction *self) { return self->text; }
