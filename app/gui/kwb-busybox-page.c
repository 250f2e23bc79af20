/* kwb-busybox-page.c — the BusyBox page: the host's static binary, a source tree or another binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes [busybox] source (host, tree or binary) and the tree or binary it
 * uses. A binary is checked (static, the guest's architecture) before it is saved, then asked
 * for its version in the background; a tree is only checked to exist (the
 * build says the rest).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-busybox.h"
#include "kwb-busybox-page.h"
#include "kwb-path-row.h"
#include "kwb-project-page-private.h"
#include "kwb-setup.h"

enum { BUSYBOX_HOST, BUSYBOX_TREE, BUSYBOX_BINARY };
static const char * const busybox_modes[] = { "host", "tree", "binary" };

struct _KwbBusyboxPage
{
  KwbProjectPage       parent_instance;

  char                *busybox_version;

  /* Template children */
  AdwComboRow         *mode_row;
  AdwPreferencesGroup *host_group;
  AdwActionRow        *host_row;
  AdwPreferencesGroup *tree_group;
  AdwEntryRow         *tree_entry;
  AdwPreferencesGroup *binary_group;
  AdwEntryRow         *binary_entry;
};

G_DEFINE_FINAL_TYPE (KwbBusyboxPage, kwb_busybox_page, KWB_TYPE_PROJECT_PAGE)

#define PAGE(self) KWB_PROJECT_PAGE (self)

static void
on_busybox_version (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KwbBusyboxPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = kwb_setup_busybox_version_finish (result, &error);
  g_autofree char *binary = NULL;
  g_autofree char *text = NULL;

  if (kwb_project_page_is_disposed (PAGE (self)))
    return;
  if (version == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        kwb_project_page_show_error (PAGE (self), error->message);
      return;
    }
  binary = kwb_project_dup_path (kwb_project_page_get_project (PAGE (self)), "busybox", "binary");
  g_free (self->busybox_version);
  self->busybox_version = g_strdup (version);
  text = g_strdup_printf (_("%s — BusyBox %s, static: runs in an initramfs without a C library"), binary, version);
  kwb_action_row_set_plain_subtitle (self->host_row, text);
}

/* Checks the project's binary (host or another one) and asks its version. */
static gboolean
check_busybox_binary (KwbBusyboxPage *self)
{
  g_autofree char *binary = kwb_project_dup_path (kwb_project_page_get_project (PAGE (self)), "busybox", "binary");
  g_autoptr(GError) error = NULL;

  kwb_action_row_set_plain_subtitle (self->host_row, binary);
  if (binary == NULL || !kwb_busybox_check_binary (binary, kwb_arch_for_project (kwb_project_page_get_project (PAGE (self))), &error))
    {
      kwb_project_page_show_error (PAGE (self), error ? error->message : _("Choose a static BusyBox binary."));
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return FALSE;
    }
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
  kwb_setup_busybox_version_async (binary, kwb_project_page_renew_cancellable (PAGE (self)),
                                   on_busybox_version, g_object_ref (self));
  return TRUE;
}

static void
on_busybox_binary_apply (KwbBusyboxPage *self)
{
  g_autofree char *path = kwb_project_page_absolute_path (PAGE (self),
                                                          gtk_editable_get_text (GTK_EDITABLE (self->binary_entry)));
  g_autoptr(GError) error = NULL;

  if (path == NULL || !kwb_busybox_check_binary (path, kwb_arch_for_project (kwb_project_page_get_project (PAGE (self))), &error))
    {
      kwb_project_page_show_error (PAGE (self), error ? error->message : _("Type or choose a static BusyBox binary."));
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  kwb_project_page_set_value (PAGE (self), "busybox", "binary", path);
  check_busybox_binary (self);
}

static void
on_busybox_tree_apply (KwbBusyboxPage *self)
{
  g_autofree char *path = kwb_project_page_absolute_path (PAGE (self),
                                                          gtk_editable_get_text (GTK_EDITABLE (self->tree_entry)));

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” does not exist. Choose a BusyBox source folder or tarball "
                                                    "(apt-get source busybox gives one)."),
                                                  path ? path : "");
      kwb_project_page_show_error (PAGE (self), message);
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  kwb_project_page_set_value (PAGE (self), "busybox", "tree", path);
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
}

static void
show_busybox_mode (KwbBusyboxPage *self,
                   guint           mode)
{
  gtk_widget_set_visible (GTK_WIDGET (self->host_group), mode != BUSYBOX_TREE);
  gtk_widget_set_visible (GTK_WIDGET (self->tree_group), mode == BUSYBOX_TREE);
  gtk_widget_set_visible (GTK_WIDGET (self->binary_group), mode == BUSYBOX_BINARY);
}

static void
on_busybox_mode (KwbBusyboxPage *self)
{
  guint mode = adw_combo_row_get_selected (self->mode_row);

  if (kwb_project_page_is_loading (PAGE (self)))
    return;
  show_busybox_mode (self, mode);
  kwb_project_page_set_value (PAGE (self), "busybox", "source", busybox_modes[mode]);
  if (mode == BUSYBOX_HOST)
    {
      kwb_project_page_set_value (PAGE (self), "busybox", "binary", "/bin/busybox");
      check_busybox_binary (self);
    }
  else if (mode == BUSYBOX_TREE)
    on_busybox_tree_apply (self);
  else
    on_busybox_binary_apply (self);
}

static void
kwb_busybox_page_load (KwbProjectPage *page)
{
  KwbBusyboxPage *self = KWB_BUSYBOX_PAGE (page);
  KwbProject *project = kwb_project_page_get_project (page);
  g_autofree char *source = kwb_project_dup_string (project, "busybox", "source");
  g_autofree char *tree = kwb_project_dup_path (project, "busybox", "tree");
  g_autofree char *binary = kwb_project_dup_path (project, "busybox", "binary");
  guint mode = BUSYBOX_HOST;

  for (guint i = 0; i < G_N_ELEMENTS (busybox_modes); i++)
    if (g_strcmp0 (source, busybox_modes[i]) == 0)
      mode = i;
  adw_combo_row_set_selected (self->mode_row, mode);
  gtk_editable_set_text (GTK_EDITABLE (self->tree_entry), tree ? tree : "");
  gtk_editable_set_text (GTK_EDITABLE (self->binary_entry), binary && mode == BUSYBOX_BINARY ? binary : "");
  show_busybox_mode (self, mode);
}

/* A tree is written back, as an absolute path. */
static void
kwb_busybox_page_check (KwbProjectPage *page)
{
  KwbBusyboxPage *self = KWB_BUSYBOX_PAGE (page);

  if (adw_combo_row_get_selected (self->mode_row) == BUSYBOX_TREE)
    on_busybox_tree_apply (self);
  else
    check_busybox_binary (self);
}

static char *
kwb_busybox_page_dup_summary (KwbProjectPage *page)
{
  KwbBusyboxPage *self = KWB_BUSYBOX_PAGE (page);
  KwbProject *p = kwb_project_page_get_project (page);
  g_autofree char *source = kwb_project_dup_string (p, "busybox", "source");
  g_autofree char *binary = kwb_project_dup_path (p, "busybox", "binary");
  g_autofree char *tree = kwb_project_dup_path (p, "busybox", "tree");

  if (g_strcmp0 (source, "tree") == 0)
    return g_strdup_printf (_("built from %s"), tree);
  if (self->busybox_version)
    return g_strdup_printf (_("%s (BusyBox %s)"), binary, self->busybox_version);
  return g_steal_pointer (&binary);
}

static void
kwb_busybox_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_BUSYBOX_PAGE);
  G_OBJECT_CLASS (kwb_busybox_page_parent_class)->dispose (object);
}

static void
kwb_busybox_page_finalize (GObject *object)
{
  KwbBusyboxPage *self = KWB_BUSYBOX_PAGE (object);

  g_clear_pointer (&self->busybox_version, g_free);
  G_OBJECT_CLASS (kwb_busybox_page_parent_class)->finalize (object);
}

static void
kwb_busybox_page_class_init (KwbBusyboxPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KwbProjectPageClass *page_class = KWB_PROJECT_PAGE_CLASS (klass);

  object_class->dispose = kwb_busybox_page_dispose;
  object_class->finalize = kwb_busybox_page_finalize;
  page_class->load = kwb_busybox_page_load;
  page_class->check = kwb_busybox_page_check;
  page_class->dup_summary = kwb_busybox_page_dup_summary;

  g_type_ensure (KWB_TYPE_PATH_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-busybox-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, host_group);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, tree_group);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, tree_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, binary_group);
  gtk_widget_class_bind_template_child (widget_class, KwbBusyboxPage, binary_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_busybox_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_busybox_tree_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_busybox_binary_apply);
}

static void
kwb_busybox_page_init (KwbBusyboxPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "busybox");
}
