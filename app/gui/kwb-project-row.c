/* kwb-project-row.c — the base of the rows that edit one project key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A row bound to a KwbProject key ("group", "key"), as gnome-text-editor's
 * preference rows are bound to a GSettings key: it shows the value when it
 * gets its project and saves what the user changes at once. The page's .ui
 * binds "project" to the page's own; a change is written through the page
 * the row is on (kwb_project_row_write), so an error shows there.
 * Subclasses (KwbProjectSwitchRow, KwbProjectSpinRow, KwbConfigOptionRow)
 * add the control and say how a value is shown (load) and read.
 */
#include "config.h"

#include "kwb-project-page-private.h"
#include "kwb-project-row.h"

typedef struct
{
  KwbProject *project;
  char       *group;
  char       *key;
  gboolean    loading;
} KwbProjectRowPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KwbProjectRow, kwb_project_row, ADW_TYPE_ACTION_ROW)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_GROUP,
  PROP_KEY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
load (KwbProjectRow *self)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  if (priv->project == NULL || priv->group == NULL || priv->key == NULL)
    return;
  priv->loading = TRUE;
  KWB_PROJECT_ROW_GET_CLASS (self)->load (self);
  priv->loading = FALSE;
}

KwbProject *
kwb_project_row_get_project (KwbProjectRow *self)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  return priv->project;
}

const char *
kwb_project_row_get_group (KwbProjectRow *self)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  return priv->group;
}

const char *
kwb_project_row_get_key (KwbProjectRow *self)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  return priv->key;
}

/* For a subclass whose key is always the same one. */
void
kwb_project_row_set_key (KwbProjectRow *self,
                         const char    *group,
                         const char    *key)
{
  g_object_set (self, "group", group, "key", key, NULL);
}

gboolean
kwb_project_row_is_loading (KwbProjectRow *self)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  return priv->loading;
}

/* What the user changed: nothing while loading or before the project came. */
void
kwb_project_row_save (KwbProjectRow *self,
                      const char    *value)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  if (priv->loading || priv->project == NULL || priv->key == NULL)
    return;
  kwb_project_row_write (GTK_WIDGET (self), priv->project, priv->group, priv->key, value);
}

void
kwb_project_row_save_list (KwbProjectRow      *self,
                           const char * const *items)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  if (priv->loading || priv->project == NULL || priv->key == NULL)
    return;
  kwb_project_row_write_list (GTK_WIDGET (self), priv->project, priv->group, priv->key, items);
}

/* KEY_SUFFIX with dashes as underscores: the name tests find the control by. */
char *
kwb_project_row_dup_control_name (KwbProjectRow *self,
                                  const char    *suffix)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);
  char *name = g_strdup_printf ("%s_%s", priv->key, suffix);

  return g_strdelimit (name, "-", '_');
}

static void
kwb_project_row_finalize (GObject *object)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (KWB_PROJECT_ROW (object));

  g_clear_object (&priv->project);
  g_clear_pointer (&priv->group, g_free);
  g_clear_pointer (&priv->key, g_free);
  G_OBJECT_CLASS (kwb_project_row_parent_class)->finalize (object);
}

static void
kwb_project_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (KWB_PROJECT_ROW (object));

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, priv->project);
      break;
    case PROP_GROUP:
      g_value_set_string (value, priv->group);
      break;
    case PROP_KEY:
      g_value_set_string (value, priv->key);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KwbProjectRow *self = KWB_PROJECT_ROW (object);
  KwbProjectRowPrivate *priv = kwb_project_row_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_set_object (&priv->project, g_value_get_object (value));
      break;
    case PROP_GROUP:
      g_free (priv->group);
      priv->group = g_value_dup_string (value);
      break;
    case PROP_KEY:
      g_free (priv->key);
      priv->key = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  load (self);
}

static void
kwb_project_row_class_init (KwbProjectRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_project_row_finalize;
  object_class->get_property = kwb_project_row_get_property;
  object_class->set_property = kwb_project_row_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_project_row_init (KwbProjectRow *self)
{
}
