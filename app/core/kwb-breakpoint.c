/* kwb-breakpoint.c — one breakpoint as GDB reports it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built from and updated by the `bkpt` tuple of -break-insert results and
 * =breakpoint-created/-modified notifications, so GDB stays the one source of
 * truth. Properties notify only when a value really changes, which keeps the
 * sidebar rows from flickering on every hit-count update of other rows.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-breakpoint.h"
#include "kwb-enums.h"

struct _KwbBreakpoint
{
  GObject  parent_instance;
  char    *number;
  char    *location;
  char    *file;
  char    *fullname;
  char    *function;
  char    *condition;
  char    *expression;
  char    *value;
  KwbBreakpointKind kind;
  guint    watch_slots;
  guint64  address;
  guint    line;
  guint    hit_count;
  guint    lost_hits;  /* GDB counted them, the CPU never left: see kwb_breakpoint_discount_hit() */
  guint    n_locations;
  guint    enabled : 1;
  guint    pending : 1;
  guint    hardware : 1;
};

G_DEFINE_FINAL_TYPE (KwbBreakpoint, kwb_breakpoint, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_LOCATION,
  PROP_FILE,
  PROP_FULLNAME,
  PROP_LINE,
  PROP_FUNCTION,
  PROP_ADDRESS,
  PROP_ENABLED,
  PROP_HIT_COUNT,
  PROP_PENDING,
  PROP_HARDWARE,
  PROP_CONDITION,
  PROP_KIND,
  PROP_EXPRESSION,
  PROP_HARDWARE_SLOTS,
  PROP_VALUE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
kwb_breakpoint_finalize (GObject *object)
{
  KwbBreakpoint *self = (KwbBreakpoint *) object;

  g_free (self->number);
  g_free (self->location);
  g_free (self->file);
  g_free (self->fullname);
  g_free (self->function);
  g_free (self->condition);
  g_free (self->expression);
  g_free (self->value);
  G_OBJECT_CLASS (kwb_breakpoint_parent_class)->finalize (object);
}

static void
kwb_breakpoint_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  KwbBreakpoint *self = KWB_BREAKPOINT (object);

  switch (prop_id)
    {
    case PROP_NUMBER: g_value_set_string (value, self->number); break;
    case PROP_LOCATION: g_value_set_string (value, self->location); break;
    case PROP_FILE: g_value_set_string (value, self->file); break;
    case PROP_FULLNAME: g_value_set_string (value, self->fullname); break;
    case PROP_LINE: g_value_set_uint (value, self->line); break;
    case PROP_FUNCTION: g_value_set_string (value, self->function); break;
    case PROP_ADDRESS: g_value_set_uint64 (value, self->address); break;
    case PROP_ENABLED: g_value_set_boolean (value, self->enabled); break;
    case PROP_HIT_COUNT: g_value_set_uint (value, self->hit_count); break;
    case PROP_PENDING: g_value_set_boolean (value, self->pending); break;
    case PROP_HARDWARE: g_value_set_boolean (value, self->hardware); break;
    case PROP_CONDITION: g_value_set_string (value, self->condition); break;
    case PROP_KIND: g_value_set_enum (value, self->kind); break;
    case PROP_EXPRESSION: g_value_set_string (value, self->expression); break;
    case PROP_HARDWARE_SLOTS: g_value_set_uint (value, kwb_breakpoint_get_hardware_slots (self)); break;
    case PROP_VALUE: g_value_set_string (value, self->value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_breakpoint_class_init (KwbBreakpointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = kwb_breakpoint_finalize;
  object_class->get_property = kwb_breakpoint_get_property;

  properties[PROP_NUMBER] = g_param_spec_string ("number", NULL, NULL, NULL, flags);
  properties[PROP_LOCATION] = g_param_spec_string ("location", NULL, NULL, NULL, flags);
  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  properties[PROP_FULLNAME] = g_param_spec_string ("fullname", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_FUNCTION] = g_param_spec_string ("function", NULL, NULL, NULL, flags);
  properties[PROP_ADDRESS] = g_param_spec_uint64 ("address", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_ENABLED] = g_param_spec_boolean ("enabled", NULL, NULL, TRUE, flags);
  properties[PROP_HIT_COUNT] = g_param_spec_uint ("hit-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE, flags);
  properties[PROP_HARDWARE] = g_param_spec_boolean ("hardware", NULL, NULL, FALSE, flags);
  properties[PROP_CONDITION] = g_param_spec_string ("condition", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KWB_TYPE_BREAKPOINT_KIND,
                                             KWB_BREAKPOINT_KIND_BREAKPOINT, flags);
  properties[PROP_EXPRESSION] = g_param_spec_string ("expression", NULL, NULL, NULL, flags);
  properties[PROP_HARDWARE_SLOTS] = g_param_spec_uint ("hardware-slots", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_breakpoint_init (KwbBreakpoint *self)
{
  self->enabled = TRUE;
}

static gboolean
set_str (KwbBreakpoint *self,
         char         **field,
         const char    *value,
         guint          prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  return TRUE;
}

#define SET_SCALAR(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]); \
        changed = TRUE; \
      } \
  } G_STMT_END

static KwbBreakpointKind
kind_from_type (const char *type)
{
  static const struct { const char *type; KwbBreakpointKind kind; } kinds[] = {
    { "breakpoint", KWB_BREAKPOINT_KIND_BREAKPOINT },
    { "hw breakpoint", KWB_BREAKPOINT_KIND_HARDWARE },
    { "hw watchpoint", KWB_BREAKPOINT_KIND_WATCH_WRITE },
    { "read watchpoint", KWB_BREAKPOINT_KIND_WATCH_READ },
    { "acc watchpoint", KWB_BREAKPOINT_KIND_WATCH_ACCESS },
    { "watchpoint", KWB_BREAKPOINT_KIND_WATCH_SOFTWARE },
  };

  /* A tuple without a type (a -break-insert answer of an older GDB) is a
   * plain breakpoint. */
  if (type == NULL)
    return KWB_BREAKPOINT_KIND_BREAKPOINT;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (type, kinds[i].type))
      return kinds[i].kind;
  return KWB_BREAKPOINT_KIND_OTHER;
}

/* A multi-location breakpoint (an inline function, a static function in two
 * files) reports where it is per location; the first one with a file stands
 * for the breakpoint in the source view. */
static const KwbMiValue *
first_location (const KwbMiValue *bkpt)
{
  const KwbMiValue *locations = kwb_mi_value_get (bkpt, "locations");

  if (locations == NULL)
    return bkpt;
  for (guint i = 0; i < kwb_mi_value_get_n_children (locations); i++)
    {
      const KwbMiValue *loc = kwb_mi_value_get_nth (locations, i);

      if (kwb_mi_value_get_string (loc, "file") != NULL)
        return loc;
    }
  return bkpt;
}

gboolean
kwb_breakpoint_update_from_mi (KwbBreakpoint    *self,
                               const KwbMiValue *bkpt)
{
  const KwbMiValue *where;
  const KwbMiValue *locations;
  const char *type, *addr, *original, *pending;
  KwbBreakpointKind kind;
  guint old_slots;
  gboolean changed = FALSE;
  guint64 address = 0;
  guint n_locations = 1;
  gint64 times;

  g_return_val_if_fail (KWB_IS_BREAKPOINT (self), FALSE);
  g_return_val_if_fail (bkpt != NULL, FALSE);

  where = kwb_mi_value_get_string (bkpt, "file") ? bkpt : first_location (bkpt);
  type = kwb_mi_value_get_string (bkpt, "type");
  kind = kind_from_type (type);
  old_slots = kwb_breakpoint_get_hardware_slots (self);
  addr = kwb_mi_value_get_string (bkpt, "addr");
  original = kwb_mi_value_get_string (bkpt, "original-location");
  pending = kwb_mi_value_get_string (bkpt, "pending");
  locations = kwb_mi_value_get (bkpt, "locations");
  if (locations != NULL)
    n_locations = kwb_mi_value_get_n_children (locations);
  else if (g_strcmp0 (addr, "<MULTIPLE>") == 0)
    n_locations = 0;

  changed |= set_str (self, &self->number, kwb_mi_value_get_string (bkpt, "number"), PROP_NUMBER);
  changed |= set_str (self, &self->location, original ? original : pending, PROP_LOCATION);
  changed |= set_str (self, &self->file, kwb_mi_value_get_string (where, "file"), PROP_FILE);
  changed |= set_str (self, &self->fullname, kwb_mi_value_get_string (where, "fullname"), PROP_FULLNAME);
  changed |= set_str (self, &self->function, kwb_mi_value_get_string (where, "func"), PROP_FUNCTION);
  changed |= set_str (self, &self->condition, kwb_mi_value_get_string (bkpt, "cond"), PROP_CONDITION);
  SET_SCALAR (self, line, (guint) kwb_mi_value_get_int (where, "line", 0), PROP_LINE);
  if (!kwb_mi_value_get_uint64 (where, "addr", &address))
    address = 0;
  SET_SCALAR (self, address, address, PROP_ADDRESS);
  SET_SCALAR (self, enabled, g_strcmp0 (kwb_mi_value_get_string (bkpt, "enabled"), "n") != 0, PROP_ENABLED);
  times = kwb_mi_value_get_int (bkpt, "times", 0);
  SET_SCALAR (self, hit_count, (guint) MAX (times - (gint64) self->lost_hits, 0), PROP_HIT_COUNT);
  SET_SCALAR (self, pending, pending != NULL || g_strcmp0 (addr, "<PENDING>") == 0, PROP_PENDING);
  SET_SCALAR (self, hardware, kind == KWB_BREAKPOINT_KIND_HARDWARE || kind == KWB_BREAKPOINT_KIND_WATCH_WRITE ||
                              kind == KWB_BREAKPOINT_KIND_WATCH_READ || kind == KWB_BREAKPOINT_KIND_WATCH_ACCESS,
              PROP_HARDWARE);
  SET_SCALAR (self, kind, kind, PROP_KIND);
  changed |= set_str (self, &self->expression,
                      kwb_breakpoint_is_watchpoint (self) ? kwb_mi_value_get_string (bkpt, "what") : NULL,
                      PROP_EXPRESSION);
  self->n_locations = n_locations;
  if (old_slots != kwb_breakpoint_get_hardware_slots (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDWARE_SLOTS]);
  return changed;
}

KwbBreakpoint *
kwb_breakpoint_new_from_mi (const KwbMiValue *bkpt)
{
  KwbBreakpoint *self = g_object_new (KWB_TYPE_BREAKPOINT, NULL);

  kwb_breakpoint_update_from_mi (self, bkpt);
  return self;
}

const char *kwb_breakpoint_get_number (KwbBreakpoint *self) { return self->number; }
const char *kwb_breakpoint_get_location (KwbBreakpoint *self) { return self->location; }
const char *kwb_breakpoint_get_file (KwbBreakpoint *self) { return self->file; }
const char *kwb_breakpoint_get_fullname (KwbBreakpoint *self) { return self->fullname; }
guint kwb_breakpoint_get_line (KwbBreakpoint *self) { return self->line; }
const char *kwb_breakpoint_get_function (KwbBreakpoint *self) { return self->function; }
guint64 kwb_breakpoint_get_address (KwbBreakpoint *self) { return self->address; }
gboolean kwb_breakpoint_get_enabled (KwbBreakpoint *self) { return self->enabled; }

/* GDB does not send =breakpoint-modified for its own MI commands: after a
 * -break-enable/-break-disable it answered ^done to, the session sets it. */
void
kwb_breakpoint_set_enabled (KwbBreakpoint *self,
                            gboolean       enabled)
{
  gboolean changed = FALSE;

  g_return_if_fail (KWB_IS_BREAKPOINT (self));
  SET_SCALAR (self, enabled, !!enabled, PROP_ENABLED);
  (void) changed;
}
guint kwb_breakpoint_get_hit_count (KwbBreakpoint *self) { return self->hit_count; }

/**
 * kwb_breakpoint_discount_hit:
 *
 * One hit GDB counted was not one: the step that should have left the
 * breakpoint did not move the CPU, and GDB saw it "hit" again. The count
 * shown, now and after GDB's later updates, leaves it out.
 */
void
kwb_breakpoint_discount_hit (KwbBreakpoint *self)
{
  gboolean changed = FALSE;

  g_return_if_fail (KWB_IS_BREAKPOINT (self));
  self->lost_hits++;
  SET_SCALAR (self, hit_count, self->hit_count > 0 ? self->hit_count - 1 : 0, PROP_HIT_COUNT);
  (void) changed;
}
gboolean kwb_breakpoint_get_pending (KwbBreakpoint *self) { return self->pending; }
gboolean kwb_breakpoint_get_hardware (KwbBreakpoint *self) { return self->hardware; }
const char *kwb_breakpoint_get_condition (KwbBreakpoint *self) { return self->condition; }
guint kwb_breakpoint_get_n_locations (KwbBreakpoint *self) { return self->n_locations; }

KwbBreakpointKind kwb_breakpoint_get_kind (KwbBreakpoint *self) { return self->kind; }
const char *kwb_breakpoint_get_expression (KwbBreakpoint *self) { return self->expression; }

gboolean
kwb_breakpoint_is_watchpoint (KwbBreakpoint *self)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINT (self), FALSE);
  return self->kind >= KWB_BREAKPOINT_KIND_WATCH_WRITE && self->kind <= KWB_BREAKPOINT_KIND_WATCH_SOFTWARE;
}

guint
kwb_breakpoint_get_hardware_slots (KwbBreakpoint *self)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINT (self), 0);

  switch (self->kind)
    {
    case KWB_BREAKPOINT_KIND_HARDWARE:
      return MAX (self->n_locations, 1);
    case KWB_BREAKPOINT_KIND_WATCH_WRITE:
    case KWB_BREAKPOINT_KIND_WATCH_READ:
    case KWB_BREAKPOINT_KIND_WATCH_ACCESS:
      return MAX (self->watch_slots, 1);
    case KWB_BREAKPOINT_KIND_BREAKPOINT:
    case KWB_BREAKPOINT_KIND_WATCH_SOFTWARE:
    case KWB_BREAKPOINT_KIND_OTHER:
    default:
      return 0;
    }
}

/* GDB does not say how many bytes a watchpoint covers: the session does,
 * from the sizeof and address it asked for before setting it. */
void
kwb_breakpoint_set_hardware_slots (KwbBreakpoint *self,
                                   guint          slots)
{
  guint old;

  g_return_if_fail (KWB_IS_BREAKPOINT (self));

  old = kwb_breakpoint_get_hardware_slots (self);
  self->watch_slots = slots;
  if (old != kwb_breakpoint_get_hardware_slots (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HARDWARE_SLOTS]);
}

const char *kwb_breakpoint_get_value (KwbBreakpoint *self) { return self->value; }

void
kwb_breakpoint_set_value (KwbBreakpoint *self,
                          const char    *value)
{
  g_return_if_fail (KWB_IS_BREAKPOINT (self));
  set_str (self, &self->value, value, PROP_VALUE);
}

const char *
kwb_breakpoint_kind_to_string (KwbBreakpointKind kind)
{
  static const char * const names[] = {
    "breakpoint", "hw-breakpoint", "write", "read", "access", "software-watch", "other",
  };

  return kind < G_N_ELEMENTS (names) ? names[kind] : "other";
}

guint
kwb_breakpoint_count_debug_registers (guint64 address,
                                      guint64 length)
{
  guint n = 0;

  while (length > 0)
    {
      guint64 size = 8;

      while (size > 1 && (address % size != 0 || size > length))
        size /= 2;
      address += size;
      length -= size;
      n++;
    }
  return n;
}

/* "start_kernel at init/main.c:934", the location asked for while pending,
 * or a watchpoint's expression. */
char *
kwb_breakpoint_dup_display (KwbBreakpoint *self)
{
  g_return_val_if_fail (KWB_IS_BREAKPOINT (self), NULL);

  if (self->expression != NULL)
    return g_strdup (self->expression);
  if (self->pending)
    return g_strdup_printf (_("%s (pending)"), self->location ? self->location : "?");
  if (self->file == NULL)
    return g_strdup_printf ("%s (0x%" G_GINT64_MODIFIER "x)", self->location ? self->location : "?", self->address);
  if (self->function != NULL)
    return g_strdup_printf (_("%s at %s:%u"), self->function, self->file, self->line);
  return g_strdup_printf ("%s:%u", self->file, self->line);
}
