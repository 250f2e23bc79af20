/* kwb-timeline.c — a replay's recorded span, how far it has got, and its stops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A recorded run is replayed one guest instruction count at a time, and
 * where a replay is — and where it stopped before — is otherwise only a
 * number in GDB's output. This strip shows the recorded span, the part
 * already replayed, the snapshots a reverse step restarts from, and each
 * breakpoint stop as a mark a user can go back to: a click on a mark (or
 * Enter on the one chosen with the arrow keys) says which, and the window
 * does the going. Arbitrary points cannot be chosen: a replay can only be
 * sent somewhere GDB can stop, and a stop is what a mark records.
 */
#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "kwb-timeline.h"

/* Room for half a mark (and the knob) at 0 and at the span. */
#define PADDING        8.0
#define CONTENT_HEIGHT 32
#define MIN_WIDTH      120
#define TROUGH_HEIGHT  6.0
/* The diagonal of a mark's diamond. */
#define MARK_SIZE      12.0
/* How far from a mark's centre a pointer still means that mark. */
#define HIT_SLOP       6.0
#define KNOB_WIDTH     4.0
#define KNOB_HEIGHT    24.0
/* A snapshot's caret under the trough. */
#define CARET_WIDTH    8.0
#define CARET_HEIGHT   5.0

typedef struct {
  gint64  icount;
  char   *label;
} Mark;

struct _KwbTimeline
{
  GtkWidget  parent_instance;

  gint64     span;        /* as set; 0 = not known */
  gint64     shown_span;  /* what is drawn and notified */
  gint64     position;
  GArray    *marks;       /* of Mark, sorted by icount, unique */
  GArray    *snapshots;   /* of gint64, sorted, unique */
  int        selected;    /* the mark the arrow keys chose, or -1 */
  int        pressed;     /* the mark a primary button went down on, or -1 */
};

G_DEFINE_FINAL_TYPE (KwbTimeline, kwb_timeline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SPAN,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MARK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mark_clear (gpointer data)
{
  Mark *mark = data;

  g_clear_pointer (&mark->label, g_free);
}

static inline Mark *
mark_index (KwbTimeline *self,
            guint        index)
{
  return &g_array_index (self->marks, Mark, index);
}

/* ---- texts ---- */

/* Instruction counts run to billions: grouped digits where the locale has a
 * separator. A G_GINT64 format cannot be inside _(), hence a string. */
static char *
format_count (gint64 count)
{
  return g_strdup_printf ("%'" G_GINT64_FORMAT, count);
}

static char *
dup_mark_text (KwbTimeline *self,
               guint        index)
{
  Mark *mark = mark_index (self, index);
  g_autofree char *count = format_count (mark->icount);

  /* Translators: a breakpoint stop on the replay timeline:
   * "kwb_test_mod.c:18 — instruction 1,234,567". */
  return g_strdup_printf (_("%s — instruction %s"), mark->label, count);
}

static char *
dup_state_text (KwbTimeline *self)
{
  g_autofree char *total = format_count (self->shown_span);

  if (self->position >= 0)
    {
      g_autofree char *position = format_count (self->position);

      /* Translators: where a replay of a recorded run is, in guest
       * instructions: "Replayed: instruction 1,234 of 5,678,901". */
      return g_strdup_printf (_("Replayed: instruction %s of %s"), position, total);
    }
  /* Translators: the length of a recorded run, in guest instructions:
   * "Recorded: 5,678,901 instructions". */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Recorded: %s instruction", "Recorded: %s instructions",
                                       (gulong) MIN (self->shown_span, G_MAXLONG)),
                          total);
}

/* ---- state ---- */

static void
update_accessible (KwbTimeline *self)
{
  g_autofree char *text = self->selected >= 0 ? dup_mark_text (self, self->selected) : dup_state_text (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, (double) self->shown_span,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, (double) MAX (self->position, 0),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);
}

static void
update_actions (KwbTimeline *self)
{
  gboolean any = self->marks->len > 0;

  /* Disabled actions let the arrow keys move the focus on instead. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.next-mark", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.previous-mark", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.first-mark", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.last-mark", any);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "timeline.activate-mark", self->selected >= 0);
}

static gint64
effective_span (KwbTimeline *self)
{
  gint64 span;

  if (self->span > 0)
    return self->span;
  span = MAX (self->position, 0);
  if (self->marks->len > 0)
    span = MAX (span, mark_index (self, self->marks->len - 1)->icount);
  if (self->snapshots->len > 0)
    span = MAX (span, g_array_index (self->snapshots, gint64, self->snapshots->len - 1));
  return span;
}

/* Everything drawn follows from the state: one place brings the rest along. */
static void
changed (KwbTimeline *self)
{
  gint64 span = effective_span (self);

  if (span != self->shown_span)
    {
      self->shown_span = span;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPAN]);
    }
  update_actions (self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
select_mark (KwbTimeline *self,
             int          index)
{
  if (self->selected == index)
    return;
  self->selected = index;
  changed (self);
}

/* ---- geometry ---- */

static double
x_for (KwbTimeline *self,
       gint64       icount)
{
  double usable = MAX (gtk_widget_get_width (GTK_WIDGET (self)) - 2 * PADDING, 0);
  double fraction = self->shown_span > 0 ? CLAMP ((double) icount / (double) self->shown_span, 0.0, 1.0) : 0.0;

  /* Whole pixels keep the knob and the marks sharp. Rounded by hand: the
   * GUI library does not link libm for round(). */
  return PADDING + (double) (gint64) (fraction * usable + 0.5);
}

static double
centre_y (KwbTimeline *self)
{
  int top = (gtk_widget_get_height (GTK_WIDGET (self)) - CONTENT_HEIGHT) / 2;

  return top + 15;
}

/* ---- drawing ---- */

typedef struct {
  GdkRGBA fg;
  GdkRGBA accent;
  GdkRGBA mark;
  GdkRGBA background;
  GdkRGBA focus;
} Colors;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
lookup (GtkStyleContext *context,
        const char      *name,
        const char      *fallback_name,
        const char      *fallback,
        GdkRGBA         *rgba)
{
  if (gtk_style_context_lookup_color (context, name, rgba))
    return;
  if (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, rgba))
    return;
  gdk_rgba_parse (rgba, fallback);
}

/* libadwaita's named colours, which follow the light or dark style and the
 * high-contrast one; the fallbacks are its light values. */
static void
get_colors (KwbTimeline *self,
            Colors      *colors)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (context, &colors->fg);
  lookup (context, "accent_bg_color", NULL, "#3584e4", &colors->accent);
  lookup (context, "warning_bg_color", "warning_color", "#e5a50a", &colors->mark);
  lookup (context, "window_bg_color", NULL, "#fafafa", &colors->background);
  lookup (context, "accent_color", NULL, "#1c71d8", &colors->focus);
  colors->focus.alpha *= 0.5f;
}
G_GNUC_END_IGNORE_DEPRECATIONS

static GdkRGBA
with_alpha (const GdkRGBA *rgba,
            float          alpha)
{
  GdkRGBA result = *rgba;

  result.alpha *= alpha;
  return result;
}

static void
append_rounded (GtkSnapshot   *snapshot,
                double         x,
                double         y,
                double         width,
                double         height,
                const GdkRGBA *color)
{
  GskRoundedRect rect;
  double radius = MIN (width, height) / 2;

  if (width <= 0 || height <= 0)
    return;
  gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (x, y, width, height), radius);
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
  gtk_snapshot_pop (snapshot);
}

static void
diamond_path (cairo_t *cr,
              double   x,
              double   y,
              double   half)
{
  cairo_new_path (cr);
  cairo_move_to (cr, x, y - half);
  cairo_line_to (cr, x + half, y);
  cairo_line_to (cr, x, y + half);
  cairo_line_to (cr, x - half, y);
  cairo_close_path (cr);
}

static void
append_snapshots (KwbTimeline  *self,
                  GtkSnapshot  *snapshot,
                  const Colors *colors,
                  double        top)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  GdkRGBA color = with_alpha (&colors->fg, 0.5f);
  cairo_t *cr;

  if (self->snapshots->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, top - 1, width, CARET_HEIGHT + 2));
  gdk_cairo_set_source_rgba (cr, &color);
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      double x = x_for (self, g_array_index (self->snapshots, gint64, i));

      cairo_move_to (cr, x, top);
      cairo_line_to (cr, x + CARET_WIDTH / 2, top + CARET_HEIGHT);
      cairo_line_to (cr, x - CARET_WIDTH / 2, top + CARET_HEIGHT);
      cairo_close_path (cr);
    }
  cairo_fill (cr);
  cairo_destroy (cr);
}

/* As Adwaita outlines only what the keyboard reached, not what was clicked. */
static gboolean
focus_visible (KwbTimeline *self)
{
  return gtk_widget_has_focus (GTK_WIDGET (self)) &&
         (gtk_widget_get_state_flags (GTK_WIDGET (self)) & GTK_STATE_FLAG_FOCUS_VISIBLE) != 0;
}

/* Diamonds need antialiased diagonals whichever renderer runs: cairo. */
static void
append_marks (KwbTimeline  *self,
              GtkSnapshot  *snapshot,
              const Colors *colors,
              double        cy)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  gboolean focused = focus_visible (self);
  double half = MARK_SIZE / 2;
  cairo_t *cr;

  if (self->marks->len == 0)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, cy - half - 4, width, MARK_SIZE + 8));
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->marks->len; i++)
    {
      double x = x_for (self, mark_index (self, i)->icount);

      diamond_path (cr, x, cy, half);
      /* A rim of the window's colour keeps neighbouring marks apart. */
      gdk_cairo_set_source_rgba (cr, &colors->background);
      cairo_set_line_width (cr, 2);
      cairo_stroke_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &colors->mark);
      cairo_fill (cr);
    }
  if (focused && self->selected >= 0)
    {
      double x = x_for (self, mark_index (self, self->selected)->icount);

      diamond_path (cr, x, cy, half + 3);
      gdk_cairo_set_source_rgba (cr, &colors->focus);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }
  cairo_destroy (cr);
}

static void
kwb_timeline_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  KwbTimeline *self = KWB_TIMELINE (widget);
  int width = gtk_widget_get_width (widget);
  double cy = centre_y (self);
  double start = PADDING;
  double end = MAX (width - PADDING, start);
  double trough_top = cy - TROUGH_HEIGHT / 2;
  gboolean known = self->position >= 0;
  Colors colors;
  GdkRGBA color;

  get_colors (self, &colors);

  /* The trough runs a little past 0 and the span, under the knob's ends. */
  color = with_alpha (&colors.fg, known ? 0.15f : 0.08f);
  append_rounded (snapshot, start - TROUGH_HEIGHT / 2, trough_top,
                  end - start + TROUGH_HEIGHT, TROUGH_HEIGHT, &color);
  if (known)
    append_rounded (snapshot, start - TROUGH_HEIGHT / 2, trough_top,
                    x_for (self, self->position) - start + TROUGH_HEIGHT, TROUGH_HEIGHT, &colors.accent);

  append_snapshots (self, snapshot, &colors, cy + TROUGH_HEIGHT / 2 + 3);

  if (known)
    {
      double x = x_for (self, self->position);

      append_rounded (snapshot, x - KNOB_WIDTH / 2 - 1, cy - KNOB_HEIGHT / 2 - 1,
                      KNOB_WIDTH + 2, KNOB_HEIGHT + 2, &colors.background);
      append_rounded (snapshot, x - KNOB_WIDTH / 2, cy - KNOB_HEIGHT / 2,
                      KNOB_WIDTH, KNOB_HEIGHT, &colors.accent);
    }

  /* Over the knob: a replay is most often stopped at a mark, and the knob,
   * taller, still shows above and below it. */
  append_marks (self, snapshot, &colors, cy);

  /* Focus with no mark chosen yet: ring the trough, as Adwaita rings a scale. */
  if (focus_visible (self) && self->selected < 0)
    {
      GskRoundedRect ring;
      GdkRGBA ring_colors[4] = { colors.focus, colors.focus, colors.focus, colors.focus };

      gsk_rounded_rect_init_from_rect (&ring, &GRAPHENE_RECT_INIT (start - TROUGH_HEIGHT / 2 - 3, trough_top - 3,
                                                                   end - start + TROUGH_HEIGHT + 6,
                                                                   TROUGH_HEIGHT + 6),
                                       TROUGH_HEIGHT / 2 + 3);
      gtk_snapshot_append_border (snapshot, &ring, (float[4]) { 2, 2, 2, 2 }, ring_colors);
    }
}

static void
kwb_timeline_measure (GtkWidget      *widget,
                      GtkOrientation  orientation,
                      int             for_size,
                      int            *minimum,
                      int            *natural,
                      int            *minimum_baseline,
                      int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = MIN_WIDTH;
  else
    *minimum = *natural = CONTENT_HEIGHT;
}

static void
kwb_timeline_state_flags_changed (GtkWidget     *widget,
                                  GtkStateFlags  previous)
{
  GTK_WIDGET_CLASS (kwb_timeline_parent_class)->state_flags_changed (widget, previous);
  /* The focus ring is drawn here, not by CSS. */
  if ((previous ^ gtk_widget_get_state_flags (widget)) & (GTK_STATE_FLAG_FOCUSED | GTK_STATE_FLAG_FOCUS_VISIBLE))
    gtk_widget_queue_draw (widget);
}

static void
kwb_timeline_css_changed (GtkWidget         *widget,
                          GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (kwb_timeline_parent_class)->css_changed (widget, change);
  /* The named colours (a switch to the dark style) are not part of this
   * widget's own style, which is all GTK compares. */
  gtk_widget_queue_draw (widget);
}

static gboolean
kwb_timeline_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard_mode,
                            GtkTooltip *tooltip)
{
  KwbTimeline *self = KWB_TIMELINE (widget);
  int index = keyboard_mode ? self->selected : kwb_timeline_mark_at (self, x);
  g_autofree char *text = NULL;

  if (index >= 0)
    text = dup_mark_text (self, index);
  else if (self->shown_span > 0 || self->position >= 0)
    text = dup_state_text (self);
  else
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- input ---- */

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            KwbTimeline     *self)
{
  self->pressed = kwb_timeline_mark_at (self, x);
  if (self->pressed < 0)
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  select_mark (self, self->pressed);
}

/* As with a button, a press that slides off the mark takes nothing back. */
static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           x,
             double           y,
             KwbTimeline     *self)
{
  int pressed = self->pressed;

  self->pressed = -1;
  if (pressed >= 0 && n_press == 1 && kwb_timeline_mark_at (self, x) == pressed)
    kwb_timeline_activate_mark (self, pressed);
}

/* With no mark chosen yet, the first step goes from where the replay is. */
static int
mark_from_position (KwbTimeline *self,
                      gboolean     forward)
{
  if (forward)
    {
      for (guint i = 0; i < self->marks->len; i++)
        if (mark_index (self, i)->icount > self->position)
          return i;
      return self->marks->len - 1;
    }
  if (self->position < 0)
    return self->marks->len - 1;
  for (guint i = self->marks->len; i > 0; i--)
    if (mark_index (self, i - 1)->icount < self->position)
      return i - 1;
  return 0;
}

static void
next_mark_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KwbTimeline *self = KWB_TIMELINE (widget);

  if (self->selected < 0)
    select_mark (self, mark_from_position (self, TRUE));
  else
    select_mark (self, MIN (self->selected + 1, (int) self->marks->len - 1));
}

static void
previous_mark_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KwbTimeline *self = KWB_TIMELINE (widget);

  if (self->selected < 0)
    select_mark (self, mark_from_position (self, FALSE));
  else
    select_mark (self, MAX (self->selected - 1, 0));
}

static void
first_mark_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  select_mark (KWB_TIMELINE (widget), 0);
}

static void
last_mark_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  KwbTimeline *self = KWB_TIMELINE (widget);

  select_mark (self, (int) self->marks->len - 1);
}

static void
activate_mark_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  KwbTimeline *self = KWB_TIMELINE (widget);

  if (self->selected >= 0)
    kwb_timeline_activate_mark (self, self->selected);
}

/* ---- object ---- */

static void
kwb_timeline_finalize (GObject *object)
{
  KwbTimeline *self = KWB_TIMELINE (object);

  g_clear_pointer (&self->marks, g_array_unref);
  g_clear_pointer (&self->snapshots, g_array_unref);
  G_OBJECT_CLASS (kwb_timeline_parent_class)->finalize (object);
}

static void
kwb_timeline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KwbTimeline *self = KWB_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SPAN:
      g_value_set_int64 (value, kwb_timeline_get_span (self));
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, kwb_timeline_get_position (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_timeline_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KwbTimeline *self = KWB_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SPAN:
      kwb_timeline_set_span (self, g_value_get_int64 (value));
      break;
    case PROP_POSITION:
      kwb_timeline_set_position (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
add_binding (GtkWidgetClass *widget_class,
             guint           key,
             guint           keypad_key,
             const char     *action)
{
  gtk_widget_class_add_binding_action (widget_class, key, 0, action, NULL);
  gtk_widget_class_add_binding_action (widget_class, keypad_key, 0, action, NULL);
}

static void
kwb_timeline_class_init (KwbTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = kwb_timeline_finalize;
  object_class->get_property = kwb_timeline_get_property;
  object_class->set_property = kwb_timeline_set_property;

  widget_class->snapshot = kwb_timeline_snapshot;
  widget_class->measure = kwb_timeline_measure;
  widget_class->state_flags_changed = kwb_timeline_state_flags_changed;
  widget_class->css_changed = kwb_timeline_css_changed;
  widget_class->query_tooltip = kwb_timeline_query_tooltip;

  /* Reading it back gives the span drawn, which may be larger than the one set. */
  properties[PROP_SPAN] =
    g_param_spec_int64 ("span", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbTimeline::mark-activated:
   * @icount: where the stop was, in guest instructions
   * @label: its location, as given to kwb_timeline_add_mark()
   */
  signals[MARK_ACTIVATED] =
    g_signal_new ("mark-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "timeline.next-mark", NULL, next_mark_action);
  gtk_widget_class_install_action (widget_class, "timeline.previous-mark", NULL, previous_mark_action);
  gtk_widget_class_install_action (widget_class, "timeline.first-mark", NULL, first_mark_action);
  gtk_widget_class_install_action (widget_class, "timeline.last-mark", NULL, last_mark_action);
  gtk_widget_class_install_action (widget_class, "timeline.activate-mark", NULL, activate_mark_action);
  add_binding (widget_class, GDK_KEY_Right, GDK_KEY_KP_Right, "timeline.next-mark");
  add_binding (widget_class, GDK_KEY_Left, GDK_KEY_KP_Left, "timeline.previous-mark");
  add_binding (widget_class, GDK_KEY_Home, GDK_KEY_KP_Home, "timeline.first-mark");
  add_binding (widget_class, GDK_KEY_End, GDK_KEY_KP_End, "timeline.last-mark");
  add_binding (widget_class, GDK_KEY_Return, GDK_KEY_KP_Enter, "timeline.activate-mark");
  add_binding (widget_class, GDK_KEY_space, GDK_KEY_KP_Space, "timeline.activate-mark");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_ISO_Enter, 0, "timeline.activate-mark", NULL);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  /* Arrow keys choose among stops the way they move a slider's value. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_SLIDER);
}

static void
kwb_timeline_init (KwbTimeline *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  self->position = -1;
  self->selected = -1;
  self->pressed = -1;
  self->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  g_array_set_clear_func (self->marks, mark_clear);
  self->snapshots = g_array_new (FALSE, FALSE, sizeof (gint64));

  gtk_widget_add_css_class (GTK_WIDGET (self), "kwb-timeline");
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (on_pressed), self);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Replay timeline"),
                                  -1);
  update_actions (self);
  update_accessible (self);
}

/* ---- API ---- */

GtkWidget *
kwb_timeline_new (void)
{
  return g_object_new (KWB_TYPE_TIMELINE, NULL);
}

void
kwb_timeline_set_span (KwbTimeline *self,
                       gint64       total)
{
  g_return_if_fail (KWB_IS_TIMELINE (self));
  g_return_if_fail (total >= 0);

  if (self->span == total)
    return;
  self->span = total;
  changed (self);
}

gint64
kwb_timeline_get_span (KwbTimeline *self)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), 0);

  return self->shown_span;
}

void
kwb_timeline_set_position (KwbTimeline *self,
                           gint64       icount)
{
  g_return_if_fail (KWB_IS_TIMELINE (self));

  icount = MAX (icount, -1);
  if (self->position == icount)
    return;
  self->position = icount;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  changed (self);
}

gint64
kwb_timeline_get_position (KwbTimeline *self)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), -1);

  return self->position;
}

/* The index of the first mark at or after ICOUNT. */
static guint
mark_search (KwbTimeline *self,
             gint64       icount)
{
  guint low = 0, high = self->marks->len;

  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (mark_index (self, mid)->icount < icount)
        low = mid + 1;
      else
        high = mid;
    }
  return low;
}

void
kwb_timeline_add_mark (KwbTimeline *self,
                       gint64       icount,
                       const char  *label)
{
  guint index;
  Mark mark;

  g_return_if_fail (KWB_IS_TIMELINE (self));
  g_return_if_fail (icount >= 0);

  index = mark_search (self, icount);
  if (index < self->marks->len && mark_index (self, index)->icount == icount)
    {
      Mark *same = mark_index (self, index);

      g_free (same->label);
      same->label = g_strdup (label != NULL ? label : "");
      changed (self);
      return;
    }
  mark.icount = icount;
  mark.label = g_strdup (label != NULL ? label : "");
  g_array_insert_val (self->marks, index, mark);
  /* The chosen mark stays the same stop, wherever the new one went. */
  if (self->selected >= (int) index)
    self->selected++;
  changed (self);
}

guint
kwb_timeline_get_n_marks (KwbTimeline *self)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), 0);

  return self->marks->len;
}

gint64
kwb_timeline_get_mark (KwbTimeline *self,
                       guint        index)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), -1);
  g_return_val_if_fail (index < self->marks->len, -1);

  return mark_index (self, index)->icount;
}

const char *
kwb_timeline_get_mark_label (KwbTimeline *self,
                             guint        index)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (index < self->marks->len, NULL);

  return mark_index (self, index)->label;
}

void
kwb_timeline_add_snapshot (KwbTimeline *self,
                           gint64       icount)
{
  guint index;

  g_return_if_fail (KWB_IS_TIMELINE (self));
  g_return_if_fail (icount >= 0);

  for (index = 0; index < self->snapshots->len; index++)
    {
      gint64 here = g_array_index (self->snapshots, gint64, index);

      if (here == icount)
        return;
      if (here > icount)
        break;
    }
  g_array_insert_val (self->snapshots, index, icount);
  changed (self);
}

guint
kwb_timeline_get_n_snapshots (KwbTimeline *self)
{
  g_return_val_if_fail (KWB_IS_TIMELINE (self), 0);

  return self->snapshots->len;
}

void
kwb_timeline_clear (KwbTimeline *self)
{
  g_return_if_fail (KWB_IS_TIMELINE (self));

  g_object_freeze_notify (G_OBJECT (self));
  g_array_set_size (self->marks, 0);
  g_array_set_size (self->snapshots, 0);
  self->span = 0;
  self->selected = -1;
  self->pressed = -1;
  kwb_timeline_set_position (self, -1);
  changed (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
kwb_timeline_activate_mark (KwbTimeline *self,
                            guint        index)
{
  Mark *mark;

  g_return_if_fail (KWB_IS_TIMELINE (self));
  g_return_if_fail (index < self->marks->len);

  select_mark (self, index);
  mark = mark_index (self, index);
  g_signal_emit (self, signals[MARK_ACTIVATED], 0, mark->icount, mark->label);
}

int
kwb_timeline_mark_at (KwbTimeline *self,
                      double       x)
{
  double best = HIT_SLOP + 0.5;
  int found = -1;

  g_return_val_if_fail (KWB_IS_TIMELINE (self), -1);

  for (guint i = 0; i < self->marks->len; i++)
    {
      double distance = fabs (x_for (self, mark_index (self, i)->icount) - x);

      if (distance < best)
        {
          best = distance;
          found = i;
        }
    }
  return found;
}
