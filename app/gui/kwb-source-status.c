/* kwb-source-status.c — the header's source tree state (branch, commit, dirty) and Build button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the project's kernel source through KwbGitRepo when it is a git work
 * tree (a Debian tarball has no such state: the label hides). The Build
 * button names what changed settings need ([project] pending-rebuild) and
 * opens a build window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-panel.h"
#include "kwb-git-repo.h"
#include "kwb-setup.h"
#include "kwb-source-status.h"

struct _KwbSourceStatus
{
  GtkBox      parent_instance;

  KwbProject *project;
  GtkLabel   *label;
  GtkButton  *build_button;
  GtkWindow  *watched;
};

G_DEFINE_FINAL_TYPE (KwbSourceStatus, kwb_source_status, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
kwb_source_status_refresh (KwbSourceStatus *self)
{
  g_autofree char *source = NULL;
  g_autofree char *pending_word = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;
  KwbRebuild pending;

  g_return_if_fail (KWB_IS_SOURCE_STATUS (self));

  gtk_widget_set_visible (GTK_WIDGET (self->build_button), self->project != NULL);
  if (self->project == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
      return;
    }

  pending_word = kwb_project_dup_string (self->project, "project", "pending-rebuild");
  pending = kwb_rebuild_from_string (pending_word);
  gtk_button_set_label (self->build_button, kwb_rebuild_describe (pending));
  if (pending != KWB_REBUILD_NONE)
    gtk_widget_add_css_class (GTK_WIDGET (self->build_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->build_button), "suggested-action");

  source = kwb_project_dup_path (self->project, "kernel", "source");
  if (source != NULL && g_file_test (source, G_FILE_TEST_IS_DIR))
    repo = kwb_git_repo_open (source, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->label), repo != NULL);
  if (repo != NULL)
    {
      g_autofree char *branch = kwb_git_repo_dup_branch (repo);
      g_autoptr(KwbGitCommit) head = kwb_git_repo_dup_head (repo, NULL);
      g_auto(GStrv) changed = kwb_git_repo_list_changed_files (repo, NULL);
      gboolean dirty = changed && changed[0];
      g_autofree char *text = NULL;
      g_autofree char *tooltip = NULL;

      /* "main · 1a2b3c4 •": the dot says there are local changes. */
      text = g_strdup_printf ("%s · %s%s", branch ? branch : _("detached"),
                              head ? head->short_id : "–", dirty ? " •" : "");
      gtk_label_set_label (self->label, text);
      tooltip = g_strdup_printf (_("%s\n%s\n%s"), source,
                                 head ? head->subject : _("no commit yet"),
                                 dirty ? _("Local changes (marked •)") : _("No local changes"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->label), tooltip);
    }
}

static void
on_project_changed (KwbProject      *project,
                    const char      *group,
                    const char      *key,
                    KwbSourceStatus *self)
{
  if ((g_str_equal (group, "project") && g_str_equal (key, "pending-rebuild")) ||
      (g_str_equal (group, "kernel") && g_str_equal (key, "source")))
    kwb_source_status_refresh (self);
}

void
kwb_source_status_set_project (KwbSourceStatus *self,
                               KwbProject      *project)
{
  g_return_if_fail (KWB_IS_SOURCE_STATUS (self));

  if (self->project)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);
  if (!g_set_object (&self->project, project))
    return;
  if (project)
    g_signal_connect_object (project, "changed", G_CALLBACK (on_project_changed), self, 0);
  kwb_source_status_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

KwbProject *
kwb_source_status_get_project (KwbSourceStatus *self)
{
  g_return_val_if_fail (KWB_IS_SOURCE_STATUS (self), NULL);
  return self->project;
}

/* Files may have been edited in another program: look again whenever the
 * window comes back to the front. */
static void
on_window_active (GtkWindow       *window,
                  GParamSpec      *pspec,
                  KwbSourceStatus *self)
{
  if (gtk_window_is_active (window))
    kwb_source_status_refresh (self);
}

static void
kwb_source_status_root (GtkWidget *widget)
{
  KwbSourceStatus *self = KWB_SOURCE_STATUS (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (kwb_source_status_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->watched = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::is-active", G_CALLBACK (on_window_active), self, 0);
    }
}

static void
kwb_source_status_unroot (GtkWidget *widget)
{
  KwbSourceStatus *self = KWB_SOURCE_STATUS (widget);

  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, on_window_active, self);
  self->watched = NULL;
  GTK_WIDGET_CLASS (kwb_source_status_parent_class)->unroot (widget);
}

static void
on_build_clicked (GtkButton       *button,
                  KwbSourceStatus *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->project)
    kwb_build_panel_present_window (self->project, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
}

static void
kwb_source_status_dispose (GObject *object)
{
  KwbSourceStatus *self = KWB_SOURCE_STATUS (object);

  if (self->project)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);
  g_clear_object (&self->project);
  G_OBJECT_CLASS (kwb_source_status_parent_class)->dispose (object);
}

static void
kwb_source_status_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, KWB_SOURCE_STATUS (object)->project);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_source_status_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_PROJECT:
      kwb_source_status_set_project (KWB_SOURCE_STATUS (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_source_status_class_init (KwbSourceStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_source_status_dispose;
  object_class->get_property = kwb_source_status_get_property;
  object_class->set_property = kwb_source_status_set_property;
  GTK_WIDGET_CLASS (klass)->root = kwb_source_status_root;
  GTK_WIDGET_CLASS (klass)->unroot = kwb_source_status_unroot;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_source_status_init (KwbSourceStatus *self)
{
  gtk_box_set_spacing (GTK_BOX (self), 6);
  gtk_widget_set_name (GTK_WIDGET (self), "source_status_box");

  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->label), "source_tree_label");
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->label), "monospace");
  gtk_widget_set_visible (GTK_WIDGET (self->label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->label));

  self->build_button = GTK_BUTTON (gtk_button_new_with_label (_("Build")));
  gtk_widget_set_name (GTK_WIDGET (self->build_button), "header_build_button");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->build_button),
                               _("Build what the project’s settings need: BusyBox, kernel, initramfs"));
  gtk_widget_set_visible (GTK_WIDGET (self->build_button), FALSE);
  g_signal_connect_object (self->build_button, "clicked", G_CALLBACK (on_build_clicked), self, 0);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->build_button));
}
