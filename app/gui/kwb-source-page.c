/* kwb-source-page.c — the kernel source page: a Debian package, a folder or a git clone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writes [kernel] source (and source-dir for a Debian tarball, which is
 * extracted once under ~/.cache for every project). A tree is checked
 * (kwb_kernel_build_check_tree) before it is saved, and what was found is
 * shown: the kernel version and, for a git tree, branch, commit and local
 * changes. A clone runs in the background with its progress on the page;
 * leaving the page's window cancels it. When the server asks for a user
 * name and a password or token, a dialog asks for them for this clone
 * only: they are neither shown again nor saved, and Cancel cancels the
 * clone. Messages name the address without its credentials.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-git-repo.h"
#include "kwb-kernel-build.h"
#include "kwb-path-row.h"
#include "kwb-project-page-private.h"
#include "kwb-setup.h"
#include "kwb-source-page.h"

enum { SOURCE_DEBIAN, SOURCE_FOLDER, SOURCE_GIT };

struct _KwbSourcePage
{
  KwbProjectPage       parent_instance;

  GStrv                tarballs;

  /* Template children */
  AdwComboRow         *mode_row;
  AdwPreferencesGroup *debian_group;
  AdwComboRow         *debian_row;
  AdwPreferencesGroup *folder_group;
  AdwEntryRow         *folder_entry;
  AdwPreferencesGroup *git_group;
  AdwEntryRow         *git_url_entry;
  AdwEntryRow         *git_branch_entry;
  AdwEntryRow         *git_dest_entry;
  GtkProgressBar      *clone_progress;
  GtkButton           *clone_button;
  GtkButton           *clone_cancel_button;
  AdwPreferencesGroup *found_group;
  AdwActionRow        *version_row;
  AdwActionRow        *branch_row;
  AdwActionRow        *commit_row;
  AdwActionRow        *state_row;
};

G_DEFINE_FINAL_TYPE (KwbSourcePage, kwb_source_page, KWB_TYPE_PROJECT_PAGE)

#define PAGE(self) KWB_PROJECT_PAGE (self)

static void
show_found_tree (KwbSourcePage *self,
                 const char    *tree,
                 const char    *version_note)
{
  g_autofree char *version = tree ? kwb_setup_dup_kernel_version (tree) : NULL;
  g_autoptr(KwbGitRepo) repo = tree ? kwb_git_repo_open (tree, NULL) : NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->found_group), TRUE);
  kwb_action_row_set_plain_subtitle (self->version_row, version != NULL ? version : version_note);

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

      kwb_action_row_set_plain_subtitle (self->branch_row, branch ? branch : _("none (detached HEAD)"));
      if (head != NULL)
        commit = g_strdup_printf ("%s %s — %s", head->short_id, head->subject, head->author);
      kwb_action_row_set_plain_subtitle (self->commit_row, commit ? commit : _("no commit yet"));
      if (n == 0)
        state = g_strdup (_("Clean: no local changes"));
      else
        state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Modified: %u file has local changes (%s)",
                                              "Modified: %u files have local changes (first: %s)", n),
                                 n, changed[0]);
      kwb_action_row_set_plain_subtitle (self->state_row, state);
    }
}

/* user_choice: the user picked it (saved); otherwise only shown, so that
 * opening Project Settings never changes the project. */
static void
select_debian (KwbSourcePage *self,
               gboolean       user_choice)
{
  guint i = adw_combo_row_get_selected (self->debian_row);
  const char *tarball;
  g_autofree char *shared = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;

  if (self->tarballs == NULL || self->tarballs[0] == NULL || i >= g_strv_length (self->tarballs))
    {
      kwb_project_page_show_error (PAGE (self),
                                   _("No Debian kernel source package is installed. Install one with "
                                     "“sudo apt-get install linux-source-6.1”, or choose a folder or a git repository."));
      gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  tarball = self->tarballs[i];
  if (user_choice)
    {
      kwb_project_page_set_value (PAGE (self), "kernel", "source", tarball);
      /* Empty: extracted once under ~/.cache for every project, not per project. */
      kwb_project_page_set_value (PAGE (self), "kernel", "source-dir", "");
    }
  shared = kwb_kernel_build_dup_shared_source_dir (tarball, NULL);
  name = g_path_get_basename (tarball);
  note = g_strdup_printf (_("%.*s, from the package; the exact version shows once the first build has extracted it"),
                          (int) (strlen (name) - strlen ("linux-source-") - strlen (".tar.xz")),
                          name + strlen ("linux-source-"));
  show_found_tree (self, shared && g_file_test (shared, G_FILE_TEST_IS_DIR) ? shared : NULL, note);
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
}

static gboolean
apply_tree (KwbSourcePage *self,
            const char    *path)
{
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    {
      kwb_project_page_show_error (PAGE (self), _("Type or choose the folder of a kernel source tree."));
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return FALSE;
    }
  if (!kwb_kernel_build_check_tree (path, kwb_arch_for_project (kwb_project_page_get_project (PAGE (self))), &error))
    {
      kwb_project_page_show_error (PAGE (self), error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return FALSE;
    }
  kwb_project_page_set_value (PAGE (self), "kernel", "source", path);
  show_found_tree (self, path, _("unknown (the Makefile has no VERSION)"));
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), TRUE);
  return TRUE;
}

static void
on_folder_apply (KwbSourcePage *self)
{
  g_autofree char *path = kwb_project_page_absolute_path (PAGE (self),
                                                          gtk_editable_get_text (GTK_EDITABLE (self->folder_entry)));

  apply_tree (self, path);
}

static void
show_source_mode (KwbSourcePage *self,
                  guint          mode)
{
  gtk_widget_set_visible (GTK_WIDGET (self->debian_group), mode == SOURCE_DEBIAN);
  gtk_widget_set_visible (GTK_WIDGET (self->folder_group), mode == SOURCE_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (self->git_group), mode == SOURCE_GIT);
}

static void
on_source_mode (KwbSourcePage *self)
{
  guint mode = adw_combo_row_get_selected (self->mode_row);

  show_source_mode (self, mode);
  if (kwb_project_page_is_loading (PAGE (self)))
    return;
  kwb_project_page_show_error (PAGE (self), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
  kwb_project_page_set_complete (PAGE (self), FALSE);
  if (mode == SOURCE_DEBIAN)
    select_debian (self, TRUE);
  else if (mode == SOURCE_FOLDER && *gtk_editable_get_text (GTK_EDITABLE (self->folder_entry)))
    on_folder_apply (self);
}

static void
on_debian_selected (KwbSourcePage *self)
{
  if (!kwb_project_page_is_loading (PAGE (self)) && adw_combo_row_get_selected (self->mode_row) == SOURCE_DEBIAN)
    select_debian (self, TRUE);
}

static void
on_clone_progress (const KwbGitCloneProgress *p,
                   gpointer                   user_data)
{
  KwbSourcePage *self = user_data;
  g_autoptr(GString) text = g_string_new (NULL);

  if (kwb_project_page_is_disposed (PAGE (self)))
    return;
  if (p->checkout_total > 0 && p->received_objects == p->total_objects)
    {
      g_string_printf (text, _("Checking out files: %u of %u"), p->checkout_done, p->checkout_total);
      gtk_progress_bar_set_fraction (self->clone_progress, (double) p->checkout_done / p->checkout_total);
    }
  else if (p->total_objects > 0)
    {
      g_autofree char *size = g_format_size (p->received_bytes);
      g_autofree char *rate = g_format_size ((guint64) p->bytes_per_second);

      g_string_printf (text, _("Objects: %u of %u, "), p->received_objects, p->total_objects);
      g_string_append (text, size);
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
set_cloning (KwbSourcePage *self,
             gboolean       cloning)
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
  g_autoptr(KwbSourcePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbGitRepo) repo = kwb_git_repo_clone_finish (result, &error);

  if (kwb_project_page_is_disposed (PAGE (self)))
    return;
  set_cloning (self, FALSE);
  if (repo == NULL)
    {
      kwb_project_page_show_error (PAGE (self), error->message);
      kwb_project_page_set_complete (PAGE (self), FALSE);
      return;
    }
  apply_tree (self, kwb_git_repo_get_path (repo));
}

/* What the sign-in dialog answers through. */
typedef struct {
  KwbGitAuthRequest *request;
  GtkEditable       *user;
  GtkEditable       *password;
} AuthDialog;

/* Replies or cancels the request. */
static void
on_auth_response (AdwMessageDialog *dialog,
                  const char       *response,
                  AuthDialog       *auth)
{
  if (g_str_equal (response, "sign-in"))
    kwb_git_auth_request_reply (auth->request, gtk_editable_get_text (auth->user),
                                gtk_editable_get_text (auth->password));
  else
    kwb_git_auth_request_cancel (auth->request);
}

/* The dialog's end without a response (its window destroyed) cancels; after
 * a response this is a no-op. */
static void
auth_dialog_free (gpointer  data,
                  GClosure *closure)
{
  AuthDialog *auth = data;

  kwb_git_auth_request_cancel (auth->request);
  g_object_unref (auth->request);
  g_free (auth);
}

static void
on_clone_auth (KwbGitAuthRequest *request,
               gpointer           user_data)
{
  KwbSourcePage *self = user_data;
  GtkRoot *root;
  GtkWidget *dialog;
  GtkWidget *box;
  GtkWidget *user;
  GtkWidget *password;
  AuthDialog *auth;
  const char *username = kwb_git_auth_request_get_username (request);

  if (kwb_project_page_is_disposed (PAGE (self)) || (root = gtk_widget_get_root (GTK_WIDGET (self))) == NULL)
    {
      kwb_git_auth_request_cancel (request);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (root), NULL, NULL);
  /* Translators: %s is a host name, like “git.kernel.org”. */
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Sign In to %s"),
                                     kwb_git_auth_request_get_host (request));
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Cloning %s needs a user name and a password or access token. "
                                    "They are used for this clone only and are not saved."),
                                  kwb_git_auth_request_get_url (request));
  gtk_widget_set_name (dialog, "clone_auth_dialog");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  user = gtk_entry_new ();
  gtk_widget_set_name (user, "clone_auth_user");
  gtk_entry_set_placeholder_text (GTK_ENTRY (user), _("User name"));
  gtk_editable_set_text (GTK_EDITABLE (user), username ? username : "");
  password = gtk_password_entry_new ();
  gtk_widget_set_name (password, "clone_auth_password");
  gtk_password_entry_set_show_peek_icon (GTK_PASSWORD_ENTRY (password), TRUE);
  g_object_set (password, "placeholder-text", _("Password or token"), "activates-default", TRUE, NULL);
  gtk_box_append (GTK_BOX (box), user);
  gtk_box_append (GTK_BOX (box), password);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  auth = g_new0 (AuthDialog, 1);
  auth->request = g_object_ref (request);
  auth->user = GTK_EDITABLE (user);
  auth->password = GTK_EDITABLE (password);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "sign-in", _("_Sign In"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-in", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "sign-in");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_auth_response), auth, auth_dialog_free, 0);
  gtk_widget_grab_focus (username && *username ? password : user);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_clone_clicked (KwbSourcePage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->git_url_entry));
  const char *branch = gtk_editable_get_text (GTK_EDITABLE (self->git_branch_entry));
  g_autofree char *dest = kwb_project_page_absolute_path (PAGE (self),
                                                          gtk_editable_get_text (GTK_EDITABLE (self->git_dest_entry)));

  if (*url == '\0' || dest == NULL)
    {
      kwb_project_page_show_error (PAGE (self),
                                   _("Type the repository’s address (or a local path) and the folder to clone into."));
      return;
    }
  kwb_project_page_show_error (PAGE (self), NULL);
  kwb_project_page_set_complete (PAGE (self), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->found_group), FALSE);
  set_cloning (self, TRUE);
  gtk_progress_bar_set_fraction (self->clone_progress, 0);
  gtk_progress_bar_set_text (self->clone_progress, _("Connecting…"));
  kwb_git_repo_clone_async (url, dest, *branch ? branch : NULL,
                            on_clone_progress, g_object_ref (self), g_object_unref,
                            on_clone_auth, self, kwb_project_page_renew_cancellable (PAGE (self)), on_cloned, g_object_ref (self));
}

static void
on_clone_cancel_clicked (KwbSourcePage *self)
{
  kwb_project_page_cancel (PAGE (self));
}

/* What the project has now. */
static void
kwb_source_page_load (KwbProjectPage *page)
{
  KwbSourcePage *self = KWB_SOURCE_PAGE (page);
  KwbProject *project = kwb_project_page_get_project (page);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GtkStringList) model = NULL;
  g_autofree char *source = kwb_project_dup_path (project, "kernel", "source");
  g_autofree char *default_dest = g_build_filename (kwb_project_get_directory (project), "linux", NULL);
  guint mode = SOURCE_DEBIAN;

  self->tarballs = kwb_setup_list_linux_sources ();
  for (guint i = 0; self->tarballs[i] != NULL; i++)
    g_ptr_array_add (names, g_path_get_basename (self->tarballs[i]));
  g_ptr_array_add (names, NULL);
  model = gtk_string_list_new ((const char * const *) names->pdata);
  adw_combo_row_set_model (self->debian_row, G_LIST_MODEL (model));
  gtk_editable_set_text (GTK_EDITABLE (self->git_dest_entry), default_dest);

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
}

/* The tree accepted is written back, as an absolute path. */
static void
kwb_source_page_check (KwbProjectPage *page)
{
  KwbSourcePage *self = KWB_SOURCE_PAGE (page);
  g_autofree char *source = kwb_project_dup_path (kwb_project_page_get_project (page), "kernel", "source");

  if (adw_combo_row_get_selected (self->mode_row) == SOURCE_FOLDER)
    apply_tree (self, source);
  else
    select_debian (self, FALSE);
}

static char *
kwb_source_page_dup_summary (KwbProjectPage *page)
{
  KwbSourcePage *self = KWB_SOURCE_PAGE (page);
  g_autofree char *source = kwb_project_dup_path (kwb_project_page_get_project (page), "kernel", "source");
  const char *version = adw_action_row_get_subtitle (self->version_row);

  return g_strdup_printf ("%s (%s)", source ? source : "?", version ? version : "?");
}

static void
kwb_source_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KWB_TYPE_SOURCE_PAGE);
  G_OBJECT_CLASS (kwb_source_page_parent_class)->dispose (object);
}

static void
kwb_source_page_finalize (GObject *object)
{
  KwbSourcePage *self = KWB_SOURCE_PAGE (object);

  g_clear_pointer (&self->tarballs, g_strfreev);
  G_OBJECT_CLASS (kwb_source_page_parent_class)->finalize (object);
}

static void
kwb_source_page_class_init (KwbSourcePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  KwbProjectPageClass *page_class = KWB_PROJECT_PAGE_CLASS (klass);

  object_class->dispose = kwb_source_page_dispose;
  object_class->finalize = kwb_source_page_finalize;
  page_class->load = kwb_source_page_load;
  page_class->check = kwb_source_page_check;
  page_class->dup_summary = kwb_source_page_dup_summary;

  g_type_ensure (KWB_TYPE_PATH_ROW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/kwb/KernelWorkbench/kwb-source-page.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, debian_group);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, debian_row);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, folder_group);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, folder_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, git_group);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, git_url_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, git_branch_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, git_dest_entry);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, clone_progress);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, clone_button);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, clone_cancel_button);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, found_group);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, version_row);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, branch_row);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, commit_row);
  gtk_widget_class_bind_template_child (widget_class, KwbSourcePage, state_row);
  gtk_widget_class_bind_template_callback (widget_class, on_source_mode);
  gtk_widget_class_bind_template_callback (widget_class, on_debian_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_folder_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_clone_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clone_cancel_clicked);
}

static void
kwb_source_page_init (KwbSourcePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Its id, by which the wizard's stack and the tests find the page. */
  gtk_widget_set_name (GTK_WIDGET (self), "source");
}
