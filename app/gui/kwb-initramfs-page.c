/* kwb-initramfs-page.c — the initramfs page: boot files, extra files and kernel modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boot files (rcS, fstab, inittab) are edited in place: text equal to
 * the built-in file clears its [initramfs] key, so the built-in one follows
 * future fixes; anything else is written to PROJECT/initramfs/NAME and the
 * key points there. Extra files and modules are [initramfs] lists, one row
 * per item with a remove button.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "kwb-initramfs.h"
#include "kwb-initramfs-page.h"
#include "kwb-project-page-private.h"

/* The file names in the guest's /etc and their [initramfs] keys. */
static const char * const boot_files[] = { "rcS", "fstab", "inittab" };
static const char * const boot_keys[] = { "rcs", "fstab", "inittab" };

struct _KwbInitramfsPage
{
  KwbProjectPage   parent_instance;

  GtkSourceBuffer *buffers[3];

  /* Template children */
  GtkStack        *boot_stack;
  GtkSourceBuffer *rcs_buffer;
  GtkSourceBuffer *fstab_buffer;
  GtkSourceBuffer *inittab_buffer;
  GtkListBox      *extra_list;
  AdwEntryRow     *extra_entry;
  GtkListBox      *module_list;
  AdwEntryRow     *module_entry;
};

G_DEFINE_FINAL_TYPE (KwbInitramfsPage, kwb_initramfs_page, KWB_TYPE_PROJECT_PAGE)

#define PAGE(self) KWB_PROJECT_PAGE (self)

static void
on_boot_file_changed (GtkTextBuffer    *buffer,
                      KwbInitramfsPage *self)
{
  KwbProject *project = kwb_project_page_get_project (PAGE (self));
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;
  guint i = 0;

  if (kwb_project_page_is_loading (PAGE (self)) || project == NULL)
    return;
  while (i < G_N_ELEMENTS (self->buffers) && GTK_TEXT_BUFFER (self->buffers[i]) != buffer)
    i++;
  g_return_if_fail (i < G_N_ELEMENTS (self->buffers));

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (text, kwb_initramfs_get_default_file (boot_files[i])) == 0)
    {
      kwb_project_page_set_value (PAGE (self), "initramfs", boot_keys[i], "");
      return;
    }
  dir = g_build_filename (kwb_project_get_directory (project), "initramfs", NULL);
  path = g_build_filename (dir, boot_files[i], NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 || !g_file_set_contents (path, text, -1, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save %s: %s"), path,
                                                  error ? error->message : g_strerror (errno));
      kwb_project_page_show_error (PAGE (self), message);
      return;
    }
  kwb_project_page_set_value (PAGE (self), "initramfs", boot_keys[i], path);
}

static void
on_reset_clicked (KwbInitramfsPage *self)
{
  const char *name = gtk_stack_get_visible_child_name (self->boot_stack);

  for (guint i = 0; i < G_N_ELEMENTS (boot_files); i++)
    if (g_strcmp0 (name, boot_files[i]) == 0)
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffers[i]),
                                kwb_initramfs_get_default_file (boot_files[i]), -1);
}

/* --- extra files and modules ------------------------------------------- */

static const char *
list_key (KwbInitramfsPage *self,
          GtkListBox       *list)
{
  return list == self->module_list ? "modules" : "extra-files";
}

static void fill_list (KwbInitramfsPage *self, GtkListBox *list);

/* The item is the row's title. */
static void
on_remove_item (GtkButton        *button,
                KwbInitramfsPage *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_ACTION_ROW);
  GtkListBox *list = GTK_LIST_BOX (gtk_widget_get_parent (row));
  const char *item = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  const char *key = list_key (self, list);
  g_auto(GStrv) items = kwb_project_dup_string_list (kwb_project_page_get_project (PAGE (self)), "initramfs", key);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; items && items[i]; i++)
    if (g_strcmp0 (items[i], item) != 0)
      g_strv_builder_add (kept, items[i]);
  result = g_strv_builder_end (kept);
  kwb_project_page_set_string_list (PAGE (self), "initramfs", key, (const char * const *) result);
  fill_list (self, list);
}

static void
fill_list (KwbInitramfsPage *self,
           GtkListBox       *list)
{
  g_auto(GStrv) items = kwb_project_dup_string_list (kwb_project_page_get_project (PAGE (self)),
                                                     "initramfs", list_key (self, list));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
  for (guint i = 0; items && items[i]; i++)
    {
      AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
      GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), items[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Remove"));
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_item), self, 0);
      adw_action_row_add_suffix (row, button);
      gtk_list_box_append (list, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (list), items && items[0]);
}

static void
on_add_item (AdwEntryRow      *entry,
             KwbInitramfsPage *self)
{
  GtkListBox *list = entry == self->module_entry ? self->module_list : self->extra_list;
  const char *key = list_key (self, list);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_auto(GStrv) items = kwb_project_dup_string_list (kwb_project_page_get_project (PAGE (self)), "initramfs", key);
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  if (*text == '\0')
    return;
  if (list == self->module_list && !g_str_has_suffix (text, ".ko"))
    {
      kwb_project_page_show_error (PAGE (self),
                                   _("A kernel module is a .ko file: type its path, for example build/kernel/fs/foo/foo.ko."));
      return;
    }
  if (list == self->extra_list && strchr (text, ':') == NULL)
    {
      kwb_project_page_show_error (PAGE (self),
                                   _("Write an extra file as HOST_PATH:GUEST_PATH, for example ~/bin/tool:/bin/tool."));
      return;
    }
  kwb_project_page_show_error (PAGE (self), NULL);
  if (items)
    g_strv_builder_addv (all, (const char **) items);
  g_strv_builder_add (all, text);
  result = g_strv_builder_end (all);
  /* Refused (a pasted line break): the text stays for the user to fix. */
  if (!kwb_project_page_set_string_list (PAGE (self), "initramfs", key, (const char * const *) result))
    return;
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  fill_list (self, list);
}

/* --- object ------------------------------------------------------------ */

static void
kwb_initramfs_page_load (KwbProjectPage *page)
{
  KwbInitramfsPage *self = KWB_INITRAMFS_PAGE (page);
  KwbProject *project = kwb_project_page_get_project (page);
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  gtk_source_buffer_set_language (self->rcs_buffer, gtk_source_language_manager_get_language (languages, "sh"));
  for (guint i = 0; i < G_N_ELEMENTS (boot_files); i++)
    {
      g_autofree char *path = kwb_project_dup_path (project, "initramfs", boot_keys[i]);
      g_autofree char *text = NULL;

      gtk_source_buffer_set_style_scheme (self->buffers[i],
                                          gtk_source_style_scheme_manager_get_scheme (schemes, "Adwaita"));
      if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
        text = g_strdup (kwb_initramfs_get_default_file (boot_files[i]));
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffers[i]), text, -1);
    }
  fill_list (self, self->extra_list);
  fill_list (self, self->module_list);
  kwb_project_page_set_complete (page, TRUE);
}

static char *
kwb_initramfs_page_dup_summary (KwbProjectPage *page)
{
  KwbProject *p = kwb_project_page_get_project (page);
  g_auto(GStrv) extra = kwb_project_dup_string_list (p, "initramfs", "extra-files");
  g_auto(GStrv) modules = kwb_project_dup_string_list (p, "initramfs", "modules");
  guint changed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (boot_keys); i++)
    {
      g_autofree char *path = kwb_project_dup_string (p, "initramfs", boot_keys[i]);

      changed += path != NULL && *path != '\0';
    }
  return g_strdup_printf (_("%u of 3 boot files edited, %u extra files, %u modules"),
                          changed, extra ? g_strv_length (extra) : 0, modules ? g_strv_length (modules) : 0);
}

static void
kwb_initramfs_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_INITRAMFS_PAGE);
  G_OBJECT_CLASS (kwb_initramfs_page_parent_class)->dispose (object);
}

static void
kwb_initramfs_page_class_init (KwbInitramfsPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KwbProjectPageClass *page_class = KWB_PROJECT_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = kwb_initramfs_page_dispose;
  page_class->load = kwb_initramfs_page_load;
  page_class->dup_summary = kwb_initramfs_page_dup_summary;

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-initramfs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, boot_stack);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, rcs_buffer);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, fstab_buffer);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, inittab_buffer);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, extra_list);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, extra_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, module_list);
  gtk_widget_class_bind_template_child (widget_class, KwbInitramfsPage, module_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_boot_file_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_reset_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_add_item);
}

static void
kwb_initramfs_page_init (KwbInitramfsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "initramfs");
  /* In the order of boot_files. */
  self->buffers[0] = self->rcs_buffer;
  self->buffers[1] = self->fstab_buffer;
  self->buffers[2] = self->inittab_buffer;
}
