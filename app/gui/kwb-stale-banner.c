/* kwb-stale-banner.c — "The vmlinux is older than the source: Rebuild"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 has no AdwBanner (1.3): a revealer with a styled bar does
 * the same. The check is kwb_git_repo_is_build_stale() on the project's
 * source and its build manifest; it runs when the project is set, when the
 * window becomes active again (the user may have edited files elsewhere) and
 * after a build.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-panel.h"
#include "kwb-git-repo.h"
#include "kwb-stale-banner.h"

struct _KwbStaleBanner
{
  GtkWidget    parent_instance;

  KwbProject  *project;
  GtkRevealer *revealer;
  GtkLabel    *label;
  GtkWindow   *watched;
};

G_DEFINE_FINAL_TYPE (KwbStaleBanner, kwb_stale_banner, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
kwb_stale_banner_check (KwbStaleBanner *self)
{
  g_autofree char *source = NULL;
  g_autofree char *build_dir = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;
  gboolean stale = FALSE;

  g_return_val_if_fail (KWB_IS_STALE_BANNER (self), FALSE);

  if (self->project != NULL)
    {
      source = kwb_project_dup_path (self->project, "kernel", "source");
      build_dir = kwb_project_dup_path (self->project, "kernel", "build-dir");
      if (source && build_dir && g_file_test (source, G_FILE_TEST_IS_DIR))
        repo = kwb_git_repo_open (source, NULL);
      if (repo != NULL)
        stale = kwb_git_repo_is_build_stale (repo, build_dir, &reason);
    }
  if (stale)
    {
      g_autofree char *text = g_strdup_printf (_("The vmlinux is older than the source. %s"), reason);

      gtk_label_set_label (self->label, text);
    }
  gtk_revealer_set_reveal_child (self->revealer, stale);
  gtk_widget_set_visible (GTK_WIDGET (self), stale);
  return stale;
}

static void
on_rebuild_clicked (GtkButton      *button,
                    KwbStaleBanner *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWindow *window;

  if (self->project == NULL)
    return;
  window = kwb_build_panel_present_window (self->project, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (window, "destroy", G_CALLBACK (kwb_stale_banner_check), self, G_CONNECT_SWAPPED);
}

static void
on_window_active (GtkWindow      *window,
                  GParamSpec     *pspec,
                  KwbStaleBanner *self)
{
  if (gtk_window_is_active (window))
    kwb_stale_banner_check (self);
}

static void
kwb_stale_banner_root (GtkWidget *widget)
{
  KwbStaleBanner *self = KWB_STALE_BANNER (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (kwb_stale_banner_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->watched = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::is-active", G_CALLBACK (on_window_active), self, 0);
    }
}

static void
kwb_stale_banner_unroot (GtkWidget *widget)
{
  KwbStaleBanner *self = KWB_STALE_BANNER (widget);

  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, on_window_active, self);
  self->watched = NULL;
  GTK_WIDGET_CLASS (kwb_stale_banner_parent_class)->unroot (widget);
}

void
kwb_stale_banner_set_project (KwbStaleBanner *self,
                              KwbProject     *project)
{
  g_return_if_fail (KWB_IS_STALE_BANNER (self));

  if (!g_set_object (&self->project, project))
    return;
  kwb_stale_banner_check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

KwbProject *
kwb_stale_banner_get_project (KwbStaleBanner *self)
{
  g_return_val_if_fail (KWB_IS_STALE_BANNER (self), NULL);
  return self->project;
}

static void
kwb_stale_banner_dispose (GObject *object)
{
  KwbStaleBanner *self = KWB_STALE_BANNER (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_stale_banner_parent_class)->dispose (object);
}

static void
kwb_stale_banner_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, KWB_STALE_BANNER (object)->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_stale_banner_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_PROJECT:
      kwb_stale_banner_set_project (KWB_STALE_BANNER (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_stale_banner_class_init (KwbStaleBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_stale_banner_dispose;
  object_class->get_property = kwb_stale_banner_get_property;
  object_class->set_property = kwb_stale_banner_set_property;
  widget_class->root = kwb_stale_banner_root;
  widget_class->unroot = kwb_stale_banner_unroot;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kwb_stale_banner_init (KwbStaleBanner *self)
{
  GtkWidget *box, *button;

  gtk_widget_set_name (GTK_WIDGET (self), "stale_banner");
  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->revealer), GTK_WIDGET (self));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "kwb-banner");
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->label), "stale_label");
  gtk_label_set_wrap (self->label, TRUE);
  gtk_label_set_xalign (self->label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  button = gtk_button_new_with_mnemonic (_("_Rebuild"));
  gtk_widget_set_name (button, "stale_rebuild_button");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_rebuild_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (self->revealer, box);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
