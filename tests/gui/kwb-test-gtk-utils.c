/* kwb-test-gtk-utils.c — what every GUI test needs: waiting, frames, screenshots, widgets, actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting turns the main loop (g_main_context_iteration blocks in poll until
 * something happens), so the application under test keeps running while a
 * test waits; a deadline source ends a hang with a message. Screenshots are
 * taken in-process: a GtkWidgetPaintable is told to expect a new frame, the
 * widget is redrawn by GTK's own frame clock, and the paintable's render
 * node is rendered to a texture and saved as PNG. Nothing here snapshots a
 * widget outside GTK's paint phase.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "kwb-test-gtk-utils.h"

/* ---- waiting ---- */

/* Some conditions change without waking this loop (a file another thread
 * removes, a child process's output on disk): look again this often. */
#define POLL_MS 20

static gboolean
poll_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void (*give_up_hook) (void);

void
kwb_test_set_give_up_hook (void (*hook) (void))
{
  give_up_hook = hook;
}

static gboolean
deadline_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/**
 * kwb_test_wait_until_full:
 * @seconds: when to give up (a hang guard, never a timing assertion)
 * @what: says what was awaited when the wait fails
 *
 * Runs the default main context until @condition returns TRUE.
 */
void
kwb_test_wait_until_full (KwbTestCondition  condition,
                          gpointer          data,
                          guint             seconds,
                          const char       *what)
{
  gboolean expired = FALSE;
  guint deadline, poll;

  if (condition (data))
    return;
  deadline = g_timeout_add_seconds (seconds, deadline_cb, &expired);
  poll = g_timeout_add (POLL_MS, poll_cb, NULL);
  while (!condition (data))
    {
      if (expired)
        {
          if (give_up_hook != NULL)
            give_up_hook ();
          g_error ("Gave up waiting for %s after %u s", what, seconds);
        }
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (poll);
  if (!expired)
    g_source_remove (deadline);
}

void
kwb_test_wait_until (KwbTestCondition  condition,
                     gpointer          data,
                     const char       *what)
{
  kwb_test_wait_until_full (condition, data, KWB_TEST_WAIT_SECONDS, what);
}

/* A condition for a gboolean set by a callback. */
gboolean
kwb_test_flag_set (gpointer flag)
{
  return *(gboolean *) flag;
}

/* ---- frames and screenshots ---- */

static void
contents_invalidated (GdkPaintable *paintable,
                      gpointer      data)
{
  *(gboolean *) data = TRUE;
}

/* Asks GTK to draw @widget again and waits until it has: the frame clock has
 * run its layout phase (everything queued before is allocated) and its paint
 * phase snapshotted @widget. Returns the paintable, holding that snapshot. */
static GdkPaintable *
redraw (GtkWidget  *widget,
        const char *what)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);
  gboolean drawn = FALSE;
  gulong id;

  if (!gtk_widget_get_mapped (widget))
    g_error ("%s %s is not on screen: nothing to wait for", G_OBJECT_TYPE_NAME (widget),
             gtk_widget_get_name (widget));
  id = g_signal_connect (paintable, "invalidate-contents", G_CALLBACK (contents_invalidated), &drawn);
  gtk_widget_queue_draw (widget);
  kwb_test_wait_until (kwb_test_flag_set, &drawn, what);
  g_signal_handler_disconnect (paintable, id);
  return paintable;
}

/**
 * kwb_test_wait_for_draw:
 *
 * Waits for a frame in which @widget was laid out and drawn: what the test
 * changed before is on screen.
 */
void
kwb_test_wait_for_draw (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = redraw (widget, "the widget to be drawn");
}

/**
 * kwb_test_save_screenshot:
 * @name: a file name, saved under $KWB_BUILD_ROOT/tests/gui/screenshots/
 *
 * What @widget shows once what the test changed before is drawn.
 */
void
kwb_test_save_screenshot (GtkWidget  *widget,
                          const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "tests", "gui", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = redraw (widget, "the widget to be drawn for a screenshot");
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gdk_paintable_get_intrinsic_width (paintable);
  int height = gdk_paintable_get_intrinsic_height (paintable);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

/* ---- finding widgets ---- */

typedef gboolean (*MatchFunc) (GtkWidget     *widget,
                               gconstpointer  data);

static void
collect (GtkWidget     *widget,
         MatchFunc      match,
         gconstpointer  data,
         GPtrArray     *found,
         gboolean       first_only)
{
  if (match (widget, data))
    {
      g_ptr_array_add (found, widget);
      if (first_only)
        return;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL && !(first_only && found->len > 0);
       child = gtk_widget_get_next_sibling (child))
    collect (child, match, data, found, first_only);
}

static GtkWidget *
find_first (gpointer       root,
            MatchFunc      match,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (GTK_WIDGET (root), match, data, found, TRUE);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

static gboolean
match_name (GtkWidget     *widget,
            gconstpointer  name)
{
  return g_strcmp0 (gtk_widget_get_name (widget), name) == 0;
}

static gboolean
match_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
match_label (GtkWidget     *widget,
             gconstpointer  label)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  return g_strcmp0 (text, label) == 0;
}

/* The first widget under @root (itself included) whose name (the .ui id
 * that gtk_widget_set_name or a template's "name" gave it) is @name. */
GtkWidget *
kwb_test_find_widget (gpointer    root,
                      const char *name)
{
  return find_first (root, match_name, name);
}

GtkWidget *
kwb_test_require_widget (gpointer    root,
                         const char *name)
{
  GtkWidget *widget = kwb_test_find_widget (root, name);

  if (widget == NULL)
    g_error ("No widget named “%s” in %s", name, G_OBJECT_TYPE_NAME (root));
  return widget;
}

/* Returns: (transfer container): every widget named @name, in tree order */
GPtrArray *
kwb_test_find_all (gpointer    root,
                   const char *name)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (GTK_WIDGET (root), match_name, name, found, FALSE);
  return found;
}

GtkWidget *
kwb_test_find_by_type (gpointer root,
                       GType    type)
{
  return find_first (root, match_type, GSIZE_TO_POINTER (type));
}

/* A label's text, a button's label or a preferences row's title. */
GtkWidget *
kwb_test_find_by_label (gpointer    root,
                        const char *label)
{
  return find_first (root, match_label, label);
}

/* The first toplevel of @type that is on screen. */
gpointer
kwb_test_find_toplevel (GType type)
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
toplevel_shown (gpointer type)
{
  return kwb_test_find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

gpointer
kwb_test_wait_toplevel (GType       type,
                        const char *what)
{
  kwb_test_wait_until (toplevel_shown, GSIZE_TO_POINTER (type), what);
  return kwb_test_find_toplevel (type);
}

/* ---- acting ---- */

/* What a click does, on a button a user could click. */
void
kwb_test_click (GtkWidget *button)
{
  if (!gtk_widget_is_sensitive (button))
    g_error ("%s is not sensitive: a user could not click it", gtk_widget_get_name (button));
  g_signal_emit_by_name (button, "clicked");
}

/* @name as "group.action" (win.start, wizard.next), looked up from @widget
 * up, as its buttons and shortcuts find it. */
void
kwb_test_activate_action (gpointer    widget,
                          const char *name,
                          GVariant   *parameter)
{
  if (!gtk_widget_activate_action_variant (GTK_WIDGET (widget), name, parameter))
    g_error ("No action %s for %s", name, G_OBJECT_TYPE_NAME (widget));
}

/* An app.* action, by its name without the prefix; it must be enabled. */
void
kwb_test_activate_app_action (GApplication *app,
                              const char   *name,
                              GVariant     *parameter)
{
  if (!g_action_group_has_action (G_ACTION_GROUP (app), name))
    g_error ("No action app.%s", name);
  if (!g_action_group_get_action_enabled (G_ACTION_GROUP (app), name))
    g_error ("app.%s is disabled", name);
  g_action_group_activate_action (G_ACTION_GROUP (app), name, parameter);
}

/* ---- setting up ---- */

/**
 * kwb_test_gtk_init:
 *
 * GTK, libadwaita and GtkSourceView for a test process, with animations off:
 * a screenshot shows a page, not a slide between two, and no scroll is
 * still animating when a test switches pages.
 */
void
kwb_test_gtk_init (void)
{
  gtk_init ();
  adw_init ();
  gtk_source_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
}

static void
test_skipped (void)
{
  g_test_skip (g_getenv ("KWB_GUI_TEST_SKIP"));
}

/**
 * kwb_test_init:
 *
 * g_test_init(), then GTK as kwb_test_gtk_init() sets it up. Meson sets
 * KWB_GUI_TEST_SKIP when xvfb-run or dbus-run-session is missing: a GUI test
 * never opens windows on the developer's own display. Then it adds a single
 * skipped case and returns FALSE: main() returns g_test_run() at once.
 */
gboolean
kwb_test_init (int    *argc,
               char ***argv)
{
  g_test_init (argc, argv, NULL);
  if (g_getenv ("KWB_GUI_TEST_SKIP") != NULL)
    {
      g_test_add_func ("/gui/skipped", test_skipped);
      return FALSE;
    }
  kwb_test_gtk_init ();
  return TRUE;
}

/**
 * kwb_test_source_columns:
 *
 * Columns of code the source view shows: its text area's width over the
 * width of a character of its (monospace) font.
 */
int
kwb_test_source_columns (KwbSourceView *view)
{
  GtkTextView *text = GTK_TEXT_VIEW (kwb_source_view_get_text_view (view));
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (text), "0123456789");
  GdkRectangle rect;
  int ten;

  gtk_text_view_get_visible_rect (text, &rect);
  pango_layout_get_pixel_size (layout, &ten, NULL);
  g_assert_cmpint (ten, >, 0);
  return (rect.width - gtk_text_view_get_left_margin (text) - gtk_text_view_get_right_margin (text)) * 10 / ten;
}

/* The size the next window opens at, as if the last one had it. */
void
kwb_test_set_window_size (int width,
                          int height)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_BASE_ID);

  g_settings_set_int (settings, "window-width", width);
  g_settings_set_int (settings, "window-height", height);
}

typedef struct {
  GtkWidget      *widget;
  GtkOrientation  orientation;
  int             size;
} SizeWait;

static gboolean
surface_has_width (gpointer data)
{
  SizeWait *w = data;

  return gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (w->widget))) == w->size;
}

/* The surface, which includes the client-side decoration's resize borders,
 * is what the default size sizes. */
void
kwb_test_wait_window_width (GtkWidget *window,
                            int        width)
{
  SizeWait w = { window, GTK_ORIENTATION_HORIZONTAL, width };
  g_autofree char *what = g_strdup_printf ("the window to be %d pixels wide", width);

  kwb_test_wait_until (surface_has_width, &w, what);
}

static gboolean
widget_has_size (gpointer data)
{
  SizeWait *w = data;

  return (w->orientation == GTK_ORIENTATION_HORIZONTAL ? gtk_widget_get_width (w->widget)
                                                       : gtk_widget_get_height (w->widget)) == w->size;
}

/* Layout that follows an allocation (a paned's position) lands a frame later. */
void
kwb_test_wait_widget_size (GtkWidget      *root,
                           const char     *name,
                           GtkOrientation  orientation,
                           int             size)
{
  SizeWait w = { kwb_test_require_widget (root, name), orientation, size };
  g_autofree char *what = g_strdup_printf ("%s to be %d pixels %s", name, size,
                                           orientation == GTK_ORIENTATION_HORIZONTAL ? "wide" : "high");

  kwb_test_wait_until (widget_has_size, &w, what);
}

/* ---- running the application ---- */

typedef struct {
  KwbApplication *app;
  KwbTestAppFunc  body;
  gpointer        data;
  gboolean        done;
} Run;

static gboolean
run_body (gpointer data)
{
  Run *run = data;

  run->body (run->app, run->data);
  run->done = TRUE;
  /* Quit the way a user would, which also saves the window state. */
  kwb_test_activate_app_action (G_APPLICATION (run->app), "quit", NULL);
  return G_SOURCE_REMOVE;
}

/**
 * kwb_test_run_app:
 * @args: (nullable): the command line after the program name
 * @body: runs inside the application's main loop once the command line is
 *   handled; it waits for the windows it needs
 *
 * Runs a KernelWorkbench application, then quits it through app.quit.
 */
void
kwb_test_run_app (const char * const *args,
                  KwbTestAppFunc      body,
                  gpointer            data)
{
  g_autoptr(KwbApplication) app = kwb_application_new ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  Run run = { app, body, data, FALSE };

  /* The test session bus is shared by the cases: never forward to another
   * instance. */
  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  g_ptr_array_add (argv, (char *) "kernel-workbench");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_idle_add (run_body, &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), argv->len - 1, (char **) argv->pdata), ==, 0);
  g_assert_true (run.done);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
}

typedef struct {
  KwbTestWindowFunc check;
  gpointer          data;
} WindowCheck;

static void
window_body (KwbApplication *app,
             gpointer        data)
{
  WindowCheck *check = data;
  KwbWindow *window = kwb_test_wait_toplevel (KWB_TYPE_WINDOW, "the main window");

  kwb_test_wait_for_draw (GTK_WIDGET (window));
  check->check (app, window, check->data);
}

/**
 * kwb_test_run_app_with_window:
 *
 * As kwb_test_run_app(), calling @check once the main window is drawn.
 */
void
kwb_test_run_app_with_window (const char * const *args,
                              KwbTestWindowFunc   check,
                              gpointer            data)
{
  WindowCheck c = { check, data };

  kwb_test_run_app (args, window_body, &c);
}
