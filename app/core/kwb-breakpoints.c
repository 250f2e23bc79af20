/* kwb-breakpoints.c — the session's breakpoints as a GListModel, in step with GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed with every `bkpt` GDB reports (command results and =breakpoint-*
 * notifications, including those of breakpoints typed in the GDB console), so
 * the sidebar shows what GDB really has. Breakpoints the session sets for its
 * own use (the module loader's) are registered as internal and never listed.
 * It also counts the debug registers in use, so a fifth hardware breakpoint
 * or watchpoint is refused when asked for, not when the guest continues.
 */
#include "config.h"

#include "kwb-breakpoints.h"

struct _KwbBreakpoints
{
  GObject     parent_instance;
  GPtrArray  *items;
  GHashTable *internal;
  guint       slots_used;
};

enum {
  PROP_0,
  PROP_HARDWARE_SLOTS_USED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KwbBreakpoints, kwb_breakpoints, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return KWB_TYPE_BREAKPOINT;
}

static guint
get_n_items (GListModel *model)
{
  return KWB_BREAKPOINTS (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  KwbBreakpoints *self = KWB_BREAKPOINTS (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
kwb_breakpoints_finalize (GObject *object)
{
  KwbBreakpoints *self = (KwbBreakpoints *) object;

  g_ptr_array_unref (self->items);
  g_hash_table_unref (self->internal);
  G_OBJECT_CLASS (kwb_breakpoints_parent_class)->finalize (object);
}

static void
kwb_breakpoints_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KwbBreakpoints *self = KWB_BREAKPOINTS (object);

  switch (prop_id)
    {
    case PROP_HARDWARE_SLOTS_USED: g_value_set_uint (value, self->slots_used); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_breakpoints_class_init (KwbBreakpointsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_breakpoints_finalize;
  object_class->get_property = kwb_breakpoints_get_property;
  properties[PROP_HARDWARE_SLOTS_USED] =
    g_param_spec_uint ("hardware-slots-used", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
recount_slots (KwbBreakpoints *self)
{
  guint used = 0;

  for (guint i = 0; i < self->items->len; i++)
    {
      KwbBreakpoint *bp = g_ptr_array_index (self->items, i);

      if (kwb_breakpoint_get_enabled (bp))
        used += kwb_breakpoint_get_hardware_slots (bp);
    }
  if (used == self->slots_used)
    return;
  self->slots_used = used;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDWARE_SLOTS_USED]);
}

static void
on_breakpoint_notify (KwbBreakpoint  *bp,
                      GParamSpec     *pspec,
                      KwbBreakpoints *self)
{
  recount_slots (self);
}

guint
kwb_breakpoints_get_hardware_slots_used (KwbBreakpoints *self)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), 0);
  return self->slots_used;
}

static void
kwb_breakpoints_init (KwbBreakpoints *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->internal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

KwbBreakpoints *
kwb_breakpoints_new (void)
{
  return g_object_new (KWB_TYPE_BREAKPOINTS, NULL);
}

static gboolean
find (KwbBreakpoints *self,
      const char     *number,
      guint          *position)
{
  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (kwb_breakpoint_get_number (g_ptr_array_index (self->items, i)), number) == 0)
      {
        *position = i;
        return TRUE;
      }
  return FALSE;
}

/* Numbers sort as GDB shows them: 2 before 10. */
static guint
insertion_point (KwbBreakpoints *self,
                 const char     *number)
{
  gint64 n = g_ascii_strtoll (number, NULL, 10);
  guint i;

  for (i = 0; i < self->items->len; i++)
    if (g_ascii_strtoll (kwb_breakpoint_get_number (g_ptr_array_index (self->items, i)), NULL, 10) > n)
      break;
  return i;
}

/* Adds or refreshes the breakpoint a `bkpt` tuple describes; returns it
 * (borrowed), or NULL for internal ones and tuples without a number. */
KwbBreakpoint *
kwb_breakpoints_update (KwbBreakpoints   *self,
                        const KwbMiValue *bkpt)
{
  const char *number;
  KwbBreakpoint *bp;
  guint position;

  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), NULL);
  g_return_val_if_fail (bkpt != NULL, NULL);

  number = kwb_mi_value_get_string (bkpt, "number");
  if (number == NULL || g_hash_table_contains (self->internal, number))
    return NULL;

  if (find (self, number, &position))
    {
      bp = g_ptr_array_index (self->items, position);
      kwb_breakpoint_update_from_mi (bp, bkpt);
      return bp;
    }

  bp = kwb_breakpoint_new_from_mi (bkpt);
  position = insertion_point (self, number);
  g_ptr_array_insert (self->items, position, bp);
  /* Only what changes the count: a hit-count update of every row at every
   * stop must not recount. */
  g_signal_connect_object (bp, "notify::enabled", G_CALLBACK (on_breakpoint_notify), self, 0);
  g_signal_connect_object (bp, "notify::hardware-slots", G_CALLBACK (on_breakpoint_notify), self, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  recount_slots (self);
  return bp;
}

gboolean
kwb_breakpoints_remove (KwbBreakpoints *self,
                        const char     *number)
{
  guint position;

  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), FALSE);

  g_hash_table_remove (self->internal, number);
  if (!find (self, number, &position))
    return FALSE;
  g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->items, position), on_breakpoint_notify, self);
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  recount_slots (self);
  return TRUE;
}

void
kwb_breakpoints_clear (KwbBreakpoints *self)
{
  guint n;

  g_return_if_fail (KWB_IS_BREAKPOINTS (self));

  n = self->items->len;
  for (guint i = 0; i < n; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->items, i), on_breakpoint_notify, self);
  g_ptr_array_set_size (self->items, 0);
  g_hash_table_remove_all (self->internal);
  if (n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
  recount_slots (self);
}

KwbBreakpoint *
kwb_breakpoints_lookup (KwbBreakpoints *self,
                        const char     *number)
{
  guint position;

  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), NULL);
  return find (self, number, &position) ? g_ptr_array_index (self->items, position) : NULL;
}

KwbBreakpoint *
kwb_breakpoints_find_line (KwbBreakpoints *self,
                           const char     *fullname,
                           guint           line)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      KwbBreakpoint *bp = g_ptr_array_index (self->items, i);

      if (kwb_breakpoint_get_line (bp) == line &&
          g_strcmp0 (kwb_breakpoint_get_fullname (bp), fullname) == 0)
        return bp;
    }
  return NULL;
}

void
kwb_breakpoints_add_internal (KwbBreakpoints *self,
                              const char     *number)
{
  g_return_if_fail (KWB_IS_BREAKPOINTS (self));

  g_hash_table_add (self->internal, g_strdup (number));
  kwb_breakpoints_remove (self, number);
  g_hash_table_add (self->internal, g_strdup (number));
}

gboolean
kwb_breakpoints_is_internal (KwbBreakpoints *self,
                             const char     *number)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINTS (self), FALSE);
  return number != NULL && g_hash_table_contains (self->internal, number);
}
