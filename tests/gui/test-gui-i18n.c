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

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-application.h"
#include "kwb-i18n.h"
#include "kwb-window.h"
#include "kwb-wizard.h"

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Counts loop iterations, not time; a 10 ms tick keeps the loop turning. */
static void
wait_until (gboolean  (*cond) (gpointer),
            gpointer    data,
            const char *what)
{
  guint tick = g_timeout_add (10, tick_cb, NULL);

  for (guint i = 0; !cond (data); i++)
    {
      if (i > 3000)
        g_error ("Gave up waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
frame_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static gboolean
enough_frames (gpointer data)
{
  return *(guint *) data >= 3;
}

static void
wait_for_frames (GtkWidget *widget)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, frame_cb, &frames, NULL);

  wait_until (enough_frames, &frames, "the window to draw");
  gtk_widget_remove_tick_callback (widget, id);
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "tests", "gui",
                                           "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width, height;

  wait_for_frames (widget);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type) && gtk_widget_get_mapped (GTK_WIDGET (item)))
        return item;
    }
  return NULL;
}

static gboolean
toplevel_shown (gpointer data)
{
  return find_toplevel (GPOINTER_TO_SIZE (data)) != NULL;
}

static gpointer
wait_toplevel (GType       type,
               const char *what)
{
  wait_until (toplevel_shown, GSIZE_TO_POINTER (type), what);
  wait_for_frames (find_toplevel (type));
  return find_toplevel (type);
}

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

typedef void (*CheckFunc) (KwbApplication *app);

static void
activate_cb (GApplication *app,
             gpointer      data)
{
  CheckFunc check = data;

  check (KWB_APPLICATION (app));
  g_application_quit (app);
}

static void
run_app (CheckFunc check)
{
  g_autoptr(KwbApplication) app = kwb_application_new ();
  char *argv[] = { (char *) "kernel-workbench", NULL };

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  /* Connected after the application's own handler, which opens the window. */
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), check);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
}

#define RUN_IN_SUBPROCESS()                                                   \
  G_STMT_START {                                                              \
    if (!g_test_subprocess ())                                                \
      {                                                                       \
        g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);   \
        g_test_trap_assert_passed ();                                         \
        return;                                                               \
      }                                                                       \
  } G_STMT_END

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
check_main_window (KwbApplication *app)
{
  static const char * const expected[] = { "断点", "模块", "未打开项目", "无会话", NULL };
  static const char * const english[] = { "Breakpoints", "Modules", "No Project Open", "No session", NULL };
  KwbWindow *window = wait_toplevel (KWB_TYPE_WINDOW, "the main window");

  assert_chinese (GTK_WIDGET (window), expected, english);
  save_screenshot (GTK_WIDGET (window), "zh_CN-main-window.png");
}

static void
test_main_window (void)
{
  RUN_IN_SUBPROCESS ();
  run_app (check_main_window);
}

static void
check_wizard (KwbApplication *app)
{
  static const char * const expected[] = { "新建内核项目", "调试 Linux 内核", "创建项目(C)", NULL };
  static const char * const english[] = { "New Kernel Project", "Debug a Linux Kernel", "Create Project", NULL };
  KwbWizard *wizard;

  wait_toplevel (KWB_TYPE_WINDOW, "the main window");
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-project", NULL);
  wizard = wait_toplevel (KWB_TYPE_WIZARD, "the wizard");
  g_assert_cmpstr (kwb_wizard_get_page (wizard), ==, "welcome");

  assert_chinese (GTK_WIDGET (wizard), expected, english);
  save_screenshot (GTK_WIDGET (wizard), "zh_CN-wizard-welcome.png");
  gtk_window_destroy (GTK_WINDOW (wizard));
}

static void
test_wizard_first_page (void)
{
  RUN_IN_SUBPROCESS ();
  run_app (check_wizard);
}

static void
test_skip (void)
{
  g_test_skip (g_getenv ("KWB_GUI_TEST_SKIP"));
}

int
main (int   argc,
      char *argv[])
{
  /* LANGUAGE picks the catalogue even under the C.UTF-8 locale the tests
   * run in, so no zh_CN locale needs generating on the machine. */
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  kwb_i18n_init ();
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("KWB_GUI_TEST_SKIP") != NULL)
    {
      g_test_add_func ("/gui/i18n/skipped", test_skip);
      return g_test_run ();
    }

  g_test_add_func ("/gui/i18n/catalogue-from-build-tree", test_catalogue_from_build_tree);
  g_test_add_func ("/gui/i18n/main-window", test_main_window);
  g_test_add_func ("/gui/i18n/wizard-first-page", test_wizard_first_page);
  return g_test_run ();
}
