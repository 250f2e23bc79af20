/* kwb-watch-value.c — one row of the watch tree: a value, its type, its children
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A plain holder: KwbWatch (kwb-watch.c) fills it from GDB through the
 * setters of kwb-watch-private.h, which notify so that a row bound to the
 * properties follows without knowing the model.
 */
#include "config.h"

#include <string.h>

#include "kwb-enums.h"
#include "kwb-watch-private.h"

struct _KwbWatchValue
{
  GObject            parent_instance;
  KwbWatchValueKind  kind;
  KwbWatchValue     *parent;   /* unowned: a parent outlives its children in the tree */
  char              *name;
  char              *type_name;
  char              *value;
  char              *baseline; /* the value at the previous stop; NULL: none then */
  char              *expression;
  char              *varobj;
  char              *walk_type;
  char              *walk_member;
  guint64            address;
  GListStore        *children;
  gboolean           error;
  gboolean           has_children;
  gboolean           changed;
  gboolean           fetched;
  gboolean           settled;
  gboolean           read;     /* a value was set: before that, no base for a change */
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_NAME,
  PROP_TYPE_NAME,
  PROP_VALUE,
  PROP_ERROR,
  PROP_HAS_CHILDREN,
  PROP_CHANGED,
  PROP_WALK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KwbWatchValue, kwb_watch_value, G_TYPE_OBJECT)

static void
kwb_watch_value_finalize (GObject *object)
{
  KwbWatchValue *self = KWB_WATCH_VALUE (object);

  g_free (self->name);
  g_free (self->type_name);
  g_free (self->value);
  g_free (self->baseline);
  g_free (self->expression);
  g_free (self->varobj);
  g_free (self->walk_type);
  g_free (self->walk_member);
  g_clear_object (&self->children);
  G_OBJECT_CLASS (kwb_watch_value_parent_class)->finalize (object);
}

static void
kwb_watch_value_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KwbWatchValue *self = KWB_WATCH_VALUE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_TYPE_NAME:
      g_value_set_string (value, self->type_name);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_ERROR:
      g_value_set_boolean (value, self->error);
      break;
    case PROP_HAS_CHILDREN:
      g_value_set_boolean (value, self->has_children);
      break;
    case PROP_CHANGED:
      g_value_set_boolean (value, self->changed);
      break;
    case PROP_WALK:
      g_value_take_string (value, kwb_watch_value_dup_walk (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_watch_value_class_init (KwbWatchValueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_watch_value_finalize;
  object_class->get_property = kwb_watch_value_get_property;

  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, KWB_TYPE_WATCH_VALUE_KIND,
                                             KWB_WATCH_VALUE_EXPRESSION,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TYPE_NAME] = g_param_spec_string ("type-name", NULL, NULL, NULL,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] = g_param_spec_string ("value", NULL, NULL, NULL,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] = g_param_spec_boolean ("error", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_CHILDREN] = g_param_spec_boolean ("has-children", NULL, NULL, FALSE,
                                                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGED] = g_param_spec_boolean ("changed", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_WALK] = g_param_spec_string ("walk", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_watch_value_init (KwbWatchValue *self)
{
  self->children = g_list_store_new (KWB_TYPE_WATCH_VALUE);
}

KwbWatchValue *
_kwb_watch_value_new (KwbWatchValueKind  kind,
                      KwbWatchValue     *parent,
                      const char        *name)
{
  KwbWatchValue *self = g_object_new (KWB_TYPE_WATCH_VALUE, NULL);

  self->kind = kind;
  self->parent = parent;
  self->name = g_strdup (name);
  self->value = g_strdup ("");
  return self;
}

KwbWatchValueKind
kwb_watch_value_get_kind (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), 0);
  return self->kind;
}

const char *
kwb_watch_value_get_name (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return self->name;
}

const char *
kwb_watch_value_get_type_name (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return self->type_name ? self->type_name : "";
}

const char *
kwb_watch_value_get_value (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return self->value;
}

gboolean
kwb_watch_value_get_error (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), FALSE);
  return self->error;
}

gboolean
kwb_watch_value_get_has_children (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), FALSE);
  return self->has_children;
}

gboolean
kwb_watch_value_get_changed (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), FALSE);
  return self->changed;
}

GListModel *
kwb_watch_value_get_children (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return G_LIST_MODEL (self->children);
}

KwbWatchValue *
kwb_watch_value_get_parent (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return self->parent;
}

guint
kwb_watch_value_get_depth (KwbWatchValue *self)
{
  guint depth = 0;

  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), 0);
  for (KwbWatchValue *v = self->parent; v != NULL; v = v->parent)
    depth++;
  return depth;
}

static const char *
skip_qualifiers (const char *type)
{
  for (;;)
    {
      if (g_str_has_prefix (type, "const "))
        type += strlen ("const ");
      else if (g_str_has_prefix (type, "volatile "))
        type += strlen ("volatile ");
      else
        return type;
    }
}

gboolean
kwb_watch_value_get_is_list_head (KwbWatchValue *self)
{
  const char *type;

  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), FALSE);
  if (self->type_name == NULL || self->error)
    return FALSE;
  type = skip_qualifiers (self->type_name);
  return g_str_equal (type, "struct list_head") || g_str_equal (type, "struct hlist_head");
}

char *
kwb_watch_value_dup_walk (KwbWatchValue *self)
{
  const char *type;

  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  if (self->walk_type == NULL)
    return NULL;
  type = self->walk_type;
  if (g_str_has_prefix (type, "struct "))
    type += strlen ("struct ");
  return g_strdup_printf ("%s.%s", type, self->walk_member);
}

const char *
kwb_watch_value_get_expression (KwbWatchValue *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VALUE (self), NULL);
  return self->expression;
}

GStrv
kwb_watch_value_dup_path (KwbWatchValue *self)
{
  guint depth = kwb_watch_value_get_depth (self);
  GStrv path = g_new0 (char *, depth + 2);

  for (KwbWatchValue *v = self; v != NULL; v = v->parent)
    path[depth--] = g_strdup (v->name);
  return path;
}

/* ---- for the model ---- */

void
_kwb_watch_value_set_type_name (KwbWatchValue *self,
                                const char    *type_name)
{
  if (g_strcmp0 (self->type_name, type_name) == 0)
    return;
  g_free (self->type_name);
  self->type_name = g_strdup (type_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPE_NAME]);
}

void
_kwb_watch_value_set_value (KwbWatchValue *self,
                            const char    *value,
                            gboolean       error)
{
  gboolean changed;

  if (value == NULL)
    value = "";
  self->read = TRUE;
  changed = self->baseline != NULL && !error && !g_str_equal (self->baseline, value);
  if (!g_str_equal (self->value, value))
    {
      g_free (self->value);
      self->value = g_strdup (value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
    }
  if (self->error != error)
    {
      self->error = error;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  if (self->changed != changed)
    {
      self->changed = changed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED]);
    }
}

void
_kwb_watch_value_set_has_children (KwbWatchValue *self,
                                   gboolean       has_children)
{
  if (self->has_children == has_children)
    return;
  self->has_children = has_children;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_CHILDREN]);
}

void
_kwb_watch_value_take_baseline (KwbWatchValue *self)
{
  g_free (self->baseline);
  /* A value that could not be read is no base for a change. */
  self->baseline = self->error || !self->read ? NULL : g_strdup (self->value);
  if (self->changed)
    {
      self->changed = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED]);
    }
}

GListStore *
_kwb_watch_value_get_store (KwbWatchValue *self)
{
  return self->children;
}

void
_kwb_watch_value_set_expression (KwbWatchValue *self,
                                 const char    *expression)
{
  g_free (self->expression);
  self->expression = g_strdup (expression);
}

const char *
_kwb_watch_value_get_varobj (KwbWatchValue *self)
{
  return self->varobj;
}

void
_kwb_watch_value_set_varobj (KwbWatchValue *self,
                             const char    *varobj)
{
  g_free (self->varobj);
  self->varobj = g_strdup (varobj);
}

gboolean
_kwb_watch_value_get_fetched (KwbWatchValue *self)
{
  return self->fetched;
}

void
_kwb_watch_value_set_fetched (KwbWatchValue *self,
                              gboolean       fetched)
{
  self->fetched = fetched;
}

const char *
_kwb_watch_value_get_walk_type (KwbWatchValue *self)
{
  return self->walk_type;
}

const char *
_kwb_watch_value_get_walk_member (KwbWatchValue *self)
{
  return self->walk_member;
}

void
_kwb_watch_value_set_walk (KwbWatchValue *self,
                           const char    *type,
                           const char    *member)
{
  g_free (self->walk_type);
  g_free (self->walk_member);
  self->walk_type = g_strdup (type);
  self->walk_member = g_strdup (member);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WALK]);
}

gboolean
_kwb_watch_value_get_settled (KwbWatchValue *self)
{
  return self->settled;
}

void
_kwb_watch_value_set_settled (KwbWatchValue *self,
                              gboolean       settled)
{
  self->settled = settled;
}

guint64
_kwb_watch_value_get_address (KwbWatchValue *self)
{
  return self->address;
}

void
_kwb_watch_value_set_address (KwbWatchValue *self,
                              guint64        address)
{
  self->address = address;
}
