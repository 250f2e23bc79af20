/* kwb-project-page.c — one page of project choices, shared by the wizard and Project Settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each page edits a part of a KwbProject and saves the project file after
 * every change, so a wizard closed half-way keeps what was chosen. A page is
 * "complete" when what it shows can be built: the wizard's Next button
 * follows that. Pages never spawn or parse anything themselves: they call
 * the core (KwbGitRepo, KwbKernelBuild, KwbBusybox, kwb-setup).
 *
 * Widgets that tests drive carry names (gtk_widget_set_name) listed in the
 * builders below.
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "kwb-busybox.h"
#include "kwb-git-repo.h"
#include "kwb-initramfs.h"
#include "kwb-kconfig.h"
#include "kwb-kernel-build.h"
#include "kwb-project-page.h"
#include "kwb-qemu.h"
#include "kwb-setup.h"

struct _KwbProjectPage
{
  AdwPreferencesPage  parent_instance;

  KwbProject         *project;
  KwbProjectPageKind  kind;
  gboolean            complete;
  char               *error;
  GCancellable       *cancellable;
  gboolean            loading;   /* filling widgets from the project: do not write back */
  gboolean            disposed;  /* async results arriving later touch no widget */

  GtkLabel           *error_label;
  AdwPreferencesGroup *error_group;

  /* source */
  AdwComboRow        *mode_row;
  AdwPreferencesGroup *debian_group;
  AdwComboRow        *debian_row;
  GStrv               tarballs;
  AdwPreferencesGroup *folder_group;
  AdwEntryRow        *folder_entry;
  AdwPreferencesGroup *git_group;
  AdwEntryRow        *git_url_entry;
  AdwEntryRow        *git_branch_entry;
  AdwEntryRow        *git_dest_entry;
  GtkProgressBar     *clone_progress;
  GtkButton          *clone_button;
  GtkButton          *clone_cancel_button;
  AdwPreferencesGroup *found_group;
  AdwActionRow       *version_row;
  AdwActionRow       *branch_row;
  AdwActionRow       *commit_row;
  AdwActionRow       *state_row;

  /* busybox */
  AdwActionRow       *host_row;
  AdwPreferencesGroup *host_group;
  AdwPreferencesGroup *tree_group;
  AdwEntryRow        *tree_entry;
  AdwPreferencesGroup *binary_group;
  AdwEntryRow        *binary_entry;
  char               *busybox_version;

  /* initramfs */
  GtkSourceBuffer    *buffers[3];
  GtkListBox         *lists[2];

  /* kernel */
  AdwEntryRow        *config_entry;
  AdwPreferencesGroup *doctor_group;
  GtkWidget          *doctor_rows;
  GtkButton          *configure_button;
  GtkSpinner         *configure_spinner;
  KwbKernelBuild     *configure_build;
};

G_DEFINE_FINAL_TYPE (KwbProjectPage, kwb_project_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_COMPLETE,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const page_ids[] = { "source", "busybox", "initramfs", "kernel", "machine" };
static const char * const boot_files[] = { "rcS", "fstab", "inittab" };
static const char * const boot_keys[] = { "rcs", "fstab", "inittab" };

/* --- helpers ---------------------------------------------------------- */

static void
set_complete (KwbProjectPage *self,
              gboolean        complete)
{
  complete = !!complete;
  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* What went wrong, on the page itself (never a dialog: the user fixes it
 * right there). NULL clears it. */
static void
show_error (KwbProjectPage *self,
            const char     *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), message != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static gboolean
save_project (KwbProjectPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!kwb_project_save (self->project, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
set_value (KwbProjectPage *self,
           const char     *group,
           const char     *key,
           const char     *value)
{
  g_autoptr(GError) error = NULL;

  if (self->loading)
    return;
  if (!kwb_project_set_value (self->project, group, key, value, &error))
    {
      show_error (self, error->message);
      return;
    }
  save_project (self);
}

static AdwPreferencesGroup *
add_group (KwbProjectPage *self,
           const char     *title,
           const char     *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), group);
  return group;
}

static AdwActionRow *
add_info_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *name)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static void
set_subtitle (AdwActionRow *row,
              const char   *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  adw_action_row_set_subtitle (row, escaped);
}

typedef struct {
  const char *group;
  const char *key;
} KeyRef;

static void
on_switch_active (GtkSwitch      *sw,
                  GParamSpec     *pspec,
                  KwbProjectPage *self)
{
  const KeyRef *ref = g_object_get_data (G_OBJECT (sw), "kwb-key");

  set_value (self, ref->group, ref->key, gtk_switch_get_active (sw) ? "true" : "false");
}

static GtkSwitch *
add_switch_row (KwbProjectPage      *self,
                AdwPreferencesGroup *group,
                const char          *title,
                const char          *subtitle,
                const char          *pgroup,
                const char          *key,
                const char          *name)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkSwitch *sw = GTK_SWITCH (gtk_switch_new ());
  KeyRef *ref = g_new (KeyRef, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (GTK_WIDGET (sw), GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (row, GTK_WIDGET (sw));
  adw_action_row_set_activatable_widget (row, GTK_WIDGET (sw));
  gtk_widget_set_name (GTK_WIDGET (sw), name);
  adw_preferences_group_add (group, GTK_WIDGET (row));

  if (pgroup != NULL)
    {
      ref->group = pgroup;
      ref->key = key;
      g_object_set_data_full (G_OBJECT (sw), "kwb-key", ref, g_free);
      gtk_switch_set_active (sw, kwb_project_get_boolean (self->project, pgroup, key));
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_switch_active), self, 0);
    }
  else
    g_free (ref);
  return sw;
}

static void
on_entry_changed (GtkEditable    *entry,
                  KwbProjectPage *self)
{
  const KeyRef *ref = g_object_get_data (G_OBJECT (entry), "kwb-key");

  set_value (self, ref->group, ref->key, gtk_editable_get_text (entry));
}

/* An entry saved as it is typed: for free text (command line, names). */
static AdwEntryRow *
add_entry_row (KwbProjectPage      *self,
               AdwPreferencesGroup *group,
               const char          *title,
               const char          *pgroup,
               const char          *key,
               const char          *name)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  g_autofree char *value = NULL;
  KeyRef *ref = g_new (KeyRef, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  if (pgroup != NULL)
    {
      ref->group = pgroup;
      ref->key = key;
      g_object_set_data_full (G_OBJECT (row), "kwb-key", ref, g_free);
      value = kwb_project_dup_string (self->project, pgroup, key);
      gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
      g_signal_connect_object (row, "changed", G_CALLBACK (on_entry_changed), self, 0);
    }
  else
    g_free (ref);
  return row;
}

static void
on_spin_changed (GtkSpinButton  *spin,
                 KwbProjectPage *self)
{
  const KeyRef *ref = g_object_get_data (G_OBJECT (spin), "kwb-key");
  g_autofree char *text = g_strdup_printf ("%d", gtk_spin_button_get_value_as_int (spin));

  set_value (self, ref->group, ref->key, text);
}

static GtkSpinButton *
add_spin_row (KwbProjectPage      *self,
              AdwPreferencesGroup *group,
              const char          *title,
              const char          *subtitle,
              const char          *pgroup,
              const char          *key,
              double               step,
              const char          *name)
{
  const KwbProjectKey *k = kwb_project_lookup_key (pgroup, key);
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (k->min, MIN (k->max, 262144), step));
  KeyRef *ref = g_new (KeyRef, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  gtk_widget_set_valign (GTK_WIDGET (spin), GTK_ALIGN_CENTER);
  gtk_widget_set_name (GTK_WIDGET (spin), name);
  adw_action_row_add_suffix (row, GTK_WIDGET (spin));
  adw_preferences_group_add (group, GTK_WIDGET (row));
  ref->group = pgroup;
  ref->key = key;
  g_object_set_data_full (G_OBJECT (spin), "kwb-key", ref, g_free);
  gtk_spin_button_set_value (spin, kwb_project_get_int (self->project, pgroup, key));
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (on_spin_changed), self, 0);
  return spin;
}

static AdwComboRow *
add_combo_row (AdwPreferencesGroup *group,
               const char          *title,
               const char          *subtitle,
               const char * const  *labels,
               const char          *name)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());
  g_autoptr(GtkStringList) model = gtk_string_list_new (labels);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_combo_row_set_model (row, G_LIST_MODEL (model));
  gtk_widget_set_name (GTK_WIDGET (row), name);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

/* A "Choose…" button at the end of an entry row: a native folder or file
 * chooser (GtkFileDialog is GTK 4.10; Debian 12 has 4.8). */
static void
on_chooser_response (GtkNativeDialog *dialog,
                     int              response,
                     AdwEntryRow     *entry)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        {
          gtk_editable_set_text (GTK_EDITABLE (entry), path);
          g_signal_emit_by_name (entry, "apply");
        }
    }
  g_object_unref (dialog);
}

static void
on_choose_clicked (GtkButton   *button,
                   AdwEntryRow *entry)
{
  GtkFileChooserAction action = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "kwb-action"));
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (entry)),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        action, _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_chooser_response), entry);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* An entry whose value is checked before it is saved: applied with Enter,
 * the apply button or a chooser. */
static AdwEntryRow *
add_path_row (AdwPreferencesGroup  *group,
              const char           *title,
              GtkFileChooserAction  action,
              const char           *name)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkWidget *button = gtk_button_new_from_icon_name ("document-open-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (row, TRUE);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Choose…"));
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "kwb-action", GINT_TO_POINTER (action));
  g_signal_connect (button, "clicked", G_CALLBACK (on_choose_clicked), row);
  adw_entry_row_add_suffix (row, button);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static char *
absolute_path (KwbProjectPage *self,
               const char     *text)
{
  g_autofree char *expanded = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  if (text[0] == '~' && (text[1] == '/' || text[1] == '\0'))
    expanded = g_build_filename (g_get_home_dir (), text + 1, NULL);
  else
    expanded = g_strdup (text);
  return g_canonicalize_filename (expanded, kwb_project_get_directory (self->project));
}

/* --- kernel source ---------------------------------------------------- */

enum { SOURCE_DEBIAN, SOURCE_FOLDER, SOURCE_GIT };

static void
show_found_tree (KwbProjectPage *self,
                 const char     *tree,
                 const char     *version_note)
{
  g_autofree char *version = tree ? kwb_setup_dup_kernel_version (tree) : NULL;
  g_autoptr(KwbGitRepo) repo = tree ? kwb_git_repo_open (tree, NULL) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->found_group), TRUE);
  if (version != NULL)
    set_subtitle (self->version_row, version);
  else
    set_subtitle (self->version_row, version_note);

  gtk_widget_set_visible (GTK_WIDGET (self->branch_row), repo != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->commit_row), repo != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->state_row), repo != NULL);
  if (repo != NULL)
    {
      g_autofree char *branch = kwb_git_repo_dup_branch (repo);
      g_autoptr(KwbGitCommit) head = kwb_git_repo_dup_head (repo, NULL);
      g_auto(GStrv) changed = kwb_git_repo_list_changed_files (repo, NULL);
      g_autofree char *commit = NULL;
      g_autofree char *state = NULL;
      guint n = changed ? g_strv_length (changed) : 0;

      set_subtitle (self->branch_row, branch ? branch : _("none (detached HEAD)"));
      if (head != NULL)
        commit = g_strdup_printf ("%s %s — %s", head->short_id, head->subject, head->author);
      set_subtitle (self->commit_row, commit ? commit : _("no commit yet"));
      if (n == 0)
        state = g_strdup (_("Clean: no local changes"));
      else
        state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Modified: %u file has local changes (%s)",
                                              "Modified: %u files have local changes (first: %s)", n),
                                 n, changed[0]);
      set_subtitle (self->state_row, state);
    }
}

/* user_choice: the user picked it (saved); otherwise only shown, so that
 * opening Project Settings never changes the project. */
static void
select_debian (KwbProjectPage *self,
               gboolean        user_choice)
{
  guint i = adw_combo_row_get_selected (self->debian_row);
  const char *tarball;
  g_autofree char *shared = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;

  if (self->tarballs == NULL || self->tarballs[0] == NULL || i >= g_strv_length (self->tarballs))
    {
      show_error (self, _("No Debian kernel source package is installed. Install one with "
                          "“sudo apt-get install linux-source-6.1”, or choose a folder or a git repository."));
      gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
      set_complete (self, FALSE);
      return;
    }
  tarball = self->tarballs[i];
  if (user_choice)
    {
      set_value (self, "kernel", "source", tarball);
      /* Empty: extracted once under ~/.cache for every project, not per project. */
      set_value (self, "kernel", "source-dir", "");
    }
  shared = kwb_kernel_build_dup_shared_source_dir (tarball, NULL);
  name = g_path_get_basename (tarball);
  note = g_strdup_printf (_("%.*s, from the package; the exact version shows once the first build has extracted it"),
                          (int) (strlen (name) - strlen ("linux-source-") - strlen (".tar.xz")),
                          name + strlen ("linux-source-"));
  show_found_tree (self, shared && g_file_test (shared, G_FILE_TEST_IS_DIR) ? shared : NULL, note);
  show_error (self, NULL);
  set_complete (self, TRUE);
}

static gboolean
apply_tree (KwbProjectPage *self,
            const char     *path)
{
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      show_error (self, _("Type or choose the folder of a kernel source tree."));
      set_complete (self, FALSE);
      return FALSE;
    }
  if (!kwb_kernel_build_check_tree (path, &error))
    {
      show_error (self, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
      set_complete (self, FALSE);
      return FALSE;
    }
  set_value (self, "kernel", "source", path);
  show_found_tree (self, path, _("unknown (the Makefile has no VERSION)"));
  show_error (self, NULL);
  set_complete (self, TRUE);
  return TRUE;
}

static void
on_folder_apply (AdwEntryRow    *entry,
                 KwbProjectPage *self)
{
  g_autofree char *path = absolute_path (self, gtk_editable_get_text (GTK_EDITABLE (entry)));

  apply_tree (self, path);
}

static void
show_source_mode (KwbProjectPage *self,
                  guint           mode)
{
  gtk_widget_set_visible (GTK_WIDGET (self->debian_group), mode == SOURCE_DEBIAN);
  gtk_widget_set_visible (GTK_WIDGET (self->folder_group), mode == SOURCE_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (self->git_group), mode == SOURCE_GIT);
}

static void
on_source_mode (AdwComboRow    *row,
                GParamSpec     *pspec,
                KwbProjectPage *self)
{
  guint mode = adw_combo_row_get_selected (row);

  show_source_mode (self, mode);
  if (self->loading)
    return;
  show_error (self, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
  set_complete (self, FALSE);
  if (mode == SOURCE_DEBIAN)
    select_debian (self, TRUE);
  else if (mode == SOURCE_FOLDER && *gtk_editable_get_text (GTK_EDITABLE (self->folder_entry)))
    on_folder_apply (self->folder_entry, self);
}

static void
on_debian_selected (AdwComboRow    *row,
                    GParamSpec     *pspec,
                    KwbProjectPage *self)
{
  if (!self->loading && adw_combo_row_get_selected (self->mode_row) == SOURCE_DEBIAN)
    select_debian (self, TRUE);
}

static void
format_size (GString *s,
             guint64  bytes)
{
  g_autofree char *size = g_format_size (bytes);

  g_string_append (s, size);
}

static void
on_clone_progress (const KwbGitCloneProgress *p,
                   gpointer                   user_data)
{
  KwbProjectPage *self = user_data;
  g_autoptr(GString) text = g_string_new (NULL);

  if (self->disposed)
    return;
  if (p->checkout_total > 0 && p->received_objects == p->total_objects)
    {
      g_string_printf (text, _("Checking out files: %u of %u"), p->checkout_done, p->checkout_total);
      gtk_progress_bar_set_fraction (self->clone_progress, (double) p->checkout_done / p->checkout_total);
    }
  else if (p->total_objects > 0)
    {
      g_autofree char *rate = g_format_size ((guint64) p->bytes_per_second);

      g_string_printf (text, _("Objects: %u of %u, "), p->received_objects, p->total_objects);
      format_size (text, p->received_bytes);
      /* Translators: a transfer rate, like “1.2 MB/s”. */
      g_string_append_printf (text, _(", %s/s"), rate);
      gtk_progress_bar_set_fraction (self->clone_progress,
                                     (p->received_objects + p->indexed_objects) / (2.0 * p->total_objects));
    }
  else
    {
      g_string_assign (text, _("Connecting…"));
      gtk_progress_bar_pulse (self->clone_progress);
    }
  gtk_progress_bar_set_text (self->clone_progress, text->str);
}

static void
set_cloning (KwbProjectPage *self,
             gboolean        cloning)
{
  gtk_widget_set_visible (GTK_WIDGET (self->clone_progress), cloning);
  gtk_widget_set_visible (GTK_WIDGET (self->clone_cancel_button), cloning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->clone_button), !cloning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->mode_row), !cloning);
}

static void
on_cloned (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_clone_finish (result, &error);

  if (self->disposed)
    return;
  set_cloning (self, FALSE);
  g_clear_object (&self->cancellable);
  if (repo == NULL)
    {
      show_error (self, error->message);
      set_complete (self, FALSE);
      return;
    }
  apply_tree (self, kwb_git_repo_get_path (repo));
}

static void
on_clone_clicked (GtkButton      *button,
                  KwbProjectPage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->git_url_entry));
  const char *branch = gtk_editable_get_text (GTK_EDITABLE (self->git_branch_entry));
  g_autofree char *dest = absolute_path (self, gtk_editable_get_text (GTK_EDITABLE (self->git_dest_entry)));

  if (*url == '\0' || dest == NULL)
    {
      show_error (self, _("Type the repository’s address (or a local path) and the folder to clone into."));
      return;
    }
  show_error (self, NULL);
  set_complete (self, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
  set_cloning (self, TRUE);
  gtk_progress_bar_set_fraction (self->clone_progress, 0);
  gtk_progress_bar_set_text (self->clone_progress, _("Connecting…"));
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  kwb_git_repo_clone_async (url, dest, *branch ? branch : NULL,
                            on_clone_progress, g_object_ref (self), g_object_unref,
                            self->cancellable, on_cloned, g_object_ref (self));
}

static void
on_clone_cancel_clicked (GtkButton      *button,
                         KwbProjectPage *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
}

static void
build_source_page (KwbProjectPage *self)
{
  const char *modes[] = { _("Debian linux-source package"), _("A folder with a kernel tree"),
                          _("Clone a git repository"), NULL };
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *source = kwb_project_dup_path (self->project, "kernel", "source");
  g_autofree char *default_dest = g_build_filename (kwb_project_get_directory (self->project), "linux", NULL);
  AdwPreferencesGroup *group;
  GtkWidget *box;
  guint mode = SOURCE_DEBIAN;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Kernel Source"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "folder-symbolic");

  group = add_group (self, _("Kernel Source"),
                     _("The kernel to debug. It is built in the project’s own build folder: "
                       "the source folder is only read, never written to."));
  self->mode_row = add_combo_row (group, _("Source"), NULL, modes, "source_mode");

  self->debian_group = add_group (self, _("Debian Package"),
                                  _("The kernel Debian ships as a tarball in /usr/src. "
                                    "It is extracted once, shared by all projects."));
  self->tarballs = kwb_setup_list_linux_sources ();
  for (guint i = 0; self->tarballs[i] != NULL; i++)
    g_ptr_array_add (names, g_path_get_basename (self->tarballs[i]));
  g_ptr_array_add (names, NULL);
  self->debian_row = add_combo_row (self->debian_group, _("Package"), NULL,
                                    (const char * const *) names->pdata, "debian_package");

  self->folder_group = add_group (self, _("Source Folder"),
                                  _("A kernel tree you already have: an extracted tarball or a git checkout. "
                                    "Press Enter to check it."));
  self->folder_entry = add_path_row (self->folder_group, _("Folder"),
                                     GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "folder_entry");
  g_signal_connect_object (self->folder_entry, "apply", G_CALLBACK (on_folder_apply), self, 0);
  g_signal_connect_object (self->folder_entry, "entry-activated", G_CALLBACK (on_folder_apply), self, 0);

  self->git_group = add_group (self, _("Git Repository"),
                               _("Cloned into a new folder of this project. Leave the branch empty for "
                                 "the repository’s default; a tag such as v6.1 works too."));
  self->git_url_entry = add_entry_row (self, self->git_group, _("Address or local path"), NULL, NULL, "git_url_entry");
  self->git_branch_entry = add_entry_row (self, self->git_group, _("Branch or tag"), NULL, NULL, "git_branch_entry");
  self->git_dest_entry = add_entry_row (self, self->git_group, _("Clone into"), NULL, NULL, "git_dest_entry");
  gtk_editable_set_text (GTK_EDITABLE (self->git_dest_entry), default_dest);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_top (box, 12);
  self->clone_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->clone_progress, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->clone_progress), TRUE);
  gtk_widget_set_valign (GTK_WIDGET (self->clone_progress), GTK_ALIGN_CENTER);
  gtk_widget_set_name (GTK_WIDGET (self->clone_progress), "clone_progress");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->clone_progress));
  self->clone_cancel_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Cancel")));
  gtk_widget_set_name (GTK_WIDGET (self->clone_cancel_button), "clone_cancel_button");
  g_signal_connect_object (self->clone_cancel_button, "clicked", G_CALLBACK (on_clone_cancel_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->clone_cancel_button));
  self->clone_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("C_lone")));
  gtk_widget_add_css_class (GTK_WIDGET (self->clone_button), "suggested-action");
  gtk_widget_set_halign (GTK_WIDGET (self->clone_button), GTK_ALIGN_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->clone_button), TRUE);
  gtk_widget_set_name (GTK_WIDGET (self->clone_button), "clone_button");
  g_signal_connect_object (self->clone_button, "clicked", G_CALLBACK (on_clone_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->clone_button));
  adw_preferences_group_add (self->git_group, box);
  set_cloning (self, FALSE);

  self->found_group = add_group (self, _("Found"), NULL);
  self->version_row = add_info_row (self->found_group, _("Kernel version"), "version_row");
  self->branch_row = add_info_row (self->found_group, _("Branch"), "branch_row");
  self->commit_row = add_info_row (self->found_group, _("Commit"), "commit_row");
  self->state_row = add_info_row (self->found_group, _("Local changes"), "state_row");
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);

  /* What the project has now. */
  self->loading = TRUE;
  if (source != NULL && g_file_test (source, G_FILE_TEST_IS_DIR))
    {
      mode = SOURCE_FOLDER;
      gtk_editable_set_text (GTK_EDITABLE (self->folder_entry), source);
    }
  else if (source != NULL)
    for (guint i = 0; self->tarballs[i] != NULL; i++)
      if (g_str_equal (self->tarballs[i], source))
        adw_combo_row_set_selected (self->debian_row, i);
  adw_combo_row_set_selected (self->mode_row, mode);
  show_source_mode (self, mode);
  self->loading = FALSE;
  g_signal_connect_object (self->mode_row, "notify::selected", G_CALLBACK (on_source_mode), self, 0);
  g_signal_connect_object (self->debian_row, "notify::selected", G_CALLBACK (on_debian_selected), self, 0);

  if (mode == SOURCE_FOLDER)
    apply_tree (self, source);
  else
    select_debian (self, FALSE);
}

/* --- BusyBox ---------------------------------------------------------- */

enum { BUSYBOX_HOST, BUSYBOX_TREE, BUSYBOX_BINARY };
static const char * const busybox_modes[] = { "host", "tree", "binary" };

static void
on_busybox_version (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KwbProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = kwb_setup_busybox_version_finish (result, &error);
  g_autofree char *binary = kwb_project_dup_path (self->project, "busybox", "binary");
  g_autofree char *text = NULL;

  if (self->disposed)
    return;
  if (version == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error->message);
      return;
    }
  g_free (self->busybox_version);
  self->busybox_version = g_strdup (version);
  text = g_strdup_printf (_("%s — BusyBox %s, static: runs in an initramfs without a C library"), binary, version);
  set_subtitle (self->host_row, text);
}

/* Checks the project's binary (host or another one) and asks its version. */
static gboolean
check_busybox_binary (KwbProjectPage *self)
{
  g_autofree char *binary = kwb_project_dup_path (self->project, "busybox", "binary");
  g_autoptr(GError) error = NULL;

  if (binary == NULL || !kwb_busybox_check_binary (binary, &error))
    {
      set_subtitle (self->host_row, binary);
      show_error (self, error ? error->message : _("Choose a static BusyBox binary."));
      set_complete (self, FALSE);
      return FALSE;
    }
  show_error (self, NULL);
  set_complete (self, TRUE);
  set_subtitle (self->host_row, binary);
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  kwb_setup_busybox_version_async (binary, self->cancellable, on_busybox_version, g_object_ref (self));
  return TRUE;
}

static void
on_busybox_binary_apply (AdwEntryRow    *entry,
                         KwbProjectPage *self)
{
  g_autofree char *path = absolute_path (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_autoptr(GError) error = NULL;

  if (path == NULL || !kwb_busybox_check_binary (path, &error))
    {
      show_error (self, error ? error->message : _("Type or choose a static BusyBox binary."));
      set_complete (self, FALSE);
      return;
    }
  set_value (self, "busybox", "binary", path);
  check_busybox_binary (self);
}

static void
on_busybox_tree_apply (AdwEntryRow    *entry,
                       KwbProjectPage *self)
{
  g_autofree char *path = absolute_path (self, gtk_editable_get_text (GTK_EDITABLE (entry)));

  if (path == NULL || !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("“%s” does not exist. Choose a BusyBox source folder or tarball "
                                                    "(apt-get source busybox gives one)."),
                                                  path ? path : "");
      show_error (self, message);
      set_complete (self, FALSE);
      return;
    }
  set_value (self, "busybox", "tree", path);
  show_error (self, NULL);
  set_complete (self, TRUE);
}

static void
show_busybox_mode (KwbProjectPage *self,
                   guint           mode)
{
  gtk_widget_set_visible (GTK_WIDGET (self->host_group), mode != BUSYBOX_TREE);
  gtk_widget_set_visible (GTK_WIDGET (self->tree_group), mode == BUSYBOX_TREE);
  gtk_widget_set_visible (GTK_WIDGET (self->binary_group), mode == BUSYBOX_BINARY);
}

static void
on_busybox_mode (AdwComboRow    *row,
                 GParamSpec     *pspec,
                 KwbProjectPage *self)
{
  guint mode = adw_combo_row_get_selected (row);

  show_busybox_mode (self, mode);
  set_value (self, "busybox", "source", busybox_modes[mode]);
  if (mode == BUSYBOX_HOST)
    {
      set_value (self, "busybox", "binary", "/bin/busybox");
      check_busybox_binary (self);
    }
  else if (mode == BUSYBOX_TREE)
    on_busybox_tree_apply (self->tree_entry, self);
  else
    on_busybox_binary_apply (self->binary_entry, self);
}

static void
build_busybox_page (KwbProjectPage *self)
{
  const char *modes[] = { _("The host’s static binary"), _("Build from a source tree"),
                          _("Another static binary"), NULL };
  g_autofree char *source = kwb_project_dup_string (self->project, "busybox", "source");
  g_autofree char *tree = kwb_project_dup_path (self->project, "busybox", "tree");
  g_autofree char *binary = kwb_project_dup_path (self->project, "busybox", "binary");
  AdwPreferencesGroup *group;
  GtkSwitch *sw;
  guint mode = BUSYBOX_HOST;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("BusyBox"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "utilities-terminal-symbolic");

  group = add_group (self, _("BusyBox"),
                     _("The guest’s shell and commands, one static binary. Debian’s busybox-static "
                       "package is the quickest choice."));
  self->mode_row = add_combo_row (group, _("BusyBox"), NULL, modes, "busybox_mode");

  self->host_group = add_group (self, _("Binary"), NULL);
  self->host_row = add_info_row (self->host_group, _("Static binary"), "busybox_binary_row");

  self->tree_group = add_group (self, _("Source Tree"),
                                _("Built out of tree in the project’s build folder with the seed’s options."));
  self->tree_entry = add_path_row (self->tree_group, _("Source folder or tarball"),
                                   GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "busybox_tree_entry");
  g_signal_connect_object (self->tree_entry, "apply", G_CALLBACK (on_busybox_tree_apply), self, 0);
  g_signal_connect_object (self->tree_entry, "entry-activated", G_CALLBACK (on_busybox_tree_apply), self, 0);
  /* Required, so shown on and fixed: they explain what the build does. */
  sw = add_switch_row (self, self->tree_group, _("Static binary (CONFIG_STATIC)"),
                       _("The initramfs has no C library: a static BusyBox runs alone."),
                       NULL, NULL, "busybox_static_switch");
  gtk_switch_set_active (sw, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (sw), FALSE);
  sw = add_switch_row (self, self->tree_group, _("No /usr (CONFIG_INSTALL_NO_USR)"),
                       _("Applets go to /bin and /sbin, where the boot scripts look for them."),
                       NULL, NULL, "busybox_no_usr_switch");
  gtk_switch_set_active (sw, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (sw), FALSE);

  self->binary_group = add_group (self, _("Another Binary"),
                                  _("Any static x86-64 BusyBox, for example one you built yourself."));
  self->binary_entry = add_path_row (self->binary_group, _("Binary"), GTK_FILE_CHOOSER_ACTION_OPEN,
                                     "busybox_binary_entry");
  g_signal_connect_object (self->binary_entry, "apply", G_CALLBACK (on_busybox_binary_apply), self, 0);
  g_signal_connect_object (self->binary_entry, "entry-activated", G_CALLBACK (on_busybox_binary_apply), self, 0);

  for (guint i = 0; i < G_N_ELEMENTS (busybox_modes); i++)
    if (g_strcmp0 (source, busybox_modes[i]) == 0)
      mode = i;
  self->loading = TRUE;
  adw_combo_row_set_selected (self->mode_row, mode);
  gtk_editable_set_text (GTK_EDITABLE (self->tree_entry), tree ? tree : "");
  gtk_editable_set_text (GTK_EDITABLE (self->binary_entry), binary && mode == BUSYBOX_BINARY ? binary : "");
  self->loading = FALSE;
  show_busybox_mode (self, mode);
  g_signal_connect_object (self->mode_row, "notify::selected", G_CALLBACK (on_busybox_mode), self, 0);
  if (mode == BUSYBOX_TREE)
    on_busybox_tree_apply (self->tree_entry, self);
  else
    check_busybox_binary (self);
}

/* --- initramfs -------------------------------------------------------- */

/* Text equal to the built-in file clears the key (the built-in one follows
 * future fixes); anything else is written to PROJECT/initramfs/NAME. */
static void
on_boot_file_changed (GtkTextBuffer  *buffer,
                      KwbProjectPage *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (buffer), "kwb-index"));
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GtkTextIter start, end;

  if (self->loading)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (g_strcmp0 (text, kwb_initramfs_get_default_file (boot_files[i])) == 0)
    {
      set_value (self, "initramfs", boot_keys[i], "");
      return;
    }
  dir = g_build_filename (kwb_project_get_directory (self->project), "initramfs", NULL);
  path = g_build_filename (dir, boot_files[i], NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0 || !g_file_set_contents (path, text, -1, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not save %s: %s"), path,
                                                  error ? error->message : g_strerror (errno));
      show_error (self, message);
      return;
    }
  set_value (self, "initramfs", boot_keys[i], path);
}

static void
on_reset_clicked (GtkButton      *button,
                  KwbProjectPage *self)
{
  GtkStack *stack = g_object_get_data (G_OBJECT (button), "kwb-stack");
  const char *name = gtk_stack_get_visible_child_name (stack);

  for (guint i = 0; i < G_N_ELEMENTS (boot_files); i++)
    if (g_strcmp0 (name, boot_files[i]) == 0)
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffers[i]),
                                kwb_initramfs_get_default_file (boot_files[i]), -1);
}

static void fill_list (KwbProjectPage *self, guint which);
static const char * const list_keys[] = { "extra-files", "modules" };

static void
on_remove_item (GtkButton      *button,
                KwbProjectPage *self)
{
  guint which = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "kwb-list"));
  const char *item = g_object_get_data (G_OBJECT (button), "kwb-item");
  g_auto(GStrv) items = kwb_project_dup_string_list (self->project, "initramfs", list_keys[which]);
  g_autoptr(GStrvBuilder) kept = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  for (guint i = 0; items && items[i]; i++)
    if (g_strcmp0 (items[i], item) != 0)
      g_strv_builder_add (kept, items[i]);
  result = g_strv_builder_end (kept);
  kwb_project_set_string_list (self->project, "initramfs", list_keys[which], (const char * const *) result);
  save_project (self);
  fill_list (self, which);
}

static void
fill_list (KwbProjectPage *self,
           guint           which)
{
  GtkListBox *list = self->lists[which];
  g_auto(GStrv) items = kwb_project_dup_string_list (self->project, "initramfs", list_keys[which]);
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
      g_object_set_data (G_OBJECT (button), "kwb-list", GUINT_TO_POINTER (which));
      g_object_set_data_full (G_OBJECT (button), "kwb-item", g_strdup (items[i]), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_remove_item), self, 0);
      adw_action_row_add_suffix (row, button);
      gtk_list_box_append (list, GTK_WIDGET (row));
    }
  gtk_widget_set_visible (GTK_WIDGET (list), items && items[0]);
}

static void
on_add_item (AdwEntryRow    *entry,
             KwbProjectPage *self)
{
  guint which = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (entry), "kwb-list"));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_auto(GStrv) items = kwb_project_dup_string_list (self->project, "initramfs", list_keys[which]);
  g_autoptr(GStrvBuilder) all = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;

  if (*text == '\0')
    return;
  if (which == 1 && !g_str_has_suffix (text, ".ko"))
    {
      show_error (self, _("A kernel module is a .ko file: type its path, for example build/kernel/fs/foo/foo.ko."));
      return;
    }
  if (which == 0 && strchr (text, ':') == NULL)
    {
      show_error (self, _("Write an extra file as HOST_PATH:GUEST_PATH, for example ~/bin/tool:/bin/tool."));
      return;
    }
  show_error (self, NULL);
  if (items)
    g_strv_builder_addv (all, (const char **) items);
  g_strv_builder_add (all, text);
  result = g_strv_builder_end (all);
  kwb_project_set_string_list (self->project, "initramfs", list_keys[which], (const char * const *) result);
  save_project (self);
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  fill_list (self, which);
}

static void
build_list_group (KwbProjectPage *self,
                  guint           which,
                  const char     *title,
                  const char     *description,
                  const char     *entry_title,
                  const char     *name)
{
  AdwPreferencesGroup *group = add_group (self, title, description);
  AdwEntryRow *entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  GtkListBox *list = GTK_LIST_BOX (gtk_list_box_new ());

  gtk_list_box_set_selection_mode (list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (list), "boxed-list");
  gtk_widget_set_margin_bottom (GTK_WIDGET (list), 12);
  self->lists[which] = list;
  adw_preferences_group_add (group, GTK_WIDGET (list));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (entry), entry_title);
  adw_entry_row_set_show_apply_button (entry, TRUE);
  gtk_widget_set_name (GTK_WIDGET (entry), name);
  g_object_set_data (G_OBJECT (entry), "kwb-list", GUINT_TO_POINTER (which));
  g_signal_connect_object (entry, "apply", G_CALLBACK (on_add_item), self, 0);
  g_signal_connect_object (entry, "entry-activated", G_CALLBACK (on_add_item), self, 0);
  /* In a list box of its own, so it keeps the boxed look below the items. */
  {
    GtkListBox *entry_list = GTK_LIST_BOX (gtk_list_box_new ());

    gtk_list_box_set_selection_mode (entry_list, GTK_SELECTION_NONE);
    gtk_widget_add_css_class (GTK_WIDGET (entry_list), "boxed-list");
    gtk_list_box_append (entry_list, GTK_WIDGET (entry));
    adw_preferences_group_add (group, GTK_WIDGET (entry_list));
  }
  fill_list (self, which);
}

static void
build_initramfs_page (KwbProjectPage *self)
{
  AdwPreferencesGroup *group;
  GtkWidget *box, *bar, *switcher, *reset;
  GtkStack *stack;
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Initramfs"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "package-x-generic-symbolic");

  group = add_group (self, _("Boot Files"),
                     _("What the guest runs at boot. The defaults mount /proc, /sys and /dev and start a shell "
                       "on the serial console; edit them here, Reset brings the default back."));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  stack = GTK_STACK (gtk_stack_new ());
  switcher = gtk_stack_switcher_new ();
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), stack);
  gtk_widget_set_hexpand (switcher, TRUE);
  gtk_widget_set_halign (switcher, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (bar), switcher);
  reset = gtk_button_new_with_mnemonic (_("_Reset"));
  gtk_widget_set_name (reset, "reset_boot_file");
  gtk_widget_set_tooltip_text (reset, _("Bring back the built-in version of this file"));
  g_object_set_data (G_OBJECT (reset), "kwb-stack", stack);
  g_signal_connect_object (reset, "clicked", G_CALLBACK (on_reset_clicked), self, 0);
  gtk_box_append (GTK_BOX (bar), reset);
  gtk_box_append (GTK_BOX (box), bar);

  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (boot_files); i++)
    {
      g_autofree char *path = kwb_project_dup_path (self->project, "initramfs", boot_keys[i]);
      g_autofree char *text = NULL;
      g_autofree char *name = g_strdup_printf ("%s_editor", boot_keys[i]);
      GtkWidget *scrolled = gtk_scrolled_window_new ();
      GtkWidget *view;

      self->buffers[i] = gtk_source_buffer_new (NULL);
      if (g_str_equal (boot_files[i], "rcS"))
        gtk_source_buffer_set_language (self->buffers[i], gtk_source_language_manager_get_language (languages, "sh"));
      gtk_source_buffer_set_style_scheme (self->buffers[i],
                                          gtk_source_style_scheme_manager_get_scheme (schemes, "Adwaita"));
      if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
        text = g_strdup (kwb_initramfs_get_default_file (boot_files[i]));
      gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffers[i]), text, -1);
      g_object_set_data (G_OBJECT (self->buffers[i]), "kwb-index", GUINT_TO_POINTER (i));
      g_signal_connect_object (self->buffers[i], "changed", G_CALLBACK (on_boot_file_changed), self, 0);

      view = gtk_source_view_new_with_buffer (self->buffers[i]);
      gtk_widget_set_name (view, name);
      gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
      gtk_source_view_set_show_line_numbers (GTK_SOURCE_VIEW (view), TRUE);
      gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 6);
      gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 6);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
      gtk_widget_set_size_request (scrolled, -1, 220);
      gtk_widget_add_css_class (scrolled, "card");
      gtk_widget_set_overflow (scrolled, GTK_OVERFLOW_HIDDEN);
      gtk_stack_add_titled (stack, scrolled, boot_files[i],
                            g_str_equal (boot_files[i], "rcS") ? "etc/init.d/rcS" :
                            g_str_equal (boot_files[i], "fstab") ? "etc/fstab" : "etc/inittab");
    }
  self->loading = FALSE;
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (stack));
  adw_preferences_group_add (group, box);

  build_list_group (self, 0, _("Extra Files"),
                    _("Host files or folders copied into the guest, each as HOST_PATH:GUEST_PATH."),
                    _("Add HOST_PATH:GUEST_PATH"), "extra_file_entry");
  build_list_group (self, 1, _("Kernel Modules"),
                    _("Modules (.ko) to load or debug, put under /lib/modules/RELEASE in the guest. "
                      "Their symbols load in GDB when the guest loads them."),
                    _("Add a .ko file"), "module_entry");
  set_complete (self, TRUE);
}

/* --- kernel configuration --------------------------------------------- */

typedef struct {
  const char *symbol;
  const char *value;     /* what the debug layer asks for */
  const char *title;
  const char *why;
} DebugOption;

static const DebugOption debug_rows[] = {
  { "RANDOMIZE_BASE", "n", N_("KASLR off"),
    N_("With KASLR the kernel runs at a random address, so vmlinux’s addresses are wrong and breakpoints never hit.") },
  { "DEBUG_INFO_DWARF4", "y", N_("Debug information, DWARF 4"),
    N_("Source lines, types and variables for GDB. Since Linux 5.18 a DWARF version must be chosen; DWARF 4 is what the seed uses.") },
  { "DEBUG_INFO_REDUCED", "n", N_("Full debug information"),
    N_("Reduced debug information drops types and local variables: print would show nothing useful.") },
  { "GDB_SCRIPTS", "y", N_("GDB scripts (vmlinux-gdb.py)"),
    N_("Adds lx-symbols, lx-dmesg, lx-ps to GDB; module symbols are loaded the same way.") },
  { "FRAME_POINTER", "y", N_("Frame pointers"),
    N_("Reliable backtraces at any breakpoint.") },
  { "UEVENT_HELPER", "y", N_("Hotplug helper (UEVENT_HELPER)"),
    N_("BusyBox’s mdev registers through /proc/sys/kernel/hotplug; without it rcS fails with “cannot create /proc/sys/kernel/hotplug”.") },
  { "NET", "y", N_("Networking (NET)"),
    N_("The hotplug sysctl above only exists with networking on, even with no network device.") },
  { "DEBUG_FS", "y", N_("debugfs"),
    N_("Mounted by the boot script: tracing and many drivers’ state live there.") },
};

static char *
opposite_line (const DebugOption *o)
{
  return g_strdup_printf ("CONFIG_%s=%s", o->symbol, g_str_equal (o->value, "y") ? "n" : "y");
}

static void
on_debug_switch (GtkSwitch      *sw,
                 GParamSpec     *pspec,
                 KwbProjectPage *self)
{
  const DebugOption *o = g_object_get_data (G_OBJECT (sw), "kwb-option");
  g_autofree char *line = opposite_line (o);
  g_auto(GStrv) extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
  g_autoptr(GStrvBuilder) out = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  g_autofree char *prefix = g_strdup_printf ("CONFIG_%s=", o->symbol);

  if (self->loading)
    return;
  /* Off: a line in extra-config undoes the debug layer's choice. On: no
   * line about this option at all. */
  for (guint i = 0; extra && extra[i]; i++)
    if (!g_str_has_prefix (extra[i], prefix))
      g_strv_builder_add (out, extra[i]);
  if (!gtk_switch_get_active (sw))
    g_strv_builder_add (out, line);
  result = g_strv_builder_end (out);
  kwb_project_set_string_list (self->project, "kernel", "extra-config", (const char * const *) result);
  save_project (self);
}

static void
add_finding_row (KwbProjectPage          *self,
                 const KwbKconfigFinding *f)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());
  GtkWidget *icon;
  g_autofree char *subtitle = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), f->option);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (f->reason || f->advice)
    subtitle = g_strjoin (" ", f->reason ? f->reason : "", f->advice ? f->advice : "", NULL);
  else
    subtitle = g_strdup_printf (_("%s, as asked"), f->actual ? f->actual : "n");
  set_subtitle (row, g_strstrip (subtitle));
  switch (f->severity)
    {
    case KWB_KCONFIG_SEVERITY_ERROR:
      icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
      gtk_widget_add_css_class (icon, "error");
      break;
    case KWB_KCONFIG_SEVERITY_WARNING:
      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      break;
    case KWB_KCONFIG_SEVERITY_OK:
    case KWB_KCONFIG_SEVERITY_INFO:
    default:
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      break;
    }
  adw_action_row_add_prefix (row, icon);
  gtk_list_box_append (GTK_LIST_BOX (self->doctor_rows), GTK_WIDGET (row));
}

/* The doctor on BUILD/.config, when there is one: the requested options
 * that matter for debugging and anything the diagnosis flags. */
static void
show_doctor (KwbProjectPage *self)
{
  g_autofree char *build_dir = kwb_project_dup_path (self->project, "kernel", "build-dir");
  g_autofree char *config_path = build_dir ? g_build_filename (build_dir, ".config", NULL) : NULL;
  g_autoptr(KwbKconfig) config = NULL;
  g_autoptr(GPtrArray) diagnosis = NULL;
  g_autofree char *description = NULL;
  GtkWidget *child;
  guint shown = 0;
  guint n_stuck = 0;
  guint n_requests = 0;

  while ((child = gtk_widget_get_first_child (self->doctor_rows)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->doctor_rows), child);

  if (config_path == NULL || !g_file_test (config_path, G_FILE_TEST_IS_REGULAR))
    {
      adw_preferences_group_set_description (self->doctor_group,
        _("Not configured yet. Configure now to see whether every debug option sticks, "
          "or go on: the build configures first."));
      gtk_widget_set_visible (self->doctor_rows, FALSE);
      return;
    }
  if ((config = kwb_kconfig_new_from_file (config_path, NULL)) == NULL)
    return;

  /* What we asked for and did not stick, then the debugging diagnosis. */
  {
    g_autofree char *profile = kwb_project_dup_string (self->project, "kernel", "profile");
    g_autofree char *mode = kwb_project_dup_string (self->project, "kernel", "initramfs");
    g_autofree char *builtin = g_strcmp0 (mode, "builtin") == 0
                               ? kwb_project_dup_path (self->project, "initramfs", "output") : NULL;
    g_auto(GStrv) extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
    g_autoptr(GPtrArray) requests = kwb_kconfig_build_requests (profile,
                                                                kwb_project_get_boolean (self->project, "kernel", "relocatable"),
                                                                builtin, (const char * const *) extra, NULL);

    if (requests != NULL)
      {
        g_autoptr(GPtrArray) findings = kwb_kconfig_check_requests (config, requests, NULL);

        for (guint i = 0; i < findings->len; i++)
          {
            const KwbKconfigFinding *f = findings->pdata[i];

            if (f->stuck)
              n_stuck++;
            else
              {
                add_finding_row (self, f);
                shown++;
              }
          }
        n_requests = findings->len;
      }
  }
  diagnosis = kwb_kconfig_diagnose (config);
  for (guint i = 0; i < diagnosis->len; i++)
    {
      add_finding_row (self, diagnosis->pdata[i]);
      shown++;
    }
  description = g_strdup_printf (kwb_kconfig_findings_ok (diagnosis) && n_stuck == n_requests
                                 ? _("%s: %u of %u requested options set; ready for debugging under QEMU.")
                                 : _("%s: %u of %u requested options set; see below what stands in the way."),
                                 config_path, n_stuck, n_requests);
  adw_preferences_group_set_description (self->doctor_group, description);
  gtk_widget_set_visible (self->doctor_rows, shown > 0);
}

static void
on_configured (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KwbProjectPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->disposed)
    return;
  gtk_spinner_stop (self->configure_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->configure_button), TRUE);
  if (!kwb_kernel_build_configure_finish (KWB_KERNEL_BUILD (source), result, &error))
    show_error (self, error->message);
  else
    show_error (self, NULL);
  g_clear_object (&self->configure_build);
  show_doctor (self);
}

static void
on_configure_clicked (GtkButton      *button,
                      KwbProjectPage *self)
{
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->configure_build);
  self->configure_build = kwb_kernel_build_new (self->project);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  gtk_spinner_start (self->configure_spinner);
  adw_preferences_group_set_description (self->doctor_group,
    _("Configuring… A Debian source tarball is extracted first, which takes a few minutes once."));
  kwb_kernel_build_configure_async (self->configure_build, self->cancellable, on_configured, g_object_ref (self));
}

static const char * const profiles[] = { "fast", "standard", "existing" };

static void
on_profile_selected (AdwComboRow    *row,
                     GParamSpec     *pspec,
                     KwbProjectPage *self)
{
  guint i = adw_combo_row_get_selected (row);

  gtk_widget_set_visible (GTK_WIDGET (self->config_entry), i == 2);
  set_value (self, "kernel", "profile", profiles[i]);
  if (i == 2 && !kwb_project_is_set (self->project, "kernel", "config"))
    {
      show_error (self, _("The existing profile needs a .config file: choose one (it is copied, never edited)."));
      set_complete (self, FALSE);
      return;
    }
  show_error (self, NULL);
  set_complete (self, TRUE);
}

static void
on_config_apply (AdwEntryRow    *entry,
                 KwbProjectPage *self)
{
  g_autofree char *path = absolute_path (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbKconfig) config = path ? kwb_kconfig_new_from_file (path, &error) : NULL;

  if (config == NULL)
    {
      show_error (self, error ? error->message : _("Type or choose a .config file."));
      set_complete (self, FALSE);
      return;
    }
  set_value (self, "kernel", "config", path);
  show_error (self, NULL);
  set_complete (self, TRUE);
}

static void
build_kernel_page (KwbProjectPage *self)
{
  const char *labels[] = { _("Fast: tinyconfig and the debug options"),
                           _("Standard: x86_64_defconfig and the debug options"),
                           _("Existing: your .config and the debug options"), NULL };
  g_autofree char *profile = kwb_project_dup_string (self->project, "kernel", "profile");
  g_autofree char *config = kwb_project_dup_path (self->project, "kernel", "config");
  g_auto(GStrv) extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
  AdwPreferencesGroup *group;
  GtkWidget *box;
  guint selected = 0;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Kernel Configuration"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "emblem-system-symbolic");

  group = add_group (self, _("Profile"),
                     _("Where the configuration starts. Fast builds in about six minutes on two cores; "
                       "standard has the drivers of a typical PC and takes much longer."));
  self->mode_row = add_combo_row (group, _("Profile"), NULL, labels, "profile_row");
  self->config_entry = add_path_row (group, _(".config file"), GTK_FILE_CHOOSER_ACTION_OPEN, "config_entry");
  gtk_editable_set_text (GTK_EDITABLE (self->config_entry), config ? config : "");
  g_signal_connect_object (self->config_entry, "apply", G_CALLBACK (on_config_apply), self, 0);

  group = add_group (self, _("Debug Options"),
                     _("Added on top of the profile. Each is on for a reason; turn one off only if you know "
                       "your kernel needs it."));
  self->loading = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (debug_rows); i++)
    {
      g_autofree char *name = g_strdup_printf ("debug_%s", debug_rows[i].symbol);
      g_autofree char *line = opposite_line (&debug_rows[i]);
      GtkSwitch *sw = add_switch_row (self, group, _(debug_rows[i].title), _(debug_rows[i].why), NULL, NULL, name);

      g_object_set_data (G_OBJECT (sw), "kwb-option", (gpointer) &debug_rows[i]);
      gtk_switch_set_active (sw, !(extra && g_strv_contains ((const char * const *) extra, line)));
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (on_debug_switch), self, 0);
    }
  add_switch_row (self, group, _("Keep the kernel relocatable, boot with nokaslr"),
                  _("For kernels that need CONFIG_RELOCATABLE (an EFI stub): KASLR stays built in, "
                    "and the command line turns it off."),
                  "kernel", "relocatable", "relocatable_switch");

  self->doctor_group = add_group (self, _("Configuration Check"), NULL);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (box, GTK_ALIGN_END);
  self->configure_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->configure_spinner));
  self->configure_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Configure Now")));
  gtk_widget_set_name (GTK_WIDGET (self->configure_button), "configure_button");
  g_signal_connect_object (self->configure_button, "clicked", G_CALLBACK (on_configure_clicked), self, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->configure_button));
  adw_preferences_group_set_header_suffix (self->doctor_group, box);
  self->doctor_rows = gtk_list_box_new ();
  gtk_widget_set_name (self->doctor_rows, "doctor_rows");
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->doctor_rows), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->doctor_rows, "boxed-list");
  adw_preferences_group_add (self->doctor_group, self->doctor_rows);

  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_strcmp0 (profile, profiles[i]) == 0)
      selected = i;
  adw_combo_row_set_selected (self->mode_row, selected);
  gtk_widget_set_visible (GTK_WIDGET (self->config_entry), selected == 2);
  self->loading = FALSE;
  g_signal_connect_object (self->mode_row, "notify::selected", G_CALLBACK (on_profile_selected), self, 0);
  set_complete (self, selected != 2 || config != NULL);
  show_doctor (self);
  /* The build may have configured since: look again whenever shown. */
  g_signal_connect_object (self, "map", G_CALLBACK (show_doctor), self, G_CONNECT_SWAPPED);
}

/* --- virtual machine -------------------------------------------------- */

static void
build_machine_page (KwbProjectPage *self)
{
  AdwPreferencesGroup *group;
  AdwActionRow *kvm;
  gboolean usable = kwb_qemu_kvm_usable ();

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (self), _("Virtual Machine"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (self), "computer-symbolic");

  group = add_group (self, _("Virtual Machine"),
                     _("The QEMU guest the kernel boots in. It needs no disk: the initramfs is its whole system."));
  add_spin_row (self, group, _("Memory"), _("MiB; 1024 is plenty for a BusyBox guest"),
                "qemu", "memory", 64, "memory_spin");
  add_spin_row (self, group, _("CPUs"), _("More CPUs exercise SMP code; one is easiest to step through"),
                "qemu", "cpus", 1, "cpus_spin");
  add_entry_row (self, group, _("Extra kernel command line"), "qemu", "cmdline", "cmdline_entry");

  kvm = add_info_row (group, _("Acceleration"), "kvm_row");
  set_subtitle (kvm, usable
                ? _("KVM is available: the guest runs at nearly native speed. Early breakpoints use the CPU’s "
                    "four hardware breakpoints.")
                : _("KVM is not available here (no usable /dev/kvm): QEMU emulates the CPU. Slower, but every "
                    "breakpoint works from the first instruction."));

  group = add_group (self, _("Debugging"),
                     _("How a session starts."));
  add_switch_row (self, group, _("Freeze at start"),
                  _("Hold the guest at its first instruction until you continue (QEMU -S)."),
                  "qemu", "freeze", "freeze_switch");
  add_switch_row (self, group, _("Stop at the start function"),
                  _("Run to a breakpoint there as soon as GDB is attached."),
                  "debug", "break-at-start", "break_at_start_switch");
  add_entry_row (self, group, _("Start function"), "debug", "start-function", "start_function_entry");
  set_complete (self, TRUE);
}

/* --- object ----------------------------------------------------------- */

/* Gone from its window (closed half-way): stop what runs. Pending results
 * hold a reference, so dispose would only come after they finished. */
static void
kwb_project_page_unroot (GtkWidget *widget)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (widget);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  GTK_WIDGET_CLASS (kwb_project_page_parent_class)->unroot (widget);
}

static void
kwb_project_page_dispose (GObject *object)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (object);

  self->disposed = TRUE;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->configure_build);
  for (guint i = 0; i < G_N_ELEMENTS (self->buffers); i++)
    g_clear_object (&self->buffers[i]);
  G_OBJECT_CLASS (kwb_project_page_parent_class)->dispose (object);
}

static void
kwb_project_page_finalize (GObject *object)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (object);

  g_clear_object (&self->project);
  g_clear_pointer (&self->error, g_free);
  g_clear_pointer (&self->tarballs, g_strfreev);
  g_clear_pointer (&self->busybox_version, g_free);
  G_OBJECT_CLASS (kwb_project_page_parent_class)->finalize (object);
}

static void
kwb_project_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KwbProjectPage *self = KWB_PROJECT_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_project_page_class_init (KwbProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_project_page_dispose;
  GTK_WIDGET_CLASS (klass)->unroot = kwb_project_page_unroot;
  object_class->finalize = kwb_project_page_finalize;
  object_class->get_property = kwb_project_page_get_property;

  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kwb_project_page_init (KwbProjectPage *self)
{
}

KwbProjectPage *
kwb_project_page_new (KwbProject         *project,
                      KwbProjectPageKind  kind)
{
  KwbProjectPage *self;
  GtkWidget *icon, *box;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);

  self = g_object_new (KWB_TYPE_PROJECT_PAGE, NULL);
  self->project = g_object_ref (project);
  self->kind = kind;
  gtk_widget_set_name (GTK_WIDGET (self), page_ids[kind]);

  /* First on the page, hidden until something is wrong. */
  self->error_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "kwb-page-error");
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_add_css_class (icon, "error");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), icon);
  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->error_label), "page_error");
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_wrap_mode (self->error_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_label_set_selectable (self->error_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->error_label), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->error_label));
  adw_preferences_group_add (self->error_group, box);
  gtk_widget_set_visible (GTK_WIDGET (self->error_group), FALSE);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self), self->error_group);

  switch (kind)
    {
    case KWB_PROJECT_PAGE_SOURCE:
      build_source_page (self);
      break;
    case KWB_PROJECT_PAGE_BUSYBOX:
      build_busybox_page (self);
      break;
    case KWB_PROJECT_PAGE_INITRAMFS:
      build_initramfs_page (self);
      break;
    case KWB_PROJECT_PAGE_KERNEL:
      build_kernel_page (self);
      break;
    case KWB_PROJECT_PAGE_MACHINE:
      build_machine_page (self);
      break;
    default:
      g_assert_not_reached ();
    }
  return self;
}

KwbProjectPageKind
kwb_project_page_get_kind (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), 0);
  return self->kind;
}

const char *
kwb_project_page_get_id (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  return page_ids[self->kind];
}

KwbProject *
kwb_project_page_get_project (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  return self->project;
}

gboolean
kwb_project_page_get_complete (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), FALSE);
  return self->complete;
}

const char *
kwb_project_page_get_error (KwbProjectPage *self)
{
  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  return self->error;
}

/* One line for the wizard's summary. */
char *
kwb_project_page_dup_summary (KwbProjectPage *self)
{
  KwbProject *p;

  g_return_val_if_fail (KWB_IS_PROJECT_PAGE (self), NULL);
  p = self->project;
  switch (self->kind)
    {
    case KWB_PROJECT_PAGE_SOURCE:
      {
        g_autofree char *source = kwb_project_dup_path (p, "kernel", "source");
        g_autofree char *version = g_strdup (adw_action_row_get_subtitle (self->version_row));

        return g_strdup_printf ("%s (%s)", source ? source : "?", version ? version : "?");
      }
    case KWB_PROJECT_PAGE_BUSYBOX:
      {
        g_autofree char *source = kwb_project_dup_string (p, "busybox", "source");
        g_autofree char *binary = kwb_project_dup_path (p, "busybox", "binary");
        g_autofree char *tree = kwb_project_dup_path (p, "busybox", "tree");

        if (g_strcmp0 (source, "tree") == 0)
          return g_strdup_printf (_("built from %s"), tree);
        if (self->busybox_version)
          return g_strdup_printf (_("%s (BusyBox %s)"), binary, self->busybox_version);
        return g_strdup (binary);
      }
    case KWB_PROJECT_PAGE_INITRAMFS:
      {
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
    case KWB_PROJECT_PAGE_KERNEL:
      {
        g_autofree char *profile = kwb_project_dup_string (p, "kernel", "profile");
        g_auto(GStrv) extra = kwb_project_dup_string_list (p, "kernel", "extra-config");

        return g_strdup_printf (_("%s profile with the debug options, %u extra lines"),
                                profile, extra ? g_strv_length (extra) : 0);
      }
    case KWB_PROJECT_PAGE_MACHINE:
      return g_strdup_printf (_("%d MiB, %d CPUs, %s"),
                              (int) kwb_project_get_int (p, "qemu", "memory"), (int) kwb_project_get_int (p, "qemu", "cpus"),
                              kwb_project_get_boolean (p, "debug", "break-at-start")
                              ? _("stops at the start function") : _("runs freely"));
    default:
      g_return_val_if_reached (NULL);
    }
}
