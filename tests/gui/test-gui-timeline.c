/* test-gui-timeline.c — the replay timeline widget on its own: state, marks, keys, drawing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The timeline in a window of its own, fed the spans, positions and stops a
 * replay would give it (the replay itself is tests/gui/test-gui-replay).
 * What it draws is read back from its screenshot: the replayed part in the
 * accent colour, the rest not, and the marks where their stops are.
 */
#include "config.h"

#include <math.h>

#include <glib/gstdio.h>

#include "kwb-test-gtk-utils.h"
#include "kwb-timeline.h"

#define WIDTH  600
#define HEIGHT 60

typedef struct {
  guint   count;
  gint64  icount;
  char   *label;
} Activation;

static void
on_mark_activated (KwbTimeline *timeline,
                   gint64       icount,
                   const char  *label,
                   Activation  *activation)
{
  activation->count++;
  activation->icount = icount;
  g_free (activation->label);
  activation->label = g_strdup (label);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           guint      *count)
{
  (*count)++;
}

static gboolean
has_width (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0;
}

static GtkWidget *
show_timeline (GtkWidget **window_out)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = kwb_timeline_new ();

  gtk_widget_set_valign (timeline, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (timeline, 12);
  gtk_widget_set_margin_end (timeline, 12);
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  gtk_window_present (GTK_WINDOW (window));
  kwb_test_wait_until (has_width, timeline, "the timeline to be allocated");
  kwb_test_wait_for_draw (window);
  *window_out = window;
  return timeline;
}

static void
test_state (void)
{
  KwbTimeline *timeline = KWB_TIMELINE (kwb_timeline_new ());
  guint span_notified = 0, position_notified = 0;
  gint64 value = 0;

  g_object_ref_sink (timeline);
  g_signal_connect (timeline, "notify::span", G_CALLBACK (on_notify), &span_notified);
  g_signal_connect (timeline, "notify::position", G_CALLBACK (on_notify), &position_notified);

  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, 0);
  g_assert_cmpint (kwb_timeline_get_position (timeline), ==, -1);
  g_assert_cmpuint (kwb_timeline_get_n_marks (timeline), ==, 0);
  g_assert_cmpstr (gtk_widget_get_css_name (GTK_WIDGET (timeline)), ==, "timeline");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (timeline), "kwb-timeline"));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (timeline)));

  /* With no span known, the span drawn is the furthest thing seen. */
  kwb_timeline_set_position (timeline, 5000);
  g_assert_cmpint (kwb_timeline_get_position (timeline), ==, 5000);
  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, 5000);
  g_assert_cmpuint (position_notified, ==, 1);
  g_assert_cmpuint (span_notified, ==, 1);
  kwb_timeline_add_mark (timeline, 9000, "kwb_test_mod.c:18");
  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, 9000);
  g_assert_cmpuint (span_notified, ==, 2);
  kwb_timeline_add_snapshot (timeline, 12000);
  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, 12000);

  /* A known span wins, and is what the property reads back. */
  kwb_timeline_set_span (timeline, 1000000);
  g_object_get (timeline, "span", &value, NULL);
  g_assert_cmpint (value, ==, 1000000);
  g_assert_cmpuint (span_notified, ==, 4);
  kwb_timeline_set_span (timeline, 1000000);
  g_assert_cmpuint (span_notified, ==, 4);
  kwb_timeline_set_position (timeline, 5000);
  g_assert_cmpuint (position_notified, ==, 1);
  g_object_set (timeline, "position", (gint64) -1, NULL);
  g_assert_cmpint (kwb_timeline_get_position (timeline), ==, -1);
  g_assert_cmpuint (position_notified, ==, 2);

  /* Marks come back sorted; a second stop at the same count relabels. */
  kwb_timeline_add_mark (timeline, 300, "init/main.c:1000");
  kwb_timeline_add_mark (timeline, 700000, "kwb_test_mod.c:25");
  kwb_timeline_add_mark (timeline, 0, "start");
  kwb_timeline_add_mark (timeline, 300, "init/main.c:1001");
  g_assert_cmpuint (kwb_timeline_get_n_marks (timeline), ==, 4);
  g_assert_cmpint (kwb_timeline_get_mark (timeline, 0), ==, 0);
  g_assert_cmpint (kwb_timeline_get_mark (timeline, 1), ==, 300);
  g_assert_cmpint (kwb_timeline_get_mark (timeline, 2), ==, 9000);
  g_assert_cmpint (kwb_timeline_get_mark (timeline, 3), ==, 700000);
  g_assert_cmpstr (kwb_timeline_get_mark_label (timeline, 0), ==, "start");
  g_assert_cmpstr (kwb_timeline_get_mark_label (timeline, 1), ==, "init/main.c:1001");
  g_assert_cmpstr (kwb_timeline_get_mark_label (timeline, 2), ==, "kwb_test_mod.c:18");
  g_assert_cmpstr (kwb_timeline_get_mark_label (timeline, 3), ==, "kwb_test_mod.c:25");

  kwb_timeline_add_snapshot (timeline, 0);
  kwb_timeline_add_snapshot (timeline, 0);
  g_assert_cmpuint (kwb_timeline_get_n_snapshots (timeline), ==, 2);

  /* A new replay starts from nothing. */
  kwb_timeline_set_position (timeline, 42);
  position_notified = span_notified = 0;
  kwb_timeline_clear (timeline);
  g_assert_cmpuint (kwb_timeline_get_n_marks (timeline), ==, 0);
  g_assert_cmpuint (kwb_timeline_get_n_snapshots (timeline), ==, 0);
  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, 0);
  g_assert_cmpint (kwb_timeline_get_position (timeline), ==, -1);
  g_assert_cmpuint (position_notified, ==, 1);
  g_assert_cmpuint (span_notified, ==, 1);

  g_object_unref (timeline);
}

/* The columns of the widget where mark_at() finds INDEX. */
static void
hit_range (KwbTimeline *timeline,
           int          index,
           int         *first,
           int         *last)
{
  *first = *last = -1;
  for (int x = 0; x < gtk_widget_get_width (GTK_WIDGET (timeline)); x++)
    if (kwb_timeline_mark_at (timeline, x) == index)
      {
        if (*first < 0)
          *first = x;
        *last = x;
      }
}

static void
test_marks (void)
{
  GtkWidget *window;
  KwbTimeline *timeline = KWB_TIMELINE (show_timeline (&window));
  Activation activation = { 0 };
  int width = gtk_widget_get_width (GTK_WIDGET (timeline));
  int first, last, minimum, natural;

  /* A thin strip that takes the width it is given. */
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 32);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (minimum, ==, 120 + 2 * 12); /* the margins show_timeline() gave it */
  g_assert_true (gtk_widget_get_hexpand (GTK_WIDGET (timeline)));
  g_assert_cmpint (width, ==, WIDTH - 24);

  g_signal_connect (timeline, "mark-activated", G_CALLBACK (on_mark_activated), &activation);
  kwb_timeline_set_span (timeline, 1000000);
  kwb_timeline_add_mark (timeline, 0, "init");
  kwb_timeline_add_mark (timeline, 250000, "kwb_test_mod.c:18");
  kwb_timeline_add_mark (timeline, 1000000, "kwb_test_mod.c:25");

  /* Each mark is hit over a few pixels around where its count falls, the
   * ones at 0 and at the span inside the widget; between them, nothing. */
  hit_range (timeline, 1, &first, &last);
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint (last - first, >=, 6);
  g_assert_cmpint (last - first, <=, 16);
  g_assert_cmpint (ABS ((first + last) / 2 - width / 4), <=, 10);
  hit_range (timeline, 0, &first, &last);
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint ((first + last) / 2, >=, 6);
  g_assert_cmpint ((first + last) / 2, <=, 12);
  hit_range (timeline, 2, &first, &last);
  g_assert_cmpint (first, >=, 0);
  g_assert_cmpint ((first + last) / 2, <=, width - 6);
  g_assert_cmpint ((first + last) / 2, >=, width - 12);
  g_assert_cmpint (kwb_timeline_mark_at (timeline, width / 2), ==, -1);
  g_assert_cmpint (kwb_timeline_mark_at (timeline, width * 3 / 4), ==, -1);

  /* What a click on a mark does. */
  hit_range (timeline, 1, &first, &last);
  kwb_timeline_activate_mark (timeline, kwb_timeline_mark_at (timeline, (first + last) / 2));
  g_assert_cmpuint (activation.count, ==, 1);
  g_assert_cmpint (activation.icount, ==, 250000);
  g_assert_cmpstr (activation.label, ==, "kwb_test_mod.c:18");

  /* The keyboard: from the activated mark, Right, Right (stays on the
   * last), Enter; Home, Enter; End, Left, space. */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (timeline)));
  kwb_test_activate_action (timeline, "timeline.next-mark", NULL);
  kwb_test_activate_action (timeline, "timeline.next-mark", NULL);
  kwb_test_activate_action (timeline, "timeline.activate-mark", NULL);
  g_assert_cmpuint (activation.count, ==, 2);
  g_assert_cmpint (activation.icount, ==, 1000000);
  g_assert_cmpstr (activation.label, ==, "kwb_test_mod.c:25");
  kwb_test_activate_action (timeline, "timeline.first-mark", NULL);
  kwb_test_activate_action (timeline, "timeline.activate-mark", NULL);
  g_assert_cmpuint (activation.count, ==, 3);
  g_assert_cmpint (activation.icount, ==, 0);
  g_assert_cmpstr (activation.label, ==, "init");
  kwb_test_activate_action (timeline, "timeline.last-mark", NULL);
  kwb_test_activate_action (timeline, "timeline.previous-mark", NULL);
  /* A stop added before the chosen one does not change which stop it is. */
  kwb_timeline_add_mark (timeline, 100000, "kwb_test_mod.c:12");
  kwb_test_activate_action (timeline, "timeline.activate-mark", NULL);
  g_assert_cmpuint (activation.count, ==, 4);
  g_assert_cmpint (activation.icount, ==, 250000);
  g_assert_cmpstr (activation.label, ==, "kwb_test_mod.c:18");

  /* After a new replay nothing is chosen: Enter has nothing to activate. */
  kwb_timeline_clear (timeline);
  gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.next-mark", NULL);
  gtk_widget_activate_action (GTK_WIDGET (timeline), "timeline.activate-mark", NULL);
  g_assert_cmpuint (activation.count, ==, 4);

  /* With nothing chosen, the first step goes from where the replay is. */
  kwb_timeline_set_span (timeline, 1000);
  kwb_timeline_add_mark (timeline, 100, "a.c:1");
  kwb_timeline_add_mark (timeline, 500, "b.c:2");
  kwb_timeline_add_mark (timeline, 900, "c.c:3");
  kwb_timeline_set_position (timeline, 500);
  kwb_test_activate_action (timeline, "timeline.previous-mark", NULL);
  kwb_test_activate_action (timeline, "timeline.activate-mark", NULL);
  g_assert_cmpint (activation.icount, ==, 100);

  g_free (activation.label);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* ---- what is drawn ---- */

typedef struct {
  int     width;
  int     height;
  guchar *data;   /* GDK_MEMORY_DEFAULT: premultiplied BGRA on little-endian, ARGB32 */
} Pixels;

static char *
screenshot_path (const char *name)
{
  return g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "tests", "gui", "screenshots", name, NULL);
}

static void
assert_saved (const char *name)
{
  g_autofree char *path = screenshot_path (name);
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, >, 0);
}

static void
load_pixels (const char *name,
             Pixels     *pixels)
{
  g_autofree char *path = screenshot_path (name);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  assert_saved (name);
  texture = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  pixels->width = gdk_texture_get_width (texture);
  pixels->height = gdk_texture_get_height (texture);
  pixels->data = g_malloc ((gsize) pixels->width * pixels->height * 4);
  gdk_texture_download (texture, pixels->data, pixels->width * 4);
}

static void
pixel_rgb (const Pixels *pixels,
           int           x,
           int           y,
           double        rgb[3])
{
  const guint32 *p = (const guint32 *) (pixels->data + ((gsize) y * pixels->width + x) * 4);
  double alpha = ((*p >> 24) & 0xff) / 255.0;

  g_assert_cmpint (x, <, pixels->width);
  g_assert_cmpint (y, <, pixels->height);
  /* The widget draws no background of its own: the fill and the marks are
   * opaque, what shows the window through (the trough, focus rings,
   * antialiased edges) is none of the colours looked for. */
  if (alpha < 0.9)
    {
      rgb[0] = rgb[1] = rgb[2] = -1.0;
      return;
    }
  rgb[0] = ((*p >> 16) & 0xff) / 255.0 / alpha;
  rgb[1] = ((*p >> 8) & 0xff) / 255.0 / alpha;
  rgb[2] = (*p & 0xff) / 255.0 / alpha;
}

static gboolean
is_color (const Pixels  *pixels,
          int            x,
          int            y,
          const GdkRGBA *color)
{
  double rgb[3];

  pixel_rgb (pixels, x, y, rgb);
  return fabs (rgb[0] - color->red) < 0.08 && fabs (rgb[1] - color->green) < 0.08 &&
         fabs (rgb[2] - color->blue) < 0.08;
}

/* The row through the trough's middle: the middle one of those where the
 * accent colour runs furthest (the trough's rounded ends shorten the others). */
static int
trough_row (const Pixels  *pixels,
            const GdkRGBA *accent,
            int           *accent_columns)
{
  g_autofree int *counts = g_new0 (int, pixels->height);
  int best = 0, first = -1, last = -1;

  for (int y = 0; y < pixels->height; y++)
    {
      for (int x = 0; x < pixels->width; x++)
        counts[y] += is_color (pixels, x, y, accent);
      best = MAX (best, counts[y]);
    }
  *accent_columns = best;
  if (best == 0)
    return -1;
  for (int y = 0; y < pixels->height; y++)
    if (counts[y] >= best - 2)
      {
        if (first < 0)
          first = y;
        last = y;
      }
  return (first + last) / 2;
}

static void
lookup_color (GtkWidget  *widget,
              const char *name,
              GdkRGBA    *rgba)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, rgba));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* Screenshots TIMELINE as NAME and checks the replayed part is in the
 * accent colour: about position/span of the trough from its start, and
 * marks in their own colour where their stops are. */
static void
check_drawing (KwbTimeline *timeline,
               const char  *name)
{
  Pixels pixels = { 0 };
  GdkRGBA accent, mark;
  gint64 span = kwb_timeline_get_span (timeline);
  double fraction = (double) kwb_timeline_get_position (timeline) / span;
  int accent_columns, row, mark_x, first, last;

  lookup_color (GTK_WIDGET (timeline), "accent_bg_color", &accent);
  lookup_color (GTK_WIDGET (timeline), "warning_bg_color", &mark);
  kwb_test_save_screenshot (GTK_WIDGET (timeline), name);
  load_pixels (name, &pixels);
  g_assert_cmpint (pixels.width, ==, gtk_widget_get_width (GTK_WIDGET (timeline)));

  row = trough_row (&pixels, &accent, &accent_columns);
  g_assert_cmpint (row, >=, 0);
  /* The marks and the knob sit on the trough: a tolerance of a few of them. */
  g_assert_cmpfloat (fabs ((double) accent_columns / pixels.width - fraction), <, 0.06);
  g_assert_true (is_color (&pixels, pixels.width * fraction / 2, row, &accent));
  g_assert_false (is_color (&pixels, pixels.width * (1 + fraction) / 2, row, &accent));

  for (guint i = 0; i < kwb_timeline_get_n_marks (timeline); i++)
    {
      hit_range (timeline, i, &first, &last);
      mark_x = (first + last) / 2;
      if (!is_color (&pixels, mark_x, row, &mark))
        g_error ("%s: no mark drawn at x=%d for its stop at %" G_GINT64_FORMAT, name, mark_x,
                 kwb_timeline_get_mark (timeline, i));
    }
  g_free (pixels.data);
}

static void
test_drawing (void)
{
  GtkWidget *window;
  KwbTimeline *timeline = KWB_TIMELINE (show_timeline (&window));
  AdwStyleManager *style = adw_style_manager_get_default ();

  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (timeline)), >=, 28);
  kwb_timeline_set_span (timeline, 4000000);
  kwb_timeline_add_snapshot (timeline, 0);
  kwb_timeline_add_mark (timeline, 600000, "kwb_test_mod.c:18");
  kwb_timeline_add_mark (timeline, 1500000, "kwb_test_mod.c:25");
  kwb_timeline_add_mark (timeline, 3100000, "kwb_test_mod.c:31");
  kwb_timeline_set_position (timeline, 1500000);
  /* The window gave its only focusable widget the focus: no focus ring yet. */
  gtk_window_set_focus (GTK_WINDOW (window), NULL);
  kwb_test_save_screenshot (window, "timeline.png");
  assert_saved ("timeline.png");
  check_drawing (timeline, "timeline-strip.png");

  /* Keyboard focus rings the chosen mark (focus-visible: as if by Tab). */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  kwb_test_activate_action (timeline, "timeline.last-mark", NULL);
  kwb_test_save_screenshot (window, "timeline-focus.png");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_timeline_set_position (timeline, 2500000);
  kwb_test_save_screenshot (window, "timeline-dark.png");
  check_drawing (timeline, "timeline-strip-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Running: no knob and no replayed part, only the recorded span. */
  kwb_timeline_set_position (timeline, -1);
  kwb_test_save_screenshot (window, "timeline-running.png");
  {
    Pixels pixels = { 0 };
    GdkRGBA accent;
    int accent_columns;

    lookup_color (GTK_WIDGET (timeline), "accent_bg_color", &accent);
    kwb_test_save_screenshot (GTK_WIDGET (timeline), "timeline-strip-running.png");
    load_pixels ("timeline-strip-running.png", &pixels);
    trough_row (&pixels, &accent, &accent_columns);
    g_assert_cmpint (accent_columns, ==, 0);
    g_free (pixels.data);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    {
      g_test_add_func ("/gui/timeline/state", test_state);
      g_test_add_func ("/gui/timeline/marks", test_marks);
      g_test_add_func ("/gui/timeline/drawing", test_drawing);
    }
  return g_test_run ();
}
