/* kwb-frame.c — one stack frame of the stopped guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fullname is the file as it exists on this machine (after the session's
 * source-path mapping), so a widget can open it without knowing about
 * build-machine paths.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-frame.h"

/* x86-64 splits the canonical address space in two halves: the kernel has
 * the one with the top bit set, user space the other (the syscall entry or
 * a user stack GDB unwound into). Where each half begins depends on the
 * paging depth: 0xffff800000000000 with 4 levels, 0xff00000000000000 with
 * 5 (QEMU's -cpu max has la57, and a 5-level kernel maps its direct map at
 * 0xff11…), so the top bit is what tells them apart. */
#define KERNEL_SPACE_START G_GUINT64_CONSTANT (0x8000000000000000)

struct _KwbFrame
{
  GObject  parent_instance;
  guint    level;
  char    *function;
  char    *file;
  char    *fullname;
  guint    line;
  guint64  address;
};

G_DEFINE_FINAL_TYPE (KwbFrame, kwb_frame, G_TYPE_OBJECT)

enum { PROP_0, PROP_LEVEL, PROP_FUNCTION, PROP_FILE, PROP_FULLNAME, PROP_LINE, PROP_ADDRESS, PROP_USER_SPACE, N_PROPS };
static GParamSpec *properties[N_PROPS];

static void
kwb_frame_finalize (GObject *object)
{
  KwbFrame *self = (KwbFrame *) object;

  g_free (self->function);
  g_free (self->file);
  g_free (self->fullname);
  G_OBJECT_CLASS (kwb_frame_parent_class)->finalize (object);
}

static void
kwb_frame_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  KwbFrame *self = KWB_FRAME (object);

  switch (prop_id)
    {
    case PROP_LEVEL: g_value_set_uint (value, self->level); break;
    case PROP_FUNCTION: g_value_set_string (value, self->function); break;
    case PROP_FILE: g_value_set_string (value, self->file); break;
    case PROP_FULLNAME: g_value_set_string (value, self->fullname); break;
    case PROP_LINE: g_value_set_uint (value, self->line); break;
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_USER_SPACE: g_value_set_boolean (value, kwb_frame_is_user_space (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_frame_class_init (KwbFrameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_frame_finalize;
  object_class->get_property = kwb_frame_get_property;
  properties[PROP_LEVEL] = g_param_spec_uint ("level", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FUNCTION] = g_param_spec_string ("function", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  properties[PROP_FULLNAME] = g_param_spec_string ("fullname", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_USER_SPACE] = g_param_spec_boolean ("user-space", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_frame_init (KwbFrame *self)
{
}

KwbFrame *
kwb_frame_new (guint       level,
               const char *function,
               const char *file,
               const char *fullname,
               guint       line,
               guint64     address)
{
  KwbFrame *self = g_object_new (KWB_TYPE_FRAME, NULL);

  self->level = level;
  self->function = g_strdup (function);
  self->file = g_strdup (file);
  self->fullname = g_strdup (fullname);
  self->line = line;
  self->address = address;
  return self;
}

guint kwb_frame_get_level (KwbFrame *self) { return self->level; }
const char *kwb_frame_get_function (KwbFrame *self) { return self->function; }
const char *kwb_frame_get_file (KwbFrame *self) { return self->file; }
const char *kwb_frame_get_fullname (KwbFrame *self) { return self->fullname; }
guint kwb_frame_get_line (KwbFrame *self) { return self->line; }
guint64 kwb_frame_get_address (KwbFrame *self) { return self->address; }

/**
 * kwb_address_is_user_space:
 *
 * Returns: TRUE when ADDR lies in the user half of the x86-64 address
 * space, with 4- or 5-level paging.
 */
gboolean
kwb_address_is_user_space (guint64 addr)
{
  return addr < KERNEL_SPACE_START;
}

/**
 * kwb_frame_has_symbol:
 *
 * Whether GDB named the frame's function (its MI says func="??" where it
 * knows no symbol).
 */
gboolean
kwb_frame_has_symbol (KwbFrame *self)
{
  g_return_val_if_fail (KWB_IS_FRAME (self), FALSE);
  return self->function != NULL && *self->function != '\0' && g_strcmp0 (self->function, "??") != 0;
}

/**
 * kwb_frame_is_user_space:
 *
 * A frame GDB found no symbol for, at an address below the kernel's: the
 * user program the kernel was entered from, whose symbols GDB does not have.
 */
gboolean
kwb_frame_is_user_space (KwbFrame *self)
{
  g_return_val_if_fail (KWB_IS_FRAME (self), FALSE);
  return !kwb_frame_has_symbol (self) && kwb_address_is_user_space (self->address);
}

/**
 * kwb_frame_dup_display_name:
 *
 * What a backtrace shows for the frame: its function, "user space" for a
 * user-space frame, or "??" as GDB says for a kernel address without a symbol.
 */
char *
kwb_frame_dup_display_name (KwbFrame *self)
{
  g_return_val_if_fail (KWB_IS_FRAME (self), NULL);
  if (kwb_frame_has_symbol (self))
    return g_strdup (self->function);
  return g_strdup (kwb_frame_is_user_space (self) ? _("user space") : "??");
}
