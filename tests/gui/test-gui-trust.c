/* test-gui-trust.c — opening a project not trusted here asks first, once, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Projects are made the application's way (kwb_project_init_directory),
 * then their qemu.binary is edited in the file by hand, as someone else's
 * project would arrive. The record of trusted projects lives in a private
 * XDG_DATA_HOME. Screenshots: BUILD/tests/gui/screenshots/trust-*.png.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-application.h"
#include "kwb-core.h"
#include "kwb-trust-dialog.h"
#include "kwb-window.h"
#include "kwb-wizard.h"
#include "kwb-test-gtk-utils.h"

#define THEIR_QEMU "/opt/their/bin/qemu-system-x86_64"

/* A project made here, then changed outside the application. */
static char *
hand_edited_project (const char *name,
                     const char *wizard_page)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_build_filename (g_getenv ("XDG_DATA_HOME"), "projects-XXXXXX", NULL);
  char *dir = NULL;
  g_autofree char *file = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;

  g_assert_nonnull (g_mkdtemp (tmp));
  dir = g_build_filename (tmp, name, NULL);
  file = g_build_filename (dir, KWB_PROJECT_FILE_NAME, NULL);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  if (wizard_page != NULL)
    {
      kwb_project_set_string (project, "project", "wizard-page", wizard_page);
      g_assert_true (kwb_project_save (project, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_file_get_contents (file, &text, NULL, &error));
  edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, "\nbinary=qemu-system-x86_64", "\nbinary=" THEIR_QEMU, 1), ==, 1);
  g_assert_true (g_file_set_contents (file, edited->str, -1, &error));
  return dir;
}

static gboolean
trusted_on_disk (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (dir, &error);

  g_assert_no_error (error);
  return kwb_project_trust_is_trusted (project);
}

static KwbTrustDialog *
wait_trust_dialog (void)
{
  KwbTrustDialog *dialog = kwb_test_wait_toplevel (KWB_TYPE_TRUST_DIALOG, "the trust dialog");
  GtkWidget *runs = kwb_test_require_widget (dialog, "trust_runs");

  /* It names what the project would run, before anything runs. */
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (runs)), THEIR_QEMU));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)),
                            "changed outside Kernel Workbench"));
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==, "cancel");
  return dialog;
}

/* As a user answers: the dialog's own button, which also closes it. */
static void
answer (KwbTrustDialog *dialog,
        const char     *button_label)
{
  GtkWidget *button = kwb_test_find_by_label (dialog, button_label);

  g_assert_true (GTK_IS_BUTTON (button));
  kwb_test_click (button);
}

static gboolean
window_has_project (gpointer window)
{
  return kwb_window_has_project (window);
}

static gboolean
no_trust_dialog (gpointer data)
{
  return kwb_test_find_toplevel (KWB_TYPE_TRUST_DIALOG) == NULL;
}

/* ---- Trust and Open, then again without a question ---- */

static void
trust_body (KwbApplication *app,
            gpointer        data)
{
  const char *dir = data;
  KwbTrustDialog *dialog = wait_trust_dialog ();
  KwbWindow *window = KWB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  KwbWindow *second;

  g_assert_false (kwb_window_has_project (window));
  kwb_test_wait_for_draw (GTK_WIDGET (dialog));
  kwb_test_save_screenshot (GTK_WIDGET (dialog), "trust-dialog.png");

  answer (dialog, "_Trust and Open");
  kwb_test_wait_until (window_has_project, window, "the trusted project to open");
  g_assert_cmpstr (kwb_project_get_directory (kwb_window_get_project (window)), ==, dir);
  kwb_test_wait_until (no_trust_dialog, NULL, "the trust dialog to close");
  g_assert_true (trusted_on_disk (dir));

  /* Opened again: no question, it opens at once. */
  second = kwb_window_new (app);
  g_assert_true (kwb_window_open_project (second, dir, NULL));
  g_assert_true (kwb_window_has_project (second));
  g_assert_null (kwb_test_find_toplevel (KWB_TYPE_TRUST_DIALOG));
  gtk_window_destroy (GTK_WINDOW (second));
}

static void
test_trust_and_open (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  dir = hand_edited_project ("theirs", NULL);
  g_assert_false (trusted_on_disk (dir));
  kwb_test_run_app ((const char *[]) { dir, NULL }, trust_body, dir);
}

/* ---- Cancel: nothing opens, nothing is recorded ---- */

static void
cancel_body (KwbApplication *app,
             gpointer        data)
{
  KwbTrustDialog *dialog = wait_trust_dialog ();
  KwbWindow *window = KWB_WINDOW (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  g_autoptr(GError) error = NULL;

  answer (dialog, "_Cancel");
  kwb_test_wait_until (no_trust_dialog, NULL, "the trust dialog to close");
  g_assert_false (kwb_window_has_project (window));
  g_assert_nonnull (kwb_test_find_by_label (window, "Could Not Open the Project"));
  g_assert_false (trusted_on_disk (data));

  /* Opening it again asks again. */
  g_assert_false (kwb_window_open_project (window, data, &error));
  g_assert_error (error, KWB_PROJECT_TRUST_ERROR, KWB_PROJECT_TRUST_ERROR_CHANGED);
  dialog = wait_trust_dialog ();
  answer (dialog, "_Cancel");
}

static void
test_cancel (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  dir = hand_edited_project ("declined", NULL);
  kwb_test_run_app ((const char *[]) { dir, NULL }, cancel_body, dir);
}

/* ---- an unfinished setup: the wizard (which builds) waits for trust ---- */

static void
wizard_body (KwbApplication *app,
             gpointer        data)
{
  KwbTrustDialog *dialog = wait_trust_dialog ();
  KwbWizard *wizard;

  g_assert_null (kwb_test_find_toplevel (KWB_TYPE_WIZARD));
  answer (dialog, "_Trust and Open");
  wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard, once trusted");
  g_assert_cmpstr (kwb_project_get_directory (kwb_wizard_get_project (wizard)), ==, data);
  g_assert_true (trusted_on_disk (data));
}

static void
test_resume_wizard (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  dir = hand_edited_project ("unfinished", "source");
  kwb_test_run_app ((const char *[]) { dir, NULL }, wizard_body, dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  gboolean mine = g_getenv ("KWB_GUI_TRUST_DATA_HOME") == NULL;
  int status;

  /* One private record for the run, made here and inherited by each case's
   * subprocess before anything reads it; the projects live there too. */
  if (mine)
    {
      data_home = g_dir_make_tmp ("kwb-gui-trust-XXXXXX", &error);
      g_assert_no_error (error);
      g_setenv ("KWB_GUI_TRUST_DATA_HOME", data_home, TRUE);
    }
  else
    data_home = g_strdup (g_getenv ("KWB_GUI_TRUST_DATA_HOME"));
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/gui/trust/trust-and-open", test_trust_and_open);
  g_test_add_func ("/gui/trust/cancel", test_cancel);
  g_test_add_func ("/gui/trust/resume-wizard", test_resume_wizard);
  status = g_test_run ();
  if (mine)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", data_home);

      g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
    }
  return status;
}
