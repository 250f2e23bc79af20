/* kwb-project-page.c — one page of project choices, shared by the wizard and Project Settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The base class of the pages (KwbSourcePage, KwbBusyboxPage,
 * KwbInitramfsPage, KwbKernelConfigPage, KwbMachinePage): each is a template
 * class with its own .ui, and the wizard and Project Settings show the same
 * classes. A page edits a part of its KwbProject and saves the project file
 * after every change, so a wizard closed half-way keeps what was chosen. A
 * page is "complete" when what it shows can be built: the wizard's Next
 * button follows that. What went wrong is shown on the page itself (never a
 * dialog: the user fixes it right there).
 *
 * Plain keys are edited by rows bound to them (KwbProjectRow's
 * subclasses, KwbProjectEntryRow), whose "project" the page's .ui binds to
 * the page's own; choices that need checking first stay in the page's
 * code: "load" fills the page without writing, then "check" checks what
 * the project has as the user would see it. Pages never spawn or parse anything themselves: they call the
 * core (KwbGitRepo, KwbKernelBuild, KwbBusybox, kwb-setup).
 *
 * A page's widget name is its id ("source", "busybox", …): the wizard's
 * stack and the tests find pages by it.
 */
#include "config.h"

#include "kwb-busybox-page.h"
#include "kwb-initramfs-page.h"
#include "kwb-kernel-config-page.h"
#include "kwb-machine-page.h"
#include "kwb-project-page-private.h"
#include "kwb-source-page.h"

typedef struct
{
  KwbProject          *project;
  gboolean             complete;
  char                *error;
  GCancellable        *cancellable;
  gboolean             loading;   /* filling widgets from the project: do not write back */
  gboolean             disposed;  /* async results arriving later touch no widget */

  /* Template children */
  AdwPreferencesGroup *error_group;
  GtkLabel            *error_label;
} KwbProjectPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (KwbProjectPage, kwb_project_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- for the page classes ---------------------------------------------- */

gboolean
kwb_project_page_is_loading (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  return priv->loading;
}

gboolean
kwb_project_page_is_disposed (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  return priv->disposed;
}

void
kwb_project_page_set_complete (KwbProjectPage *self,
                               gboolean        complete)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* NULL clears it. */
void
kwb_project_page_show_error (KwbProjectPage *self,
                             const char     *message)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  if (g_strcmp0 (priv->error, message) == 0)
    return;
  g_free (priv->error);
  priv->error = g_strdup (message);
  gtk_label_set_label (priv->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (priv->error_group), message != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

gboolean
kwb_project_page_save (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (!kwb_project_save (priv->project, &error))
    {
      kwb_project_page_show_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

void
kwb_project_page_set_value (KwbProjectPage *self,
                            const char     *group,
                            const char     *key,
                            const char     *value)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (priv->loading)
    return;
  if (!kwb_project_set_value (priv->project, group, key, value, &error))
    {
      kwb_project_page_show_error (self, error->message);
      return;
    }
  kwb_project_page_save (self);
}

/* FALSE, with the reason shown on the page, when the items were refused. */
gboolean
kwb_project_page_set_string_list (KwbProjectPage     *self,
                                  const char         *group,
                                  const char         *key,
                                  const char * const *items)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);
  g_autoptr(GError) error = NULL;

  if (priv->loading)
    return TRUE;
  if (!kwb_project_try_set_string_list (priv->project, group, key, items, &error))
    {
      kwb_project_page_show_error (self, error->message);
      return FALSE;
    }
  return kwb_project_page_save (self);
}

/* What the user typed as a path: ~ expanded, relative to the project. */
char *
kwb_project_page_absolute_path (KwbProjectPage *self,
                                const char     *text)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);
  g_autofree char *expanded = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  if (text[0] == '~' && (text[1] == '/' || text[1] == '\0'))
    expanded = g_build_filename (g_get_home_dir (), text + 1, NULL);
  else
    expanded = g_strdup (text);
  return g_canonicalize_filename (expanded, kwb_project_get_directory (priv->project));
}

/* One piece of background work per page (a clone, a version query, a
 * configure): starting the next stops the one before. */
GCancellable *
kwb_project_page_renew_cancellable (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  if (priv->cancellable)
    g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->cancellable);
  priv->cancellable = g_cancellable_new ();
  return priv->cancellable;
}

void
kwb_project_page_cancel (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  if (priv->cancellable)
    g_cancellable_cancel (priv->cancellable);
}

void
kwb_project_row_write (GtkWidget  *row,
                       KwbProject *project,
                       const char *group,
                       const char *key,
                       const char *value)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, KWB_TYPE_PROJECT_PAGE);
  g_autoptr(GError) error = NULL;

  if (page != NULL)
    {
      kwb_project_page_set_value (KWB_PROJECT_PAGE (page), group, key, value);
      return;
    }
  if (!kwb_project_set_value (project, group, key, value, &error) || !kwb_project_save (project, &error))
    g_warning ("Could not save %s.%s: %s", group, key, error->message);
}

void
kwb_project_row_write_list (GtkWidget          *row,
                            KwbProject         *project,
                            const char         *group,
                            const char         *key,
                            const char * const *items)
{
  GtkWidget *page = gtk_widget_get_ancestor (row, KWB_TYPE_PROJECT_PAGE);
  g_autoptr(GError) error = NULL;

  if (page != NULL)
    {
      kwb_project_page_set_string_list (KWB_PROJECT_PAGE (page), group, key, items);
      return;
    }
  if (!kwb_project_try_set_string_list (project, group, key, items, &error) || !kwb_project_save (project, &error))
    g_warning ("Could not save %s.%s: %s", group, key, error->message);
}

void
kwb_action_row_set_plain_subtitle (AdwActionRow *row,
                                   const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

/* --- object ------------------------------------------------------------ */

/* Gone from its window (closed half-way): stop what runs. Pending results
 * hold a reference, so dispose would only come after they finished. */
static void
kwb_project_page_unroot (GtkWidget *widget)
{
  kwb_project_page_cancel (KWB_PROJECT_PAGE (widget));
  GTK_WIDGET_CLASS (kwb_project_page_parent_class)->unroot (widget);
}

static void
kwb_project_page_constructed (GObject *object)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (object);
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  G_OBJECT_CLASS (kwb_project_page_parent_class)->constructed (object);

  g_return_if_fail (KWB_IS_PROJECT (priv->project));
  /* The rows bound to the page's project take it now. */
  g_object_notify_by_pspec (object, properties[PROP_PROJECT]);
  priv->loading = TRUE;
  if (KWB_PROJECT_PAGE_GET_CLASS (self)->load)
    KWB_PROJECT_PAGE_GET_CLASS (self)->load (self);
  priv->loading = FALSE;
  if (KWB_PROJECT_PAGE_GET_CLASS (self)->check)
    KWB_PROJECT_PAGE_GET_CLASS (self)->check (self);
}

static void
kwb_project_page_dispose (GObject *object)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (object);
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (self);

  priv->disposed = TRUE;
  kwb_project_page_cancel (self);
  g_clear_object (&priv->cancellable);
  /* No gtk_widget_dispose_template() for this parent class's template:
   * GTK 4.8's asserts when called for a parent type (it looks up the
   * subclass's children); GtkWidget's own dispose releases them. */
  G_OBJECT_CLASS (kwb_project_page_parent_class)->dispose (object);
}

static void
kwb_project_page_finalize (GObject *object)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (KWB_PROJECT_PAGE (object));

  g_clear_object (&priv->project);
  g_clear_pointer (&priv->error, g_free);
  G_OBJECT_CLASS (kwb_project_page_parent_class)->finalize (object);
}

static void
kwb_project_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (KWB_PROJECT_PAGE (object));

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, priv->project);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, priv->complete);
      break;
    case PROP_ERROR:
      g_value_set_string (value, priv->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KwbProjectPagePrivate *priv = kwb_project_page_get_instance_private (KWB_PROJECT_PAGE (object));

  switch (prop_id)
    {
    case PROP_PROJECT:
      priv->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_page_class_init (KwbProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = kwb_project_page_constructed;
  object_class->dispose = kwb_project_page_dispose;
  object_class->finalize = kwb_project_page_finalize;
  object_class->get_property = kwb_project_page_get_property;
  object_class->set_property = kwb_project_page_set_property;
  widget_class->unroot = kwb_project_page_unroot;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-project-page.ui");
  gtk_widget_class_bind_template_child_private (widget_class, KwbProjectPage, error_group);
  gtk_widget_class_bind_template_child_private (widget_class, KwbProjectPage, error_label);
}

static void
kwb_project_page_init (KwbProjectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* --- public ------------------------------------------------------------ */

KwbProjectPage *
kwb_project_page_new (KwbProject         *project,
                      KwbProjectPageKind  kind)
{
  GType types[KWB_N_PROJECT_PAGES] = {
    KWB_TYPE_SOURCE_PAGE, KWB_TYPE_BUSYBOX_PAGE, KWB_TYPE_INITRAMFS_PAGE,
    KWB_TYPE_KERNEL_CONFIG_PAGE, KWB_TYPE_MACHINE_PAGE,
  };

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  g_return_val_if_fail (kind < KWB_N_PROJECT_PAGES, NULL);

  return g_object_new (types[kind], "project", project, NULL);
}

const char *
kwb_project_page_get_id (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  return gtk_widget_get_name (GTK_WIDGET (self));
}

KwbProject *
kwb_project_page_get_project (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv;

  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  priv = kwb_project_page_get_instance_private (self);
  return priv->project;
}

gboolean
kwb_project_page_get_complete (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv;

  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), FALSE);
  priv = kwb_project_page_get_instance_private (self);
  return priv->complete;
}

const char *
kwb_project_page_get_error (KwbProjectPage *self)
{
  KwbProjectPagePrivate *priv;

  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  priv = kwb_project_page_get_instance_private (self);
  return priv->error;
}

char *
kwb_project_page_dup_summary (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  return KWB_PROJECT_PAGE_GET_CLASS (self)->dup_summary (self);
}
