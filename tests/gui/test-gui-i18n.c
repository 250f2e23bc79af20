/* test-gui-i18n.c — the application in Simplified Chinese, run from the build tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first users read Chinese: under a zh_CN language the uninstalled
 * application must show the catalogue built in _build/po (found by
 * kwb_i18n_init, as kernel-workbench's main() does) and draw every glyph
 * with a real font, not as boxes. Each case runs the application in a
 * subprocess, checks the labels on screen and saves a screenshot to
 * $KWB_BUILD_ROOT/tests/gui/screenshots/zh_CN-*.png for a person to look at.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-i18n.h"
#include "kwb-test-session.h"
#include "kwb-window.h"
#include "kwb-wizard.h"

/* Every label drawn in root: its text (mnemonics stripped) mapped to how
 * many of its glyphs the fonts could not draw. */
static void
collect_labels (GtkWidget  *root,
                GHashTable *labels)
{
  if (!gtk_widget_get_mapped (root))
    return;

  if (GTK_IS_LABEL (root))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (root));
      const char *text = pango_layout_get_text (layout);

      if (text != NULL && *text != '\0')
        g_hash_table_insert (labels, g_strdup (text),
                             GINT_TO_POINTER (pango_layout_get_unknown_glyphs_count (layout)));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, labels);
}

static void
dump_labels (GHashTable *labels)
{
  GHashTableIter iter;
  gpointer text;

  g_hash_table_iter_init (&iter, labels);
  while (g_hash_table_iter_next (&iter, &text, NULL))
    g_test_message ("label on screen: “%s”", (const char *) text);
}

/* expected[] are zh_CN translations copied from po/zh_CN.po, untranslated[]
 * the English source strings: the first must be on screen, the second not. */
static void
assert_chinese (GtkWidget          *root,
                const char * const *expected,
                const char * const *untranslated)
{
  g_autoptr(GHashTable) labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer text, unknown;

  collect_labels (root, labels);
  g_assert_cmpuint (g_hash_table_size (labels), >, 0);

  for (guint i = 0; expected[i] != NULL; i++)
    if (!g_hash_table_contains (labels, expected[i]))
      {
        dump_labels (labels);
        g_error ("“%s” is not on screen", expected[i]);
      }
  for (guint i = 0; untranslated[i] != NULL; i++)
    if (g_hash_table_contains (labels, untranslated[i]))
      g_error ("“%s” is shown untranslated", untranslated[i]);

  /* Pango counts a glyph no font has as unknown: drawn as a hex box. */
  g_hash_table_iter_init (&iter, labels);
  while (g_hash_table_iter_next (&iter, &text, &unknown))
    if (GPOINTER_TO_INT (unknown) != 0)
      g_error ("%d glyphs of “%s” have no font (is fonts-noto-cjk installed?)",
               GPOINTER_TO_INT (unknown), (const char *) text);
}

static void
test_catalogue_from_build_tree (void)
{
  g_autofree char *mo = g_build_filename (kwb_i18n_get_locale_dir (), "zh_CN", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);

  /* This test binary lives in the build tree, as kernel-workbench does when
   * build-aux/run starts it. */
  g_assert_true (g_str_has_prefix (kwb_i18n_get_locale_dir (), KWB_BUILD_ROOT));
  g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (_("No session"), ==, "无会话");
}

static void
check_main_window (KwbApplication *app,
                   KwbWindow      *window,
                   gpointer        data)
{
  static const char * const expected[] = { "断点", "模块", "未打开项目", "无会话", NULL };
  static const char * const english[] = { "Breakpoints", "Modules", "No Project Open", "No session", NULL };

  assert_chinese (GTK_WIDGET (window), expected, english);
  kwb_test_save_screenshot (GTK_WIDGET (window), "zh_CN-main-window.png");
}

static void
test_main_window (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_main_window, NULL);
}

/* The docks at 1280x800 with CJK tab labels: the source keeps its columns. */
static void
check_layout (KwbApplication *app,
              KwbWindow      *window,
              gpointer        data)
{
  static const char * const expected[] = { "断点", "模块", "栈帧", "控制台", NULL };
  static const char * const english[] = { "Breakpoints", "Modules", "Frames", "Console", NULL };
  g_autofree char *path = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "app", "gui", "kwb-window.c", NULL);
  KwbSourceView *view;

  kwb_test_wait_window_width (GTK_WIDGET (window), 1280);
  view = kwb_window_open_source (window, path);
  g_assert_nonnull (view);
  kwb_test_wait_widget_size (GTK_WIDGET (window), "bottom_dock", GTK_ORIENTATION_VERTICAL, 220);
  kwb_test_wait_for_draw (GTK_WIDGET (window));

  assert_chinese (GTK_WIDGET (window), expected, english);
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (window, "console_area")));
  g_assert_cmpint (kwb_test_source_columns (view), >=, 100);
  kwb_test_save_screenshot (GTK_WIDGET (window), "zh_CN-layout-1280x800.png");
}

static void
test_layout (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window (NULL, check_layout, NULL);
}

/* At a real stop, as test-gui-kernel-panels shoots it in English: the
 * layout with the console in front, then each kernel panel in front
 * with what it shows there. */
static void
check_session_layout (KwbApplication *app,
                      KwbWindow      *window,
                      gpointer        data)
{
  static const char * const expected[] = { "断点", "栈帧", "控制台", "内核日志", NULL };
  static const char * const english[] = { "Breakpoints", "Frames", "Console", "Kernel Log", NULL };
  static const char * const log_expected[] = { "内核日志", "时间", "级别", "消息", NULL };
  static const char * const log_english[] = { "Kernel Log", "Time", "Level", "Message", NULL };
  static const char * const none[] = { NULL };
  g_autoptr(KwbTestRefreshes) refreshes = NULL;
  g_auto(GStrv) panels = NULL;
  KwbSession *session;

  refreshes = kwb_test_run_to_screenshot_stop (window);
  session = kwb_window_get_session (window);
  assert_chinese (GTK_WIDGET (window), expected, english);
  kwb_test_save_screenshot (GTK_WIDGET (window), "layout-zh_CN.png");

  panels = kwb_window_list_kernel_panels (window);
  for (guint i = 0; panels[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("zh_CN-%s.png", panels[i]);
      gboolean log = g_str_equal (panels[i], "log");

      kwb_test_show_kernel_panel_content (refreshes, panels[i]);
      assert_chinese (GTK_WIDGET (window), log ? log_expected : none, log ? log_english : none);
      kwb_test_save_screenshot (GTK_WIDGET (window), name);
    }

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  kwb_test_wait_session_state (session, KWB_SESSION_STATE_EXITED);
}

static void
check_wizard (KwbApplication *app,
              KwbWindow      *window,
              gpointer        data)
{
  static const char * const expected[] = { "新建内核项目", "调试 Linux 内核", "创建项目(C)", NULL };
  static const char * const english[] = { "New Kernel Project", "Debug a Linux Kernel", "Create Project", NULL };
  KwbWizard *wizard;

  kwb_test_activate_app_action (G_APPLICATION (app), "new-project", NULL);
  wizard = kwb_test_wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  kwb_test_wait_for_draw (GTK_WIDGET (wizard));
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "welcome");

  assert_chinese (GTK_WIDGET (wizard), expected, english);
  kwb_test_save_screenshot (GTK_WIDGET (wizard), "zh_CN-wizard-welcome.png");
  gtk_window_destroy (GTK_WINDOW (wizard));
}

static void
test_wizard_first_page (void)
{
  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_run_app_with_window (NULL, check_wizard, NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* LANGUAGE picks the catalogue even under the C.UTF-8 locale the tests
   * run in, so no zh_CN locale needs generating on the machine. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  kwb_i18n_init ();
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();

  g_test_add_func ("/gui/i18n/catalogue-from-build-tree", test_catalogue_from_build_tree);
  g_test_add_func ("/gui/i18n/main-window", test_main_window);
  g_test_add_func ("/gui/i18n/wizard-first-page", test_wizard_first_page);
  g_test_add_func ("/gui/i18n/layout", test_layout);
  g_test_add_data_func ("/gui/i18n/session-layout", check_session_layout, kwb_test_on_session_project);
  return g_test_run ();
}
