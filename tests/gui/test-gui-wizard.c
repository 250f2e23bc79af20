/* test-gui-wizard.c — the new-project wizard, project settings and the source state, under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs the application in a subprocess of its own and drives it
 * through its actions and named widgets. Screenshots of every wizard page go
 * to $KWB_BUILD_ROOT/tests/gui/screenshots/wizard-*.png.
 *
 * /gui/wizard/flow needs the fixture kernel (KWB_FIXTURE_VMLINUX, exported by
 * build-aux/test): the project's kernel.build-dir points at its build, so the
 * wizard's build finds the kernel up to date. The fixture's own project is
 * never touched.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "kwb-application.h"
#include "kwb-core.h"
#include "kwb-project-page.h"
#include "kwb-frames-panel.h"
#include "kwb-project-settings.h"
#include "kwb-source-view.h"
#include "kwb-window.h"
#include "kwb-module-build.h"
#include "kwb-wizard.h"
#include "kwb-test-gtk-utils.h"
#include "kwb-test-git-server.h"

/* ---- acting on the pages ---- */

static void
type_and_apply (GtkWidget  *entry,
                const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "apply");
}

static const char *
subtitle (gpointer    root,
          const char *name)
{
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (kwb_test_require_widget (root, name)));
}

static void
git (const char *dir,
     const char *args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cmd = g_strdup_printf ("git -C '%s' -c user.name=Test -c user.email=test@example.org "
                                          "-c init.defaultBranch=main -c commit.gpgsign=false %s", dir, args);
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_command_line_sync (cmd, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", cmd, err);
}

/* A git repository of tests/data/kernel-fake: a tree check_tree accepts. */
static char *
make_kernel_repo (const char *parent)
{
  char *dir = g_build_filename (parent, "kernel-repo", NULL);
  g_autofree char *fake = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "tests", "data", "kernel-fake", NULL);
  g_autofree char *cmd = g_strdup_printf ("cp -r '%s' '%s'", fake, dir);
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  git (dir, "init -q");
  git (dir, "add -A");
  git (dir, "commit -q -m 'Linux fake: the test tree'");
  git (dir, "tag v6.1");
  return dir;
}

/* A project in a new folder NAME inside a new temporary folder (TMP). */
static KwbProject *
new_project (char       **tmp,
             const char  *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  KwbProject *project;

  *tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (*tmp, name, NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  return project;
}

static char *
read_key (const char *dir,
          const char *group,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) p = kwb_project_load (dir, &error);

  g_assert_no_error (error);
  return kwb_project_dup_string (p, group, key);
}

/* ---- the wizard, Welcome to Start Debugging ---- */

static gboolean
page_complete (gpointer data)
{
  return kwb_project_page_get_complete (data);
}

static gboolean
clone_idle (gpointer data)
{
  return gtk_widget_get_sensitive (data);
}

static gboolean
busybox_version_shown (gpointer data)
{
  const char *s = subtitle (data, "busybox_binary_row");

  return s && strstr (s, "BusyBox 1.");
}

static gboolean
build_finished (gpointer data)
{
  return !gtk_widget_get_visible (kwb_test_find_widget (data, "build_cancel_button")) &&
         gtk_widget_get_visible (kwb_test_find_widget (data, "build_result"));
}

static gboolean
main_window_with_project (gpointer data)
{
  KwbWindow *w = kwb_test_find_toplevel (KWB_TYPE_WINDOW);

  return w && kwb_window_has_project (w);
}

static gboolean
stopped_at_start_kernel (gpointer data)
{
  KwbSession *session = kwb_window_get_session (data);
  const KwbGdbStop *stop = session ? kwb_session_get_last_stop (session) : NULL;

  if (session && kwb_session_get_state (session) == KWB_SESSION_STATE_FAILED)
    g_error ("The session failed: %s", kwb_session_get_failure_reason (session));
  return session && kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED && stop &&
         g_strcmp0 (stop->func, "start_kernel") == 0;
}

static void
set_next (KwbWizard  *wizard,
          const char *expect)
{
  kwb_test_activate_action (GTK_WIDGET (wizard), "wizard.next", NULL);
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, expect);
}

/* The fixtures' choice on the source page: Debian's linux-source-6.1. */
static void
choose_debian_source (KwbWizard  *wizard,
                      const char *dir)
{
  GtkWidget *page = kwb_wizard_get_page_widget (wizard, "source");
  GListModel *model;
  guint debian_index = G_MAXUINT;
  g_autofree char *value = NULL;

  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "source_mode")), 0);
  model = adw_combo_row_get_model (ADW_COMBO_ROW (kwb_test_require_widget (page, "debian_package")));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_str_equal (gtk_string_list_get_string (GTK_STRING_LIST (model), i), "linux-source-6.1.tar.xz"))
      debian_index = i;
  g_assert_cmpuint (debian_index, !=, G_MAXUINT);
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "debian_package")), debian_index);
  kwb_test_wait_until (page_complete, page, "the Debian source to be accepted");
  g_assert_nonnull (strstr (subtitle (page, "version_row"), "6.1"));
  value = read_key (dir, "kernel", "source");
  g_assert_cmpstr (value, ==, "/usr/src/linux-source-6.1.tar.xz");
}

/* Welcome: a new project in DIR; the wizard on its source page. */
static KwbWizard *
create_project (KwbApplication *app,
                const char     *dir)
{
  KwbWizard *wizard;

  kwb_test_activate_app_action (G_APPLICATION (app), "new-project", NULL);
  wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "welcome");
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (wizard, "project_folder_entry")), dir);
  kwb_test_click (kwb_test_require_widget (wizard, "create_project_button"));
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "source");
  g_assert_nonnull (kwb_wizard_get_project (wizard));
  return wizard;
}

static void
flow_body (KwbApplication *app,
           gpointer        data)
{
  const char *tmp = data;
  const char *vmlinux = g_getenv ("KWB_FIXTURE_VMLINUX");
  g_autofree char *fixture_build = g_path_get_dirname (vmlinux);
  g_autofree char *dir = g_build_filename (tmp, "my project", NULL);
  g_autofree char *rcs = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) recent = NULL;
  g_autoptr(GSettings) settings = g_settings_new (APP_BASE_ID);
  KwbWindow *main_window;
  KwbWizard *wizard;
  KwbProject *project;
  GtkWidget *page, *buffer_view;

  /* No project: the main window's empty state has New / Open / Recent. */
  main_window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  kwb_test_wait_for_draw (GTK_WIDGET (main_window));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (main_window, "new_project_button")));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (main_window, "open_project_button")));
  kwb_test_save_screenshot (GTK_WIDGET (main_window), "wizard-0-main-window-no-project.png");

  /* 1 Welcome */
  kwb_test_activate_app_action (G_APPLICATION (app), "new-project", NULL);
  wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "welcome");
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (wizard, "next_button")));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-1-welcome.png");
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (wizard, "project_folder_entry")), dir);
  kwb_test_click (kwb_test_require_widget (wizard, "create_project_button"));
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "source");
  project = kwb_wizard_get_project (wizard);
  g_assert_nonnull (project);
  value = read_key (dir, "project", "wizard-page");
  g_assert_cmpstr (value, ==, "source");
  g_clear_pointer (&value, g_free);

  /* 2 Kernel source (its refusals and clones: /gui/wizard/source-page) */
  choose_debian_source (wizard, dir);
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-debian.png");

  /* Not on a page: the fixture's build, so the build is up to date. */
  kwb_project_set_string (project, "kernel", "build-dir", fixture_build);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  g_assert_true (kwb_project_save (project, NULL));
  set_next (wizard, "busybox");

  /* 3 BusyBox: the host's, found with its version. */
  page = kwb_wizard_get_page_widget (wizard, "busybox");
  kwb_test_wait_until (busybox_version_shown, page, "BusyBox's version");
  g_assert_true (kwb_project_page_get_complete (KWB_PROJECT_PAGE (page)));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-3-busybox.png");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "busybox_mode")), 1);
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (page, "busybox_static_switch")));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (kwb_test_require_widget (page, "busybox_static_switch"))));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-3-busybox-tree.png");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "busybox_mode")), 0);
  kwb_test_wait_until (page_complete, page, "the host BusyBox again");
  value = read_key (dir, "busybox", "source");
  g_assert_cmpstr (value, ==, "host");
  g_clear_pointer (&value, g_free);
  set_next (wizard, "initramfs");

  /* 4 Initramfs: an edit is saved as the project's rcS; Reset drops it. */
  page = kwb_wizard_get_page_widget (wizard, "initramfs");
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-4-initramfs.png");
  buffer_view = kwb_test_require_widget (page, "rcs_editor");
  {
    GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (buffer_view));
    GtkTextIter end;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;

    gtk_text_buffer_get_end_iter (buffer, &end);
    gtk_text_buffer_insert (buffer, &end, "echo hello from the wizard test\n", -1);
    path = read_key (dir, "initramfs", "rcs");
    g_assert_true (g_str_has_suffix (path, "initramfs/rcS"));
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_true (g_str_has_prefix (text, kwb_initramfs_get_default_file ("rcS")));
    g_assert_nonnull (strstr (text, "echo hello from the wizard test"));
    kwb_test_click (kwb_test_require_widget (page, "reset_boot_file"));
    rcs = read_key (dir, "initramfs", "rcs");
    g_assert_cmpstr (rcs, ==, "");
  }
  type_and_apply (kwb_test_require_widget (page, "module_entry"), "not-a-module.txt");
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), ".ko"));
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "module_entry")), "");
  /* A pasted line break would add keys to the project file: refused on the
   * page, the text kept to fix, the file as it was. */
  {
    g_autofree char *before = read_key (dir, "initramfs", "extra-files");
    g_autofree char *after = NULL;
    GtkWidget *extra = kwb_test_require_widget (page, "extra_file_entry");

    type_and_apply (extra, "/bin/true:/bin/t\n[qemu]\nbinary=/tmp/evil");
    g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "line break"));
    g_assert_nonnull (strchr (gtk_editable_get_text (GTK_EDITABLE (extra)), '\n'));
    after = read_key (dir, "initramfs", "extra-files");
    g_assert_cmpstr (after, ==, before);
    gtk_editable_set_text (GTK_EDITABLE (extra), "");
  }
  set_next (wizard, "kernel");

  /* 5 Kernel configuration: switches explain; turning one off is saved. */
  page = kwb_wizard_get_page_widget (wizard, "kernel");
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-5-kernel.png");
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (kwb_test_require_widget (page, "debug_RANDOMIZE_BASE"))));
  gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (page, "debug_RANDOMIZE_BASE")), FALSE);
  value = read_key (dir, "kernel", "extra-config");
  g_assert_cmpstr (value, ==, "CONFIG_RANDOMIZE_BASE=y;");
  g_clear_pointer (&value, g_free);
  gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (page, "debug_RANDOMIZE_BASE")), TRUE);
  value = read_key (dir, "kernel", "extra-config");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);
  /* The fixture's build is configured: the doctor's result is there. */
  g_assert_nonnull (gtk_widget_get_first_child (kwb_test_require_widget (page, "doctor_rows")));
  g_assert_nonnull (strstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (
                      gtk_widget_get_ancestor (kwb_test_require_widget (page, "doctor_rows"), ADW_TYPE_PREFERENCES_GROUP))),
                    "requested options set"));
  gtk_widget_grab_focus (kwb_test_require_widget (page, "configure_button"));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-5-kernel-doctor.png");
  set_next (wizard, "machine");

  /* 6 Virtual machine */
  page = kwb_wizard_get_page_widget (wizard, "machine");
  g_assert_nonnull (strstr (subtitle (page, "kvm_row"), kwb_qemu_kvm_usable () ? "KVM is available" : "KVM is not available"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (kwb_test_require_widget (page, "memory_spin")), 256);
  value = read_key (dir, "qemu", "memory");
  g_assert_cmpstr (value, ==, "256");
  g_clear_pointer (&value, g_free);
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-6-machine.png");
  set_next (wizard, "summary");

  /* 7 Summary and build */
  page = kwb_wizard_get_page_widget (wizard, "summary");
  g_assert_nonnull (strstr (subtitle (page, "summary_source"), "linux-source-6.1"));
  g_assert_nonnull (strstr (subtitle (page, "summary_machine"), "256 MiB"));
  g_assert_nonnull (strstr (subtitle (page, "summary_initramfs"), "0 of 3 boot files edited"));
  g_assert_false (gtk_widget_is_sensitive (kwb_test_require_widget (page, "start_debugging_button")));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-7-summary.png");

  /* The file on disk has every choice. */
  {
    g_autoptr(KwbProject) saved = kwb_project_load (dir, NULL);
    g_autofree char *source_dir = kwb_project_dup_string (saved, "kernel", "source-dir");
    g_autofree char *build_dir = kwb_project_dup_path (saved, "kernel", "build-dir");
    g_autofree char *page_id = kwb_project_dup_string (saved, "project", "wizard-page");
    g_autofree char *bb = kwb_project_dup_path (saved, "busybox", "binary");

    g_assert_cmpstr (source_dir, ==, "");
    g_assert_cmpstr (build_dir, ==, fixture_build);
    g_assert_cmpstr (page_id, ==, "summary");
    g_assert_cmpstr (bb, ==, "/bin/busybox");
    g_assert_cmpint (kwb_project_get_int (saved, "qemu", "memory"), ==, 256);
  }

  gtk_expander_set_expanded (GTK_EXPANDER (kwb_test_require_widget (page, "log_expander")), TRUE);
  kwb_test_click (kwb_test_require_widget (page, "build_button"));
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (page, "build_cancel_button")));
  /* The fixture kernel is up to date: make only checks (a minute at most). */
  kwb_test_wait_until_full (build_finished, page, 600, "the build");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (page, "build_result"))), ==,
                   "Everything is built: the kernel is ready to debug.");
  g_assert_nonnull (strstr (subtitle (page, "stage_kernel"), "Up to date"));
  g_assert_nonnull (strstr (subtitle (page, "stage_initramfs"), "initramfs.cpio.gz"));
  g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (kwb_test_require_widget (page, "progress_kernel"))), ==, 1.0);
  {
    g_autofree char *initramfs = g_build_filename (dir, "build", "initramfs.cpio.gz", NULL);

    g_assert_true (g_file_test (initramfs, G_FILE_TEST_IS_REGULAR));
  }
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-7-built.png");

  /* Start Debugging: the main window on the project, stopped at start_kernel. */
  kwb_test_click (kwb_test_require_widget (page, "start_debugging_button"));
  kwb_test_wait_until (main_window_with_project, NULL, "the main window with the project");
  main_window = kwb_test_find_toplevel (KWB_TYPE_WINDOW);
  g_assert_cmpstr (kwb_project_get_directory (kwb_window_get_project (main_window)), ==, dir);
  g_assert_null (kwb_test_find_toplevel (KWB_TYPE_WIZARD));
  value = read_key (dir, "project", "wizard-page");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (main_window, "welcome")));
  kwb_test_wait_until_full (stopped_at_start_kernel, main_window, 300, "a stop at start_kernel");
  kwb_test_save_screenshot (GTK_WIDGET (main_window), "wizard-8-main-window-started.png");
  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpstr (recent[0], ==, dir);
  value = g_settings_get_string (settings, "last-project");
  g_assert_cmpstr (value, ==, dir);

  /* The main window then closes with its session attached: that teardown
   * (console, session, QEMU) is part of what this test checks. */
}

static void
test_flow (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  if (g_getenv ("KWB_FIXTURE_VMLINUX") == NULL)
    g_error ("KWB_FIXTURE_VMLINUX is not set: run the GUI tests through build-aux/test, which builds the "
             "fixture kernel and exports it");
  tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  kwb_test_run_app (NULL, flow_body, tmp);
}

/* ---- the wizard for an arm64 guest ---- */

static gboolean
aarch64_registers_shown (gpointer data)
{
  g_autofree char *text = kwb_frames_panel_dup_registers_text (kwb_window_get_frames_panel (data));

  return text != NULL && strstr (text, "x0") != NULL && strstr (text, "cpsr") != NULL;
}

static gboolean
stop_line_visible (gpointer data)
{
  KwbSession *session = kwb_window_get_session (data);
  KwbSourceView *view = kwb_window_get_visible_source (data);

  return view != NULL && kwb_source_view_line_is_visible (view, kwb_session_get_last_stop (session)->line);
}

/* The architecture is chosen on the Machine page, after BusyBox: the page
 * then sends the user back for a BusyBox built for the guest, and the
 * build, the boot and the window are the arm64 fixture's. */
static void
flow_arm64_body (KwbApplication *app,
                 gpointer        data)
{
  const char *tmp = data;
  const char *fixture = g_getenv ("KWB_FIXTURE_ARM64_PROJECT");
  g_autoptr(KwbProject) fixture_project = kwb_project_load (fixture, NULL);
  g_autofree char *fixture_build = kwb_project_dup_path (fixture_project, "kernel", "build-dir");
  g_autofree char *busybox_tree = kwb_project_dup_path (fixture_project, "busybox", "tree");
  g_autofree char *busybox_build = kwb_project_dup_path (fixture_project, "busybox", "build-dir");
  g_autofree char *dir = g_build_filename (tmp, "arm64 project", NULL);
  g_autofree char *value = NULL;
  KwbWindow *main_window;
  KwbWizard *wizard;
  KwbProject *project;
  GtkWidget *page;

  kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  wizard = create_project (app, dir);
  project = kwb_wizard_get_project (wizard);
  choose_debian_source (wizard, dir);
  /* Not on a page: the fixture's builds, so the build is up to date. */
  kwb_project_set_string (project, "kernel", "build-dir", fixture_build);
  kwb_project_set_string (project, "busybox", "build-dir", busybox_build);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  g_assert_true (kwb_project_save (project, NULL));
  set_next (wizard, "busybox");
  set_next (wizard, "initramfs");
  set_next (wizard, "kernel");
  set_next (wizard, "machine");

  /* ARM64: the packages it needs (installed here), the emulated CPU, and
   * the host's BusyBox no longer fits. */
  page = kwb_wizard_get_page_widget (wizard, "machine");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "arch_row")), 1);
  value = read_key (dir, "machine", "arch");
  g_assert_cmpstr (value, ==, "arm64");
  g_clear_pointer (&value, g_free);
  value = read_key (dir, "qemu", "binary");
  g_assert_cmpstr (value, ==, "qemu-system-aarch64");
  g_clear_pointer (&value, g_free);
  g_assert_nonnull (strstr (subtitle (page, "arch_tools_row"), "gcc-aarch64-linux-gnu"));
  g_assert_nonnull (strstr (subtitle (page, "arch_tools_row"), "installed"));
  g_assert_nonnull (strstr (subtitle (page, "kvm_row"), "emulates"));
  g_assert_false (kwb_project_page_get_complete (KWB_PROJECT_PAGE (page)));
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "BusyBox"));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-arm64-machine.png");

  /* Back to BusyBox: built from Debian's sources for the guest. */
  for (guint i = 0; i < 3; i++)
    kwb_test_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "busybox");
  page = kwb_wizard_get_page_widget (wizard, "busybox");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "busybox_mode")), 1);
  type_and_apply (kwb_test_require_widget (page, "busybox_tree_entry"), busybox_tree);
  kwb_test_wait_until (page_complete, page, "the BusyBox tree to be accepted");
  set_next (wizard, "initramfs");
  set_next (wizard, "kernel");
  set_next (wizard, "machine");
  page = kwb_wizard_get_page_widget (wizard, "machine");
  g_assert_true (kwb_project_page_get_complete (KWB_PROJECT_PAGE (page)));
  set_next (wizard, "summary");

  /* The build: kernel and BusyBox up to date, the initramfs written. */
  page = kwb_wizard_get_page_widget (wizard, "summary");
  g_assert_nonnull (strstr (subtitle (page, "summary_machine"), "ARM64"));
  kwb_test_click (kwb_test_require_widget (page, "build_button"));
  kwb_test_wait_until_full (build_finished, page, 600, "the build");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (page, "build_result"))), ==,
                   "Everything is built: the kernel is ready to debug.");
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-arm64-built.png");

  /* Start Debugging: stopped in the arm64 kernel, its registers shown. */
  kwb_test_click (kwb_test_require_widget (page, "start_debugging_button"));
  kwb_test_wait_until (main_window_with_project, NULL, "the main window with the project");
  main_window = kwb_test_find_toplevel (KWB_TYPE_WINDOW);
  kwb_test_wait_until_full (stopped_at_start_kernel, main_window, 300, "a stop at start_kernel");
  g_assert_cmpstr (kwb_session_config_get_arch (kwb_session_get_config (kwb_window_get_session (main_window)))->name,
                   ==, "arm64");
  kwb_test_wait_until (aarch64_registers_shown, main_window, "the aarch64 registers");
  kwb_test_wait_until (stop_line_visible, main_window, "the stop line scrolled into view");
  /* The Frames panel's Registers tab in front for the screenshot. */
  gtk_stack_set_visible_child_name (gtk_stack_switcher_get_stack (GTK_STACK_SWITCHER (
                                      kwb_test_require_widget (GTK_WIDGET (main_window), "frames_switcher"))),
                                    "registers");
  kwb_test_wait_for_draw (GTK_WIDGET (main_window));
  kwb_test_save_screenshot (GTK_WIDGET (main_window), "wizard-arm64-main-window.png");
}

static void
test_flow_arm64 (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  if (g_getenv ("KWB_FIXTURE_ARM64_PROJECT") == NULL)
    g_error ("KWB_FIXTURE_ARM64_PROJECT is not set: run the GUI tests through build-aux/test, which builds the "
             "arm64 fixture kernel and exports it");
  tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  g_assert_no_error (error);
  kwb_test_run_app (NULL, flow_arm64_body, tmp);
}

/* ---- the source page: refusals, clones ---- */

/* The refusals first, on the page, nothing destroyed; then a clone that
 * works shows what it found. */
static void
source_page_body (KwbApplication *app,
                  gpointer        data)
{
  const char *tmp = data;
  g_autofree char *dir = g_build_filename (tmp, "p", NULL);
  g_autofree char *not_kernel = g_build_filename (tmp, "not-a-kernel", NULL);
  g_autofree char *busy = g_build_filename (tmp, "busy", NULL);
  g_autofree char *busy_file = g_build_filename (busy, "keep.txt", NULL);
  g_autofree char *repo = make_kernel_repo (tmp);
  g_autofree char *keep = NULL;
  g_autofree char *value = NULL;
  KwbWizard *wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard on the source page");
  GtkWidget *page = kwb_wizard_get_page_widget (wizard, "source");

  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "source");
  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "source_mode")), 1);
  g_assert_cmpint (g_mkdir (not_kernel, 0755), ==, 0);
  type_and_apply (kwb_test_require_widget (page, "folder_entry"), not_kernel);
  g_assert_nonnull (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)));
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "not a Linux kernel source tree"));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (page, "page_error")));
  g_assert_false (kwb_project_page_get_complete (KWB_PROJECT_PAGE (page)));
  g_assert_false (gtk_widget_is_sensitive (kwb_test_require_widget (wizard, "next_button")));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-not-a-kernel.png");

  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "source_mode")), 2);
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_url_entry")), "http://127.0.0.1:9/linux.git");
  kwb_test_click (kwb_test_require_widget (page, "clone_button"));
  kwb_test_wait_until (clone_idle, kwb_test_require_widget (page, "clone_button"), "the clone to fail");
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "Could not clone"));
  g_assert_false (g_file_test (gtk_editable_get_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_dest_entry"))),
                               G_FILE_TEST_EXISTS));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-unreachable.png");

  g_assert_cmpint (g_mkdir (busy, 0755), ==, 0);
  g_assert_true (g_file_set_contents (busy_file, "mine\n", -1, NULL));
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_url_entry")), repo);
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_dest_entry")), busy);
  kwb_test_click (kwb_test_require_widget (page, "clone_button"));
  kwb_test_wait_until (clone_idle, kwb_test_require_widget (page, "clone_button"), "the clone to be refused");
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "not an empty folder"));
  g_assert_true (g_file_get_contents (busy_file, &keep, NULL, NULL));
  g_assert_cmpstr (keep, ==, "mine\n");

  /* A clone that works: what was found is shown (version, branch, commit). */
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_dest_entry")), "linux");
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_branch_entry")), "v6.1");
  kwb_test_click (kwb_test_require_widget (page, "clone_button"));
  kwb_test_wait_until (clone_idle, kwb_test_require_widget (page, "clone_button"), "the clone");
  kwb_test_wait_until (page_complete, page, "the cloned tree to be accepted");
  g_assert_null (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)));
  g_assert_nonnull (strstr (subtitle (page, "commit_row"), "Linux fake: the test tree"));
  g_assert_nonnull (strstr (subtitle (page, "branch_row"), "detached"));
  g_assert_nonnull (strstr (subtitle (page, "state_row"), "Clean"));
  value = read_key (dir, "kernel", "source");
  g_assert_true (g_str_has_suffix (value, "/p/linux"));
  g_clear_pointer (&value, g_free);
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-git.png");

}

static void
test_source_page (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "p");
  dir = g_strdup (kwb_project_get_directory (project));
  kwb_project_set_string (project, "project", "wizard-page", "source");
  g_assert_true (kwb_project_save (project, NULL));
  kwb_test_run_app ((const char *[]) { dir, NULL }, source_page_body, tmp);
}

/* ---- closing half-way and coming back ---- */

static void
resume_body (KwbApplication *app,
             gpointer        data)
{
  KwbWizard *wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard, resumed");

  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "initramfs");
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (wizard, "back_button")));
  kwb_test_activate_action (GTK_WIDGET (wizard), "wizard.back", NULL);
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "busybox");
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-resumed.png");
}

static void
test_resume (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *page = NULL;
  g_autoptr(KwbProject) project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "p");
  dir = g_strdup (kwb_project_get_directory (project));
  /* As a wizard closed on the initramfs page leaves it. */
  kwb_project_set_string (project, "project", "wizard-page", "initramfs");
  g_assert_true (kwb_project_save (project, NULL));

  kwb_test_run_app ((const char *[]) { dir, NULL }, resume_body, NULL);
  page = read_key (dir, "project", "wizard-page");
  g_assert_cmpstr (page, ==, "busybox");
}

/* ---- Project Settings: what a change needs rebuilt ---- */

static GtkWindow *find_build_window (void);
static gboolean   build_window_shown (gpointer data);

static void
settings_body (KwbApplication *app,
               gpointer        data)
{
  const char *dir = data;
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  KwbProjectSettings *settings;
  GtkWidget *build_button = kwb_test_require_widget (window, "header_build_button");
  GtkWidget *page;
  GtkTextBuffer *buffer;
  GtkTextIter end;
  g_autofree char *pending = NULL;

  g_assert_true (kwb_window_has_project (window));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (build_button)), ==, "Build");
  kwb_test_activate_app_action (G_APPLICATION (app), "project-settings", NULL);
  settings = kwb_test_wait_toplevel (KWB_TYPE_PROJECT_SETTINGS, "Project Settings");
  /* Looking changes nothing. */
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "none");
  g_clear_pointer (&pending, g_free);

  /* The VM's memory: nothing to rebuild. */
  page = kwb_test_require_widget (settings, "machine");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (kwb_test_require_widget (page, "memory_spin")), 512);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "none");
  g_clear_pointer (&pending, g_free);

  /* Stopping at warnings: a session setting, off by default; crashes stop. */
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (kwb_test_require_widget (page, "stop_on_crash_switch"))));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (kwb_test_require_widget (page, "stop_on_warn_switch"))));
  gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (page, "stop_on_warn_switch")), TRUE);
  pending = read_key (dir, "debug", "stop-on-warn");
  g_assert_cmpstr (pending, ==, "true");
  g_clear_pointer (&pending, g_free);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "none");
  g_clear_pointer (&pending, g_free);

  /* distcc hosts: where the compiles run, nothing to rebuild. */
  page = kwb_test_require_widget (settings, "kernel");
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "distcc_hosts_entry")), "10.0.0.5/8");
  pending = read_key (dir, "kernel", "distcc-hosts");
  g_assert_cmpstr (pending, ==, "10.0.0.5/8");
  g_clear_pointer (&pending, g_free);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "none");
  g_clear_pointer (&pending, g_free);

  /* A boot file: the initramfs only. */
  page = kwb_test_require_widget (settings, "initramfs");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kwb_test_require_widget (page, "fstab_editor")));
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "# edited\n", -1);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "initramfs");
  g_clear_pointer (&pending, g_free);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (build_button)), ==, "Rebuild Initramfs");

  /* A debug option: the kernel configuration. */
  page = kwb_test_require_widget (settings, "kernel");
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (settings), ADW_PREFERENCES_PAGE (page));
  gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (page, "debug_DEBUG_FS")), FALSE);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "config");
  g_clear_pointer (&pending, g_free);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (build_button)), ==, "Reconfigure and Build Kernel");
  kwb_test_save_screenshot (GTK_WIDGET (settings), "settings-kernel.png");

  /* Undo the option: still "config" (levels only go up until a build). */
  gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (page, "debug_DEBUG_FS")), TRUE);
  pending = read_key (dir, "project", "pending-rebuild");
  g_assert_cmpstr (pending, ==, "config");
  g_clear_pointer (&pending, g_free);
  gtk_window_destroy (GTK_WINDOW (settings));
  kwb_test_save_screenshot (GTK_WIDGET (window), "settings-main-window-build-button.png");

  /* Initramfs only: the Build button skips the kernel (its build finished
   * before: there is a manifest), writes the initramfs, and clears the mark. */
  {
    g_autoptr(KwbProject) p = kwb_project_load (dir, NULL);
    GtkWindow *build_window;

    g_autofree char *module_dir = NULL;
    g_autofree char *listing = NULL;
    g_autoptr(GError) module_error = NULL;

    /* A module project too: the Build button builds it against the
     * project's kernel (no relink) and puts its .ko into the initramfs. */
    {
      /* Modules need a built kernel: the fixture's (read only here). */
      g_autofree char *fixture_build = g_path_get_dirname (g_getenv ("KWB_FIXTURE_VMLINUX"));

      kwb_project_set_string (kwb_window_get_project (window), "kernel", "build-dir", fixture_build);
    }
    module_dir = kwb_module_build_new_template (kwb_window_get_project (window), "kwb_hello", &module_error);
    g_assert_no_error (module_error);
    kwb_project_set_string (kwb_window_get_project (window), "project", "pending-rebuild", "initramfs");
    g_assert_true (kwb_project_save (kwb_window_get_project (window), NULL));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (build_button)), ==, "Rebuild Initramfs");
    kwb_test_click (build_button);
    kwb_test_wait_until (build_window_shown, NULL, "the build window");
    build_window = find_build_window ();
    kwb_test_wait_until_full (build_finished, build_window, 1200, "the initramfs build");
    g_assert_cmpstr (subtitle (build_window, "stage_kernel"), ==, "Not needed: only the initramfs changed");
    if (g_strcmp0 (subtitle (build_window, "stage_modules"), "1 module ready") != 0)
      g_error ("modules stage: %s", gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (build_window), "build_result"))));
    g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (GTK_WIDGET (build_window), "stage_modules")));
    g_assert_cmpstr (subtitle (build_window, "stage_modules"), ==, "1 module ready");
    g_assert_nonnull (strstr (subtitle (build_window, "stage_initramfs"), "initramfs.cpio.gz"));
    {
      const char *argv[] = { KWB_CLI_PATH, "initramfs", dir, "--list", NULL };

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                   &listing, NULL, NULL, NULL));
      g_assert_nonnull (strstr (listing, "kwb_hello.ko"));
    }
    kwb_test_save_screenshot (GTK_WIDGET (build_window), "build-window-initramfs-only.png");
    gtk_window_destroy (build_window);
    pending = read_key (dir, "project", "pending-rebuild");
    g_assert_cmpstr (pending, ==, "none");
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (build_button)), ==, "Build");
  }
}

static void
test_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(KwbProject) project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "p");
  dir = g_strdup (kwb_project_get_directory (project));
  /* A kernel built before (its manifest is what counts here). */
  {
    g_autofree char *build = g_build_filename (dir, "build", "kernel", NULL);
    g_autofree char *manifest = g_build_filename (build, "kwb-manifest.ini", NULL);

    g_assert_cmpint (g_mkdir_with_parents (build, 0755), ==, 0);
    g_assert_true (g_file_set_contents (manifest, "[build]\nup-to-date=true\n", -1, NULL));
  }
  kwb_test_run_app ((const char *[]) { dir, NULL }, settings_body, dir);
}

/* ---- the header's source state and the stale banner ---- */

static void
stale_body (KwbApplication *app,
            gpointer        data)
{
  const char *repo = data;
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  GtkWidget *label = kwb_test_require_widget (window, "source_tree_label");
  GtkWidget *banner = kwb_test_require_widget (window, "stale_banner");
  g_autoptr(KwbGitRepo) git_repo = kwb_git_repo_open (repo, NULL);
  g_autoptr(KwbGitCommit) head = kwb_git_repo_dup_head (git_repo, NULL);
  g_autofree char *expect = g_strdup_printf ("main · %s •", head->short_id);

  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_visible (label));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, expect);
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (window, "stale_label"))),
                            "The vmlinux is older than the source"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (window, "stale_label"))), "init/main.c"));
  kwb_test_save_screenshot (GTK_WIDGET (window), "main-window-stale-banner.png");
}

static void
test_stale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *build = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *main_c = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbGitRepo) git_repo = NULL;
  g_autoptr(KwbGitCommit) head = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  KWB_TEST_IN_SUBPROCESS ();
  tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  repo = make_kernel_repo (tmp);
  build = g_build_filename (tmp, "build", NULL);
  g_assert_cmpint (g_mkdir (build, 0755), ==, 0);
  git_repo = kwb_git_repo_open (repo, &error);
  g_assert_no_error (error);
  head = kwb_git_repo_dup_head (git_repo, NULL);
  /* As KwbKernelBuild writes it after building the clean tree. */
  manifest = g_build_filename (build, "kwb-manifest.ini", NULL);
  g_key_file_set_string (kf, "kernel", "source-commit", head->id);
  g_key_file_set_boolean (kf, "kernel", "source-dirty", FALSE);
  g_assert_true (g_key_file_save_to_file (kf, manifest, NULL));
  /* Then the user edits a source file. */
  main_c = g_build_filename (repo, "init", "main.c", NULL);
  g_assert_true (g_file_set_contents (main_c, "/* edited after the build */\n", -1, NULL));

  dir = g_build_filename (tmp, "p", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  kwb_project_set_string (project, "kernel", "source", repo);
  kwb_project_set_string (project, "kernel", "build-dir", build);
  g_assert_true (kwb_project_save (project, NULL));
  kwb_test_run_app ((const char *[]) { dir, NULL }, stale_body, repo);
}

/* ---- a failing build: the first error opens in the source view ---- */

static GtkWindow *
find_build_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (!KWB_IS_WINDOW (w) && gtk_widget_get_mapped (GTK_WIDGET (w)) && kwb_test_find_widget (GTK_WIDGET (w), "build_panel"))
        return w;
    }
  return NULL;
}

static gboolean
build_window_shown (gpointer data)
{
  return find_build_window () != NULL;
}

static gboolean
source_shown (gpointer data)
{
  KwbSourceView *view = kwb_window_get_visible_source (data);

  return view != NULL && g_str_has_suffix (kwb_source_view_get_path (view), "/init/main.c");
}

static void
build_error_body (KwbApplication *app,
                  gpointer        data)
{
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  GtkWindow *build_window;
  GtkWidget *row;

  g_assert_true (kwb_window_has_project (window));
  kwb_test_click (kwb_test_require_widget (window, "header_build_button"));
  kwb_test_wait_until (build_window_shown, NULL, "the build window");
  build_window = find_build_window ();
  g_assert_true (gtk_window_get_transient_for (build_window) == GTK_WINDOW (window));
  kwb_test_wait_until_full (build_finished, build_window, 300, "the build to fail");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (build_window, "build_result"))), "init/main.c"));
  row = kwb_test_require_widget (build_window, "problem_row");
  g_assert_true (gtk_widget_get_mapped (row));
  g_assert_true (g_str_has_suffix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "/init/main.c:12"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "kwb_undefined"));
  g_assert_cmpstr (subtitle (build_window, "stage_kernel"), ==, "Failed");
  kwb_test_save_screenshot (GTK_WIDGET (build_window), "build-window-error.png");

  /* Activating the row opens FILE:LINE in the main window. */
  g_signal_emit_by_name (row, "activated");
  kwb_test_wait_until (source_shown, window, "init/main.c in the source view");
  gtk_window_destroy (build_window);
  kwb_test_save_screenshot (GTK_WIDGET (window), "build-error-in-source-view.png");
}

static void
test_build_error (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *build = NULL;
  g_autoptr(KwbProject) project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  tree = make_kernel_repo (tmp);
  build = g_build_filename (tmp, "build", NULL);
  dir = g_build_filename (tmp, "p", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  kwb_project_set_string (project, "kernel", "source", tree);
  kwb_project_set_string (project, "kernel", "build-dir", build);
  g_assert_true (kwb_project_save (project, NULL));
  kwb_test_run_app ((const char *[]) { dir, NULL }, build_error_body, NULL);
}

/* ---- cloning: progress, then Cancel leaves nothing ---- */

static gboolean
clone_progress_shown (gpointer data)
{
  const char *text = gtk_progress_bar_get_text (data);

  return text != NULL && g_str_has_prefix (text, "Objects:");
}

static gboolean
no_staging_left (gpointer data)
{
  g_autoptr(GDir) d = g_dir_open (data, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (strstr (name, "clone-") != NULL)
      return FALSE;
  return TRUE;
}

static void
clone_cancel_body (KwbApplication *app,
                   gpointer        data)
{
  const char *origin = data;
  KwbWizard *wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  GtkWidget *page = kwb_wizard_get_page_widget (wizard, "source");
  GtkWidget *bar = kwb_test_require_widget (page, "clone_progress");
  g_autofree char *url = g_strdup_printf ("file://%s", origin);
  g_autofree char *dest = NULL;
  g_autofree char *parent = NULL;
  const char *text;

  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "source_mode")), 2);
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_url_entry")), url);
  dest = g_strdup (gtk_editable_get_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_dest_entry"))));
  kwb_test_click (kwb_test_require_widget (page, "clone_button"));
  g_assert_true (gtk_widget_get_visible (bar));
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (page, "clone_cancel_button")));
  kwb_test_wait_until (clone_progress_shown, bar, "clone progress");
  text = gtk_progress_bar_get_text (GTK_PROGRESS_BAR (bar));
  /* "Objects: 12 of 403, 1.2 MB, 3.4 MB/s" */
  g_assert_nonnull (strstr (text, " of 403, "));
  g_assert_true (g_str_has_suffix (text, "/s"));
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-cloning.png");

  kwb_test_click (kwb_test_require_widget (page, "clone_cancel_button"));
  kwb_test_wait_until (clone_idle, kwb_test_require_widget (page, "clone_button"), "the clone to stop");
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "cancelled"));
  g_assert_false (gtk_widget_get_visible (bar));
  /* Nothing kept: no clone, no hidden staging folder next to it. */
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  parent = g_path_get_dirname (dest);
  {
    g_autoptr(GDir) d = g_dir_open (parent, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (strstr (name, "clone-") != NULL);
  }
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-2-source-clone-cancelled.png");

  /* Closing the wizard half-way through a clone: the clone stops, nothing
   * is left, nothing crashes when its last report arrives. */
  kwb_test_click (kwb_test_require_widget (page, "clone_button"));
  kwb_test_wait_until (clone_progress_shown, bar, "clone progress again");
  gtk_window_destroy (GTK_WINDOW (wizard));
  kwb_test_wait_until (no_staging_left, parent, "the half-made clone to be removed");
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
}

static void
test_clone_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *origin = NULL;
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  tmp = g_dir_make_tmp ("kwb-gui-wizard-XXXXXX", &error);
  origin = g_build_filename (tmp, "big", NULL);
  /* 400 files of random data: enough objects for progress to show. */
  for (guint f = 0; f < 400; f++)
    {
      g_autofree char *name = g_strdup_printf ("data/file-%03u.bin", f);
      g_autofree char *path = g_build_filename (origin, name, NULL);
      g_autofree char *pdir = g_path_get_dirname (path);
      g_autofree guint32 *buf = g_new (guint32, 16384);

      g_mkdir_with_parents (pdir, 0755);
      for (guint i = 0; i < 16384; i++)
        buf[i] = g_rand_int (rand);
      g_assert_true (g_file_set_contents (path, (char *) buf, 16384 * 4, NULL));
    }
  git (origin, "init -q");
  git (origin, "add -A");
  git (origin, "commit -q -m Big");

  dir = g_build_filename (tmp, "p", NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  kwb_project_set_string (project, "project", "wizard-page", "source");
  g_assert_true (kwb_project_save (project, NULL));
  kwb_test_run_app ((const char *[]) { dir, NULL }, clone_cancel_body, origin);
}

/* ---- a clone from a server that asks for a password ---- */

typedef struct {
  const char *tmp;
  guint       port;
} AuthCloneData;

static gboolean
dialog_shown (gpointer data)
{
  return kwb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return kwb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG) == NULL;
}

/* As a user would: the dialog's own button, which also closes it. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = kwb_test_find_by_label (dialog, label);

  g_assert_true (GTK_IS_BUTTON (button));
  kwb_test_click (button);
}

static void
clone_auth_body (KwbApplication *app,
                 gpointer        data)
{
  AuthCloneData *d = data;
  KwbWizard *wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  GtkWidget *page = kwb_wizard_get_page_widget (wizard, "source");
  GtkWidget *button = kwb_test_require_widget (page, "clone_button");
  GtkWidget *url_entry = kwb_test_require_widget (page, "git_url_entry");
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", d->port);
  g_autofree char *url = g_strdup_printf ("http://%s/linux.git", host);
  g_autofree char *wrong = g_strdup_printf ("http://kwb-user:Wr0ng-Tok3n@%s/linux.git", host);
  g_autofree char *dest = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *project_file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *value = NULL;
  AdwMessageDialog *dialog;

  adw_combo_row_set_selected (ADW_COMBO_ROW (kwb_test_require_widget (page, "source_mode")), 2);
  dest = g_strdup (gtk_editable_get_text (GTK_EDITABLE (kwb_test_require_widget (page, "git_dest_entry"))));
  parent = g_path_get_dirname (dest);

  /* The server answers 401: a dialog asks, naming the host and the address. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), url);
  kwb_test_click (button);
  kwb_test_wait_until (dialog_shown, NULL, "the sign-in dialog");
  dialog = kwb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), host));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), url));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (kwb_test_require_widget (dialog, "clone_auth_password")));
  g_assert_false (gtk_widget_get_sensitive (button));
  kwb_test_save_screenshot (GTK_WIDGET (dialog), "wizard-2-source-clone-sign-in.png");

  /* Cancel: the clone ends cancelled, nothing kept. */
  click_response (dialog, "_Cancel");
  kwb_test_wait_until (clone_idle, button, "the clone to stop");
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "cancelled"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));
  g_assert_true (no_staging_left (parent));
  kwb_test_wait_until (dialog_gone, NULL, "the dialog to close");

  /* A wrong password in the address: tried once (no dialog), and the
   * message shows the address without it. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), wrong);
  kwb_test_click (button);
  kwb_test_wait_until (clone_idle, button, "the clone to fail");
  g_assert_null (kwb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "authentication failed"));
  g_assert_nonnull (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), url));
  g_assert_null (strstr (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)), "Wr0ng"));
  g_assert_false (g_file_test (dest, G_FILE_TEST_EXISTS));

  /* The right ones typed in the dialog: the clone completes and is the source. */
  gtk_editable_set_text (GTK_EDITABLE (url_entry), url);
  kwb_test_click (button);
  kwb_test_wait_until (dialog_shown, NULL, "the sign-in dialog again");
  dialog = kwb_test_find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (dialog, "clone_auth_user")), "kwb-user");
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (dialog, "clone_auth_password")), "S3cret-Tok3n");
  click_response (dialog, "_Sign In");
  kwb_test_wait_until (clone_idle, button, "the clone");
  kwb_test_wait_until (page_complete, page, "the cloned tree to be accepted");
  g_assert_null (kwb_project_page_get_error (KWB_PROJECT_PAGE (page)));
  value = read_key (d->tmp, "kernel", "source");
  g_assert_cmpstr (value, ==, dest);
  project_file = g_build_filename (d->tmp, "kernel-workbench.ini", NULL);
  g_assert_true (g_file_get_contents (project_file, &text, NULL, NULL));
  g_assert_null (strstr (text, "S3cret"));
  g_clear_pointer (&text, g_free);
  {
    g_autofree char *config = g_build_filename (dest, ".git", "config", NULL);

    g_assert_true (g_file_get_contents (config, &text, NULL, NULL));
    g_assert_null (strstr (text, "S3cret"));
  }
}

static void
test_clone_auth (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *repo = NULL;
  g_autofree char *root = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *cmd = NULL;
  KwbTestGitServer server = { 0 };
  AuthCloneData d;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "p");
  kwb_project_set_string (project, "project", "wizard-page", "source");
  g_assert_true (kwb_project_save (project, NULL));
  repo = make_kernel_repo (tmp);
  root = g_build_filename (tmp, "served", NULL);
  bare = g_build_filename (root, "linux.git", NULL);
  cmd = g_strdup_printf ("git clone -q --bare '%s' '%s'", repo, bare);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  kwb_test_git_server_start (&server, root, "kwb-user", "S3cret-Tok3n");
  d.tmp = kwb_project_get_directory (project);
  d.port = server.port;
  kwb_test_run_app ((const char *[]) { d.tmp, NULL }, clone_auth_body, &d);
  kwb_test_git_server_stop (&server);
}

/* ---- File → Open Project… (a folder chooser) ---- */

static gboolean
chooser_has_folder (gpointer data)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (data);
  g_autofree char *name = file ? g_file_get_basename (file) : NULL;

  return g_strcmp0 (name, "opened") == 0;
}

static void
open_project_body (KwbApplication *app,
                   gpointer        data)
{
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  g_autoptr(GFile) folder = g_file_new_for_path (data);
  g_autoptr(GError) error = NULL;
  GtkFileChooser *chooser;

  g_assert_false (kwb_window_has_project (window));
  kwb_test_activate_app_action (G_APPLICATION (app), "open-project", NULL);
  /* Without a portal, GtkFileChooserNative shows GTK's own dialog. */
  chooser = kwb_test_wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, "the folder chooser");
  g_assert_cmpint (gtk_file_chooser_get_action (chooser), ==, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
  g_assert_true (gtk_file_chooser_set_file (chooser, folder, &error));
  g_assert_no_error (error);
  /* The selection lands once the parent folder is listed. */
  kwb_test_wait_until (chooser_has_folder, chooser, "the folder to be selected");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  kwb_test_wait_until (main_window_with_project, NULL, "the opened project");
  g_assert_cmpstr (kwb_project_get_directory (kwb_window_get_project (window)), ==, data);
  /* From a new wizard's welcome page, the recent project reopens and that
   * wizard goes away. */
  {
    KwbWizard *wizard;
    GtkWidget *row;

    kwb_test_activate_app_action (G_APPLICATION (app), "new-project", NULL);
    wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
    row = kwb_test_find_by_type (kwb_test_require_widget (wizard, "recent_list"), GTK_TYPE_LIST_BOX_ROW);
    g_assert_nonnull (row);
    kwb_test_save_screenshot (GTK_WIDGET (wizard), "wizard-1-welcome-recent.png");
    gtk_widget_activate (row);
    g_assert_null (kwb_test_find_toplevel (KWB_TYPE_WIZARD));
  }
  /* Now a recent project, in the primary menu's Recent Projects. */
  {
    GObject *menu = gtk_widget_get_template_child (GTK_WIDGET (window), KWB_TYPE_WINDOW, "recent_projects_menu");
    g_autoptr(GVariant) target = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (G_MENU_MODEL (menu)), ==, 1);
    target = g_menu_model_get_item_attribute_value (G_MENU_MODEL (menu), 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);
    g_assert_cmpstr (g_variant_get_string (target, NULL), ==, data);
  }
}

static void
test_open_project (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(KwbProject) project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "opened");
  dir = g_strdup (kwb_project_get_directory (project));
  kwb_test_run_app (NULL, open_project_body, dir);
}

/* ---- the desktop launcher: --last ---- */

static void
last_body (KwbApplication *app,
           gpointer        data)
{
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");

  g_assert_true (kwb_window_has_project (window));
  g_assert_cmpstr (kwb_project_get_directory (kwb_window_get_project (window)), ==, data);
}

static void
test_last (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(KwbProject) project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = new_project (&tmp, "last one");
  dir = g_strdup (kwb_project_get_directory (project));
  settings = g_settings_new (APP_BASE_ID);
  g_settings_set_string (settings, "last-project", dir);
  kwb_test_run_app ((const char *[]) { "--last", NULL }, last_body, dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GIT_CONFIG_NOSYSTEM", "1", TRUE);
  g_setenv ("GIT_CONFIG_GLOBAL", "/dev/null", TRUE);
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();

  /* The arm64 flow is a run of its own (meson's test-gui-wizard-arm64). */
  if (g_getenv ("KWB_TEST_ARM64") != NULL)
    {
      g_test_add_func ("/gui/wizard/flow-arm64", test_flow_arm64);
      return g_test_run ();
    }
  g_test_add_func ("/gui/wizard/resume", test_resume);
  g_test_add_func ("/gui/wizard/source-page", test_source_page);
  g_test_add_func ("/gui/wizard/settings-rebuild", test_settings);
  g_test_add_func ("/gui/wizard/stale-banner", test_stale);
  g_test_add_func ("/gui/wizard/build-error", test_build_error);
  g_test_add_func ("/gui/wizard/last-project", test_last);
  g_test_add_func ("/gui/wizard/clone-cancel", test_clone_cancel);
  g_test_add_func ("/gui/wizard/clone-auth", test_clone_auth);
  g_test_add_func ("/gui/wizard/open-project", test_open_project);
  g_test_add_func ("/gui/wizard/flow", test_flow);
  return g_test_run ();
}
