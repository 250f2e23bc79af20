/* test-gui.c — the real application under Xvfb, driven through its actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case runs KernelWorkbench in a subprocess of its own (fresh GSettings
 * memory backend, fresh GTK state), waits for its window to be drawn, checks
 * widgets found by name, and quits through app.quit (kwb-test-gtk-utils). Screenshots go to
 * $KWB_BUILD_ROOT/tests/gui/screenshots/ for a person to look at.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-application.h"
#include "kwb-project-trust.h"
#include "kwb-test-gtk-utils.h"
#include "kwb-window.h"

/* The run controls: button name, action, shortcut shown in its tooltip. */
static const struct {
  const char *button;
  const char *action;
  const char *accel;
  const char *key_in_tooltip;
} run_controls[] = {
  { "continue_button",  "win.continue",  "F5",          "(F5)" },
  { "interrupt_button", "win.interrupt", "<Control>F5", "(Ctrl+F5)" },
  { "step_button",      "win.step",      "F11",         "(F11)" },
  { "next_button",      "win.next",      "F10",         "(F10)" },
  { "finish_button",    "win.finish",    "<Shift>F11",  "(Shift+F11)" },
  { "stop_button",      "win.stop",      "<Shift>F5",   "(Shift+F5)" },
};

static void
assert_run_controls_sensitive (KwbWindow *window,
                               gboolean   sensitive)
{
  for (guint i = 0; i < G_N_ELEMENTS (run_controls); i++)
    {
      GtkWidget *button = kwb_test_require_widget (window, run_controls[i].button);

      if (gtk_widget_is_sensitive (button) != sensitive)
        g_error ("%s is %s, expected %s", run_controls[i].button,
                 sensitive ? "insensitive" : "sensitive",
                 sensitive ? "sensitive" : "insensitive");
    }
}

static void
check_structure (KwbApplication *app,
                 KwbWindow      *window,
                 gpointer        data)
{
  static const char * const mapped[] = {
    "run_controls", "start_dock", "source_area", "console_area", "status_label",
    "breakpoints_page", "source_status", "console_status", "primary_menu_button",
  };
  GtkNotebook *dock;
  AdwStatusPage *page;
  GtkWidget *widget;

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Kernel Workbench");
  g_assert_false (kwb_window_has_project (window));

  for (guint i = 0; i < G_N_ELEMENTS (mapped); i++)
    {
      widget = kwb_test_require_widget (window, mapped[i]);
      if (!gtk_widget_get_mapped (widget))
        g_error ("“%s” is in the window but not on screen", mapped[i]);
    }

  /* The left dock: Breakpoints shown first, then Modules, Frames and Recordings as tabs. */
  dock = GTK_NOTEBOOK (kwb_test_require_widget (window, "start_dock"));
  g_assert_cmpint (gtk_notebook_get_n_pages (dock), ==, 4);
  g_assert_true (gtk_notebook_get_nth_page (dock, gtk_notebook_get_current_page (dock)) ==
                 GTK_WIDGET (kwb_window_get_breakpoints_page (window)));
  g_assert_cmpint (kwb_window_get_panel_dock (window, "breakpoints"), ==, KWB_DOCK_START);
  g_assert_cmpint (kwb_window_get_panel_dock (window, "modules"), ==, KWB_DOCK_START);
  g_assert_cmpint (kwb_window_get_panel_dock (window, "frames"), ==, KWB_DOCK_START);
  g_assert_cmpint (kwb_window_get_panel_dock (window, "recordings"), ==, KWB_DOCK_START);
  g_assert_cmpint (kwb_window_get_panel_dock (window, "console"), ==, KWB_DOCK_BOTTOM);
  /* Going backwards and the timeline belong to a replay only. */
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (window, "reverse_controls")));
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (kwb_test_require_widget (window, "replay_bar"))));
  g_assert_true (gtk_widget_get_mapped (kwb_test_find_by_label (window, "Breakpoints")));
  g_assert_true (ADW_IS_STATUS_PAGE (kwb_test_require_widget (window, "modules_page")));
  g_assert_true (gtk_widget_get_mapped (kwb_test_find_by_label (window, "Modules")));

  /* Empty states say what to do next. */
  page = ADW_STATUS_PAGE (kwb_test_require_widget (window, "breakpoints_page"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "F9"));
  page = ADW_STATUS_PAGE (kwb_test_require_widget (window, "source_status"));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Project Open");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "kernel-workbench PROJECT_DIR"));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "kwb init PROJECT_DIR"));
  widget = kwb_test_require_widget (window, "console_description");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (widget)), "console appears here"));

  widget = kwb_test_require_widget (window, "status_label");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (widget)), ==, "No session");

  /* Run controls: named shortcut, bound key, insensitive without a session. */
  for (guint i = 0; i < G_N_ELEMENTS (run_controls); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                   run_controls[i].action);

      widget = kwb_test_require_widget (window, run_controls[i].button);
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), ==,
                       run_controls[i].action);
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (widget), run_controls[i].key_in_tooltip));
      g_assert_cmpuint (g_strv_length (accels), >=, 1); /* Pause also pauses */
      g_assert_cmpstr (accels[0], ==, run_controls[i].accel);
    }
  assert_run_controls_sensitive (window, FALSE);

  {
    g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.shortcuts");
    g_auto(GStrv) quit = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");

    g_assert_cmpstr (accels[0], ==, "<Control>question");
    g_assert_cmpstr (quit[0], ==, "<Control>q");
  }

  /* Follows the system's dark/light preference. */
  g_assert_cmpint (adw_style_manager_get_color_scheme (adw_style_manager_get_default ()), ==,
                   ADW_COLOR_SCHEME_DEFAULT);
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==, DEVELOPMENT_BUILD);

  kwb_test_save_screenshot (GTK_WIDGET (window), "main-window.png");
}

static void
test_window_structure (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_structure, NULL);
}

/* With a session the run controls come alive, and go again without. */
static void
check_run_controls (KwbApplication *app,
                    KwbWindow      *window,
                    gpointer        data)
{
  assert_run_controls_sensitive (window, FALSE);
  kwb_window_set_session_active (window, TRUE);
  assert_run_controls_sensitive (window, TRUE);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (window, "status_label"))), !=,
                   "No session");
  kwb_test_save_screenshot (GTK_WIDGET (window), "main-window-session.png");
  kwb_window_set_session_active (window, FALSE);
  assert_run_controls_sensitive (window, FALSE);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (window, "status_label"))), ==,
                   "No session");
}

static void
test_window_run_controls (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_run_controls, NULL);
}

/* The dark style keeps everything readable: look at this one too. */
static void
check_dark_style (KwbApplication *app,
                  KwbWindow      *window,
                  gpointer        data)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (GTK_WIDGET (window), "main-window-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_window_dark_style (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_dark_style, NULL);
}

static void
check_shortcuts_window (KwbApplication *app,
                        KwbWindow      *window,
                        gpointer        data)
{
  GtkWindow *shortcuts;

  g_assert_null (kwb_test_find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW));
  kwb_test_activate_app_action (G_APPLICATION (app), "shortcuts", NULL);

  shortcuts = kwb_test_wait_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, "the shortcuts window");
  g_assert_true (gtk_window_get_transient_for (shortcuts) == GTK_WINDOW (window));
  g_assert_true (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)) ==
                 GTK_SHORTCUTS_WINDOW (shortcuts));
  kwb_test_save_screenshot (GTK_WIDGET (shortcuts), "shortcuts-window.png");
}

static void
test_shortcuts_window (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_shortcuts_window, NULL);
}

static void
check_about_window (KwbApplication *app,
                    KwbWindow      *window,
                    gpointer        data)
{
  AdwAboutWindow *about;

  kwb_test_activate_app_action (G_APPLICATION (app), "about", NULL);

  about = kwb_test_wait_toplevel (ADW_TYPE_ABOUT_WINDOW, "the about window");
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Kernel Workbench");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  /* Found before the app is installed too (it is in our resources). */
  g_assert_true (gtk_icon_theme_has_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (about))),
                                          APP_ID));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  kwb_test_save_screenshot (GTK_WIDGET (about), "about-window.png");
}

static void
test_about_window (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_about_window, NULL);
}

static gboolean
has_width_900 (gpointer data)
{
  return gdk_surface_get_width (gtk_native_get_surface (data)) == 900;
}

static void
check_restored_size (KwbApplication *app,
                     KwbWindow      *window,
                     gpointer        data)
{
  GtkPaned *paned = GTK_PANED (kwb_test_require_widget (window, "main_paned"));
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  /* The surface, which includes the client-side decoration's resize borders,
   * is what the default size sizes (and what the desktop shows). */
  kwb_test_wait_until (has_width_900, window, "the window to be 900 pixels wide");
  g_assert_cmpint (gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window))), ==, 640);
  g_assert_cmpint (gtk_paned_get_position (paned), ==, 320);

  /* As if the user resized: this is what closing must save. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_paned_set_position (paned, 350);
}

static void
test_window_state (void)
{
  g_autoptr(GSettings) settings = NULL;

  KWB_TEST_IN_SUBPROCESS ();

  settings = g_settings_new (APP_BASE_ID);
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);
  g_settings_set_int (settings, "sidebar-width", 320);

  kwb_test_run_app_with_window (NULL, check_restored_size, NULL);

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_cmpint (g_settings_get_int (settings, "sidebar-width"), ==, 350);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

/* ---- the docks ---- */

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
check_docks (KwbApplication *app,
             KwbWindow      *window,
             gpointer        data)
{
  g_autofree char *path = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "app", "gui", "kwb-window.c", NULL);
  KwbSourceView *view;
  GtkWidget *start_dock = kwb_test_require_widget (window, "start_dock");
  GtkWidget *console_area = kwb_test_require_widget (window, "console_area");
  KwbWindow *second;
  int columns, wider;

  /* 1280x800, the source open, the console visible: at least 100 columns. */
  kwb_test_wait_window_width (GTK_WIDGET (window), 1280);
  view = kwb_window_open_source (window, path);
  g_assert_nonnull (view);
  /* The docks are sized once their paneds know their own size. */
  kwb_test_wait_widget_size (GTK_WIDGET (window), "bottom_dock", GTK_ORIENTATION_VERTICAL, 220);
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (console_area));
  g_assert_true (gtk_widget_get_mapped (start_dock));
  columns = kwb_test_source_columns (view);
  g_test_message ("the source view shows %d columns at 1280x800", columns);
  g_assert_cmpint (columns, >=, 100);
  /* That is with every kernel view's panel in a dock, the log among them. */
  {
    g_auto(GStrv) panels = kwb_window_list_kernel_panels (window);

    g_assert_true (g_strv_contains ((const char * const *) panels, "log"));
    for (guint i = 0; panels[i] != NULL; i++)
      g_assert_cmpint (kwb_window_get_panel_dock (window, panels[i]), >=, 0);
  }
  kwb_test_save_screenshot (GTK_WIDGET (window), "layout-1280x800.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (GTK_WIDGET (window), "layout-1280x800-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Ctrl+F9's action hides the left dock, the source takes the room; and back. */
  kwb_test_activate_action (window, "win.show-start-dock", NULL);
  kwb_test_wait_until (widget_unmapped, start_dock, "the left dock hidden");
  g_assert_false (kwb_window_get_dock_shown (window, KWB_DOCK_START));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  wider = kwb_test_source_columns (view);
  g_assert_cmpint (wider, >, columns);
  kwb_test_activate_action (window, "win.show-start-dock", NULL);
  kwb_test_wait_until (widget_mapped, start_dock, "the left dock shown again");
  g_assert_true (kwb_window_get_dock_shown (window, KWB_DOCK_START));

  /* The left dock's menu moves the tab in front (Breakpoints) to the others. */
  {
    GtkWidget *button = gtk_notebook_get_action_widget (GTK_NOTEBOOK (start_dock), GTK_PACK_END);
    GMenuModel *moves = g_menu_model_get_item_link (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)),
                                                    0, G_MENU_LINK_SECTION);
    g_autoptr(GVariant) target = NULL;
    g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new ("(ss)", "breakpoints", "end"));
    g_autofree char *action = NULL;

    g_assert_cmpint (g_menu_model_get_n_items (moves), ==, 2);
    g_assert_true (g_menu_model_get_item_attribute (moves, 0, G_MENU_ATTRIBUTE_ACTION, "s", &action));
    g_assert_cmpstr (action, ==, "win.move-panel");
    target = g_menu_model_get_item_attribute_value (moves, 0, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE ("(ss)"));
    g_assert_true (g_variant_equal (target, expected));
    g_object_unref (moves);
  }

  /* Frames moved to the right dock, which appears; the bottom dock hidden. */
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (window, "end_dock")));
  kwb_test_activate_action (window, "win.move-panel", g_variant_new ("(ss)", "frames", "end"));
  g_assert_cmpint (kwb_window_get_panel_dock (window, "frames"), ==, KWB_DOCK_END);
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (window, "end_dock")));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (kwb_window_get_frames_panel (window))));
  kwb_test_wait_widget_size (GTK_WIDGET (window), "end_dock", GTK_ORIENTATION_HORIZONTAL, 300);
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kwb_window_get_frames_panel (window))));
  kwb_test_activate_action (window, "win.show-bottom-dock", NULL);
  kwb_test_wait_until (widget_unmapped, console_area, "the bottom dock hidden");
  kwb_test_activate_action (window, "win.show-panel", g_variant_new_string ("modules"));

  /* A new window, opened once this one is closed, has the same layout. */
  g_application_hold (G_APPLICATION (app));
  gtk_window_close (GTK_WINDOW (window));
  second = kwb_window_new (app);
  g_application_release (G_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (second));
  kwb_test_wait_widget_size (GTK_WIDGET (second), "end_dock", GTK_ORIENTATION_HORIZONTAL, 300);
  kwb_test_wait_for_draw (GTK_WIDGET (second));
  g_assert_cmpint (kwb_window_get_panel_dock (second, "frames"), ==, KWB_DOCK_END);
  g_assert_cmpint (kwb_window_get_panel_dock (second, "breakpoints"), ==, KWB_DOCK_START);
  g_assert_cmpint (kwb_window_get_panel_dock (second, "console"), ==, KWB_DOCK_BOTTOM);
  g_assert_true (kwb_window_get_dock_shown (second, KWB_DOCK_START));
  g_assert_false (kwb_window_get_dock_shown (second, KWB_DOCK_BOTTOM));
  g_assert_false (gtk_widget_get_mapped (kwb_test_require_widget (second, "console_area")));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (second, "modules_sidebar")));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (second, "frames_panel")));
  kwb_test_save_screenshot (GTK_WIDGET (second), "layout-restored.png");
}

static void
test_window_docks (void)
{
  g_autoptr(GSettings) settings = NULL;
  g_auto(GStrv) end = NULL;

  KWB_TEST_IN_SUBPROCESS ();

  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window (NULL, check_docks, NULL);
  settings = g_settings_new (APP_BASE_ID);

  end = g_settings_get_strv (settings, "end-dock-panels");
  g_assert_cmpuint (g_strv_length (end), ==, 1);
  g_assert_cmpstr (end[0], ==, "frames");
  g_assert_false (g_settings_get_boolean (settings, "bottom-dock-visible"));
  g_assert_true (g_settings_get_boolean (settings, "start-dock-visible"));
}

static char *
make_project_dir (const char *name,
                  const char *ini)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-gui-XXXXXX", &error);
  char *dir;

  g_assert_no_error (error);
  dir = g_build_filename (tmp, name, NULL);
  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  if (ini != NULL)
    {
      g_autofree char *file = g_build_filename (dir, "kernel-workbench.ini", NULL);

      g_file_set_contents (file, ini, -1, &error);
      g_assert_no_error (error);
    }
  return dir;
}

static void
check_project_open (KwbApplication *app,
                    KwbWindow      *window,
                    gpointer        data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (kwb_test_require_widget (window, "source_status"));

  g_assert_true (kwb_window_has_project (window));
  g_assert_cmpstr (kwb_project_get_directory (kwb_window_get_project (window)), ==, data);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Demo Kernel");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "No Source Open");
  g_assert_true (g_str_has_suffix (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (
                   adw_header_bar_get_title_widget (ADW_HEADER_BAR (kwb_test_require_widget (window, "header_bar"))))),
                   "/demo & <kernel>"));
  kwb_test_save_screenshot (GTK_WIDGET (window), "project-window.png");
}

static void
test_project_open (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  /* “&” and “<” in the folder: nothing that shows it may parse it as markup. */
  dir = make_project_dir ("demo & <kernel>", "[project]\nversion=1\nname=Demo Kernel\n");
  /* Written by hand, so trusted the way a user would trust it (test-gui-trust
   * covers the question itself). */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KwbProject) project = kwb_project_load (dir, &error);

    g_assert_no_error (error);
    g_assert_true (kwb_project_trust_grant (project, &error));
    g_assert_no_error (error);
  }
  kwb_test_run_app_with_window ((const char *[]) { dir, NULL }, check_project_open, dir);
}

static void
check_project_malformed (KwbApplication *app,
                         KwbWindow      *window,
                         gpointer        data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (kwb_test_require_widget (window, "source_status"));
  const char *description = adw_status_page_get_description (page);

  g_assert_false (kwb_window_has_project (window));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Kernel Workbench");
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Could Not Open the Project");
  /* The file and line, with the folder's “&” and “<” escaped for markup. */
  g_assert_nonnull (strstr (description, "bad &amp; &lt;project&gt;/kernel-workbench.ini:1"));
  kwb_test_save_screenshot (GTK_WIDGET (window), "project-error.png");
}

static void
test_project_malformed (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  dir = make_project_dir ("bad & <project>", "[project\nversion=1\n");
  kwb_test_run_app_with_window ((const char *[]) { dir, NULL }, check_project_malformed, NULL);
}

static void
check_project_missing (KwbApplication *app,
                       KwbWindow      *window,
                       gpointer        data)
{
  AdwStatusPage *page = ADW_STATUS_PAGE (kwb_test_require_widget (window, "source_status"));

  g_assert_false (kwb_window_has_project (window));
  g_assert_cmpstr (adw_status_page_get_title (page), ==, "Could Not Open the Project");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "kwb init"));
}

static void
test_project_missing (void)
{
  g_autofree char *dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  dir = make_project_dir ("empty", NULL);
  kwb_test_run_app_with_window ((const char *[]) { dir, NULL }, check_project_missing, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/gui/window/structure", test_window_structure);
  g_test_add_func ("/gui/window/run-controls", test_window_run_controls);
  g_test_add_func ("/gui/window/dark-style", test_window_dark_style);
  g_test_add_func ("/gui/window/state", test_window_state);
  g_test_add_func ("/gui/window/docks", test_window_docks);
  g_test_add_func ("/gui/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/gui/about-window", test_about_window);
  g_test_add_func ("/gui/project/open", test_project_open);
  g_test_add_func ("/gui/project/malformed", test_project_malformed);
  g_test_add_func ("/gui/project/missing", test_project_missing);

  return g_test_run ();
}
