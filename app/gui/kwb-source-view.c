/* kwb-source-view.c — one source file (or a disassembly) with breakpoint and stop marks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Read-only: kernel sources are the user's tree and never written. The view
 * only shows marks; what a gutter click means (toggle a breakpoint, a menu)
 * is the window's business, told through ::line-activated. The text's
 * context menu adds "Stop When Written/Read" for the selection or the
 * expression under the click, and "Hardware Breakpoint Here": they activate
 * the window's win.watch-expression and win.breakpoint-add-hardware.
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "kwb-source-view.h"

#define CATEGORY_CURRENT      "kwb-current"
#define CATEGORY_BP_ENABLED   "kwb-bp-enabled"
#define CATEGORY_BP_DISABLED  "kwb-bp-disabled"
#define CATEGORY_BP_PENDING   "kwb-bp-pending"
#define CATEGORY_BP_HIT       "kwb-bp-hit"

struct _KwbSourceView
{
  GtkWidget          parent_instance;

  char              *path;
  char              *title;
  guint              current_line;
  guint              scroll_line;   /* to redo once laid out */
  guint              scroll_idle;
  guint              scroll_tick;
  guint              scroll_tries;
  GHashTable        *bp_marks;   /* line → KwbBreakpointMark */

  GtkScrolledWindow *scroller;
  GtkSourceView     *view;
  GtkSourceBuffer   *buffer;
  GtkWidget         *popover;
};

G_DEFINE_FINAL_TYPE (KwbSourceView, kwb_source_view, GTK_TYPE_WIDGET)

enum {
  LINE_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_style_scheme (KwbSourceView *self)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

static const char *
guess_language (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);

  /* The kernel's own file kinds that GtkSourceView does not guess. */
  if (g_str_has_prefix (base, "Kconfig"))
    return NULL; /* no Kconfig language ships with GtkSourceView 5.6 */
  if (g_str_has_prefix (base, "Makefile") || g_str_has_prefix (base, "Kbuild") ||
      g_str_has_suffix (base, ".mk"))
    return "makefile";
  if (g_str_has_suffix (base, ".S") || g_str_has_suffix (base, ".s"))
    return "c"; /* preprocessed assembly: C comments and #defines highlight */
  if (g_str_has_suffix (base, ".h"))
    return "chdr";
  if (g_str_has_suffix (base, ".c"))
    return "c";
  return "";
}

static void
set_language_for (KwbSourceView *self,
                  const char    *path)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  const char *id = guess_language (path);
  GtkSourceLanguage *language = NULL;

  if (id != NULL && *id != '\0')
    language = gtk_source_language_manager_get_language (languages, id);
  else if (id != NULL)
    language = gtk_source_language_manager_guess_language (languages, path, NULL);
  gtk_source_buffer_set_language (self->buffer, language);
}

static gboolean
get_line_iter (KwbSourceView *self,
               guint          line,
               GtkTextIter   *iter)
{
  if (line == 0 || line > (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer)))
    return FALSE;
  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (self->buffer), iter, (int) line - 1);
  return TRUE;
}

static void
remove_category (KwbSourceView *self,
                 const char    *category)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_source_buffer_remove_source_marks (self->buffer, &start, &end, category);
}

/* The stop line that holds a breakpoint shows both: the hit mark. */
static void
update_hit_mark (KwbSourceView *self)
{
  GtkTextIter iter;

  remove_category (self, CATEGORY_BP_HIT);
  if (self->current_line != 0 &&
      g_hash_table_contains (self->bp_marks, GUINT_TO_POINTER (self->current_line)) &&
      get_line_iter (self, self->current_line, &iter))
    gtk_source_buffer_create_source_mark (self->buffer, NULL, CATEGORY_BP_HIT, &iter);
}

gboolean
kwb_source_view_get_hit_mark (KwbSourceView *self)
{
  g_autoptr(GSList) marks = NULL;

  g_return_val_if_fail (KWB_IS_SOURCE_VIEW (self), FALSE);
  marks = gtk_source_buffer_get_source_marks_at_line (self->buffer,
                                                       self->current_line ? (int) self->current_line - 1 : 0,
                                                       CATEGORY_BP_HIT);
  return self->current_line != 0 && marks != NULL;
}

static void
on_line_mark_activated (GtkSourceView   *view,
                        const GtkTextIter *iter,
                        guint            button,
                        GdkModifierType  state,
                        int              n_presses,
                        KwbSourceView   *self)
{
  kwb_source_view_activate_line (self, (guint) gtk_text_iter_get_line (iter) + 1, button);
}

/**
 * kwb_source_view_activate_line:
 * @line: 1-based
 * @button: 1 for a primary click (toggle), 3 for the context menu
 *
 * What a click in the gutter does; the gutter's gesture calls exactly this.
 */
void
kwb_source_view_activate_line (KwbSourceView *self,
                               guint          line,
                               guint          button)
{
  GtkTextIter iter;

  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  if (!get_line_iter (self, line, &iter))
    return;
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
  g_signal_emit (self, signals[LINE_ACTIVATED], 0, line, button);
}

void
kwb_source_view_popup_menu (KwbSourceView *self,
                            guint          line,
                            GMenuModel    *menu)
{
  GtkTextIter iter;
  GdkRectangle rect;
  int wx, wy;
  graphene_point_t point;

  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  if (!get_line_iter (self, line, &iter))
    return;
  if (self->popover != NULL)
    gtk_widget_unparent (self->popover);
  self->popover = gtk_popover_menu_new_from_model (menu);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), TRUE);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_RIGHT);

  gtk_text_view_get_iter_location (GTK_TEXT_VIEW (self->view), &iter, &rect);
  gtk_text_view_buffer_to_window_coords (GTK_TEXT_VIEW (self->view), GTK_TEXT_WINDOW_WIDGET,
                                         rect.x, rect.y, &wx, &wy);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->view), GTK_WIDGET (self),
                                 &GRAPHENE_POINT_INIT (0, wy), &point))
    point = GRAPHENE_POINT_INIT (0, 0);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover),
                               &(GdkRectangle) { 0, (int) point.y, 24, rect.height });
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
kwb_source_view_dispose (GObject *object)
{
  KwbSourceView *self = KWB_SOURCE_VIEW (object);

  g_clear_pointer (&self->popover, gtk_widget_unparent);
  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  if (self->scroll_tick != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->view), self->scroll_tick);
  self->scroll_tick = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_SOURCE_VIEW);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (kwb_source_view_parent_class)->dispose (object);
}

static void
kwb_source_view_finalize (GObject *object)
{
  KwbSourceView *self = KWB_SOURCE_VIEW (object);

  g_free (self->path);
  g_free (self->title);
  g_hash_table_unref (self->bp_marks);
  G_OBJECT_CLASS (kwb_source_view_parent_class)->finalize (object);
}

/* The identifier under ITER with the member chain before it: a click on
 * "pid" in "current->pid" gives "current->pid", one on "current" gives
 * "current". */
static char *
expression_at (GtkTextIter *iter)
{
  GtkTextIter start = *iter, end = *iter;

#define IS_IDENT(c) (g_unichar_isalnum (c) || (c) == '_')
  while (IS_IDENT (gtk_text_iter_get_char (&end)) && gtk_text_iter_forward_char (&end))
    ;
  for (;;)
    {
      GtkTextIter before = start;
      gunichar c;

      if (!gtk_text_iter_backward_char (&before))
        break;
      c = gtk_text_iter_get_char (&before);
      if (IS_IDENT (c) || c == '.')
        start = before;
      else if (c == '>')
        {
          GtkTextIter dash = before;

          if (!gtk_text_iter_backward_char (&dash) || gtk_text_iter_get_char (&dash) != '-')
            break;
          start = dash;
        }
      else
        break;
    }
#undef IS_IDENT
  /* A chain cut at a line start or operator never starts with a member. */
  while (!gtk_text_iter_equal (&start, &end) &&
         !g_unichar_isalpha (gtk_text_iter_get_char (&start)) && gtk_text_iter_get_char (&start) != '_')
    gtk_text_iter_forward_char (&start);
  if (gtk_text_iter_equal (&start, &end))
    return NULL;
  return gtk_text_iter_get_text (&start, &end);
}

/**
 * kwb_source_view_dup_watch_expression:
 *
 * What "Stop When Written" watches: the selected text if any, else the
 * expression at the cursor (a right click puts it where it clicked). NULL when there is nothing to watch there.
 */
char *
kwb_source_view_dup_watch_expression (KwbSourceView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  g_return_val_if_fail (KWB_IS_SOURCE_VIEW (self), NULL);

  buffer = GTK_TEXT_BUFFER (self->buffer);
  if (gtk_text_buffer_get_selection_bounds (buffer, &start, &end))
    text = gtk_text_iter_get_text (&start, &end);
  else
    {
      gtk_text_buffer_get_iter_at_mark (buffer, &start, gtk_text_buffer_get_insert (buffer));
      text = expression_at (&start);
    }
  if (text == NULL || *g_strstrip (text) == '\0' || strchr (text, '\n') != NULL)
    return NULL;
  return g_steal_pointer (&text);
}

static void
watch_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  KwbSourceView *self = KWB_SOURCE_VIEW (widget);
  g_autofree char *expression = kwb_source_view_dup_watch_expression (self);

  if (expression == NULL)
    return;
  gtk_widget_activate_action (widget, "win.watch-expression", "(ss)", expression,
                              g_str_equal (action_name, "source.watch-read") ? "read" : "write");
}

static void
hardware_breakpoint_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  KwbSourceView *self = KWB_SOURCE_VIEW (widget);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  GtkTextIter iter;

  if (self->path == NULL)
    return; /* disassembly: no file:line */
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_widget_activate_action (widget, "win.breakpoint-add-hardware", "u",
                              (guint32) gtk_text_iter_get_line (&iter) + 1);
}

/* A right click outside the selection moves the cursor there first, so the
 * menu's items work on what was clicked (as in gnome-text-editor). */
static void
on_secondary_pressed (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      KwbSourceView   *self)
{
  GtkTextIter iter, sel_start, sel_end;
  int bx, by;

  gtk_text_view_window_to_buffer_coords (GTK_TEXT_VIEW (self->view), GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);

  if (!gtk_text_view_get_iter_at_location (GTK_TEXT_VIEW (self->view), &iter, bx, by))
    return;
  if (gtk_text_buffer_get_selection_bounds (GTK_TEXT_BUFFER (self->buffer), &sel_start, &sel_end) &&
      gtk_text_iter_in_range (&iter, &sel_start, &sel_end))
    return;
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
}

static void
setup_context_menu (KwbSourceView *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  GtkGesture *gesture = gtk_gesture_click_new ();

  g_menu_append (section, _("Stop When _Written"), "source.watch-write");
  g_menu_append (section, _("Stop When _Read"), "source.watch-read");
  g_menu_append (section, _("_Hardware Breakpoint Here"), "source.hardware-breakpoint");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));
  gtk_text_view_set_extra_menu (GTK_TEXT_VIEW (self->view), G_MENU_MODEL (menu));

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (gesture), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (gesture), GTK_PHASE_CAPTURE);
  g_signal_connect (gesture, "pressed", G_CALLBACK (on_secondary_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->view), GTK_EVENT_CONTROLLER (gesture));
}

static void
kwb_source_view_class_init (KwbSourceViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_source_view_dispose;
  object_class->finalize = kwb_source_view_finalize;

  /**
   * KwbSourceView::line-activated:
   * @line: the 1-based line clicked in the gutter
   * @button: the mouse button
   */
  signals[LINE_ACTIVATED] =
    g_signal_new ("line-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-source-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbSourceView, scroller);
  gtk_widget_class_bind_template_child (widget_class, KwbSourceView, view);

  gtk_widget_class_install_action (widget_class, "source.watch-write", NULL, watch_action);
  gtk_widget_class_install_action (widget_class, "source.watch-read", NULL, watch_action);
  gtk_widget_class_install_action (widget_class, "source.hardware-breakpoint", NULL, hardware_breakpoint_action);
}

static void on_view_map (KwbSourceView *self);

static void
add_mark_category (KwbSourceView *self,
                   const char    *category,
                   const char    *icon,
                   const char    *background,
                   int            priority)
{
  g_autoptr(GtkSourceMarkAttributes) attributes = gtk_source_mark_attributes_new ();

  gtk_source_mark_attributes_set_icon_name (attributes, icon);
  if (background != NULL)
    {
      GdkRGBA rgba;

      gdk_rgba_parse (&rgba, background);
      gtk_source_mark_attributes_set_background (attributes, &rgba);
    }
  gtk_source_view_set_mark_attributes (self->view, category, attributes, priority);
}

static void
kwb_source_view_init (KwbSourceView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->bp_marks = g_hash_table_new (NULL, NULL);
  self->buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->view)));
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, FALSE);

  /* The stop line is tinted across the whole width, like Builder's; yellow
   * at low alpha reads on both Adwaita and Adwaita-dark. */
  add_mark_category (self, CATEGORY_CURRENT, "kwb-mark-current-line", "rgba(246,211,45,0.28)", 20);
  add_mark_category (self, CATEGORY_BP_HIT, "kwb-mark-breakpoint-hit", NULL, 30);
  add_mark_category (self, CATEGORY_BP_ENABLED, "kwb-mark-breakpoint", NULL, 10);
  add_mark_category (self, CATEGORY_BP_DISABLED, "kwb-mark-breakpoint-disabled", NULL, 10);
  add_mark_category (self, CATEGORY_BP_PENDING, "kwb-mark-breakpoint-pending", NULL, 10);

  setup_context_menu (self);
  g_signal_connect (self->view, "line-mark-activated", G_CALLBACK (on_line_mark_activated), self);
  g_signal_connect_swapped (self->view, "map", G_CALLBACK (on_view_map), self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

/* GtkSourceView applies syntax tags to the lines it draws while drawing them
 * (in its snapshot) when its idle highlighter has not reached them yet;
 * GtkTextView then measures those lines again and moves its scroll bars
 * after they were laid out for that frame, so GTK skips drawing them
 * ("Trying to snapshot GtkGizmo without a current allocation"). A window of
 * lines around the scroll target was not enough: the first frames after a
 * scroll by estimated heights can show other lines. So a file is tagged
 * whole when it is loaded, which leaves nothing to do while drawing; that
 * costs about 25 ms for init/main.c and 0.2 s for an 11 000-line file,
 * once, when the file is first opened. */
static void
highlight_all (KwbSourceView *self)
{
  GtkTextIter start, end;

  if (!gtk_source_buffer_get_highlight_syntax (self->buffer) || gtk_source_buffer_get_language (self->buffer) == NULL)
    return;
  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (self->buffer), &start, &end);
  gtk_source_buffer_ensure_highlight (self->buffer, &start, &end);
}

/**
 * kwb_source_view_new_for_file:
 * @path: a local file
 *
 * Loads the whole file at once: kernel sources are at most a few hundred
 * kilobytes, and a synchronous read keeps a stop's jump to its line in one
 * main-loop turn.
 */
KwbSourceView *
kwb_source_view_new_for_file (const char  *path,
                              GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  KwbSourceView *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (!g_utf8_validate_len (contents, length, NULL))
    {
      /* A few old files are Latin-1: show them rather than refuse them. */
      char *converted = g_convert (contents, length, "UTF-8", "ISO-8859-1", NULL, NULL, NULL);

      if (converted == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s is not a text file"), path);
          return NULL;
        }
      g_free (contents);
      contents = converted;
    }

  self = g_object_new (KWB_TYPE_SOURCE_VIEW, NULL);
  self->path = g_strdup (path);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "source.hardware-breakpoint", TRUE);
  self->title = g_path_get_basename (path);
  set_language_for (self, path);
  gtk_source_buffer_set_highlight_syntax (self->buffer, TRUE);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), contents, -1);
  highlight_all (self);
  return self;
}

/* A view of generated text (disassembly), replaced with set_text. */
KwbSourceView *
kwb_source_view_new_for_text (const char *title,
                              const char *text)
{
  KwbSourceView *self = g_object_new (KWB_TYPE_SOURCE_VIEW, NULL);

  self->title = g_strdup (title);
  /* Disassembly: no FILE:LINE to break at. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "source.hardware-breakpoint", FALSE);
  kwb_source_view_set_text (self, text);
  return self;
}

void
kwb_source_view_set_text (KwbSourceView *self,
                          const char    *text)
{
  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  remove_category (self, NULL);
  g_hash_table_remove_all (self->bp_marks);
  self->current_line = 0;
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (self->buffer), text ? text : "", -1);
}

const char *kwb_source_view_get_path (KwbSourceView *self) { return self->path; }
const char *kwb_source_view_get_title (KwbSourceView *self) { return self->title; }
GtkWidget *kwb_source_view_get_text_view (KwbSourceView *self) { return GTK_WIDGET (self->view); }

const char *
kwb_source_view_get_language_id (KwbSourceView *self)
{
  GtkSourceLanguage *language = gtk_source_buffer_get_language (self->buffer);

  return language ? gtk_source_language_get_id (language) : NULL;
}

guint
kwb_source_view_get_n_lines (KwbSourceView *self)
{
  return (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (self->buffer));
}

char *
kwb_source_view_dup_line_text (KwbSourceView *self,
                               guint          line)
{
  GtkTextIter start, end;

  if (!get_line_iter (self, line, &start))
    return NULL;
  end = start;
  if (!gtk_text_iter_ends_line (&end))
    gtk_text_iter_forward_to_line_end (&end);
  return gtk_text_iter_get_text (&start, &end);
}

static void
scroll_now (KwbSourceView *self)
{
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->view),
                                gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)),
                                0.0, TRUE, 0.0, 0.33);
}

static gboolean
rescroll_cb (gpointer data)
{
  KwbSourceView *self = data;

  self->scroll_idle = 0;
  if (self->scroll_line != 0 && self->scroll_line == kwb_source_view_get_cursor_line (self))
    scroll_now (self);
  self->scroll_line = 0;
  return G_SOURCE_REMOVE;
}

/* A view that was not on screen yet has no size to scroll in: once it is
 * laid out (after map), scroll again. */
static void
on_view_map (KwbSourceView *self)
{
  if (self->scroll_line != 0 && self->scroll_idle == 0)
    self->scroll_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, rescroll_cb, self, NULL);
}

/* GtkTextView scrolls a new buffer by estimated line heights; once the
 * lines above are measured the target may be off screen. Check on the next
 * frames and scroll again until it is there. */
static gboolean
verify_scroll_cb (GtkWidget     *widget,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  KwbSourceView *self = data;
  guint line = kwb_source_view_get_cursor_line (self);

  if (kwb_source_view_line_is_visible (self, line) || ++self->scroll_tries > 30)
    {
      self->scroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  scroll_now (self);
  return G_SOURCE_CONTINUE;
}

/* Puts LINE a third of the way down, where the eye expects the next step. */
void
kwb_source_view_scroll_to_line (KwbSourceView *self,
                                guint          line)
{
  GtkTextIter iter;

  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  if (!get_line_iter (self, line, &iter))
    return;
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (self->buffer), &iter);
  scroll_now (self);
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->view)))
    self->scroll_line = line;
  self->scroll_tries = 0;
  if (self->scroll_tick == 0)
    self->scroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->view), verify_scroll_cb, self, NULL);
}

/* LINE 0 removes the mark. */
void
kwb_source_view_set_current_line (KwbSourceView *self,
                                  guint          line)
{
  GtkTextIter iter;

  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  remove_category (self, CATEGORY_CURRENT);
  remove_category (self, CATEGORY_BP_HIT);
  self->current_line = 0;
  if (!get_line_iter (self, line, &iter))
    return;
  self->current_line = line;
  gtk_source_buffer_create_source_mark (self->buffer, NULL, CATEGORY_CURRENT, &iter);
  update_hit_mark (self);
  kwb_source_view_scroll_to_line (self, line);
}

guint kwb_source_view_get_current_line (KwbSourceView *self) { return self->current_line; }

guint
kwb_source_view_get_cursor_line (KwbSourceView *self)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (GTK_TEXT_BUFFER (self->buffer), &iter,
                                    gtk_text_buffer_get_insert (GTK_TEXT_BUFFER (self->buffer)));
  return (guint) gtk_text_iter_get_line (&iter) + 1;
}

/* Whether LINE is inside the visible part of the view (after layout). */
gboolean
kwb_source_view_line_is_visible (KwbSourceView *self,
                                 guint          line)
{
  GdkRectangle visible;
  GtkTextIter iter;
  int y, height;

  if (!get_line_iter (self, line, &iter))
    return FALSE;
  gtk_text_view_get_visible_rect (GTK_TEXT_VIEW (self->view), &visible);
  gtk_text_view_get_line_yrange (GTK_TEXT_VIEW (self->view), &iter, &y, &height);
  /* A line not laid out yet has no height (and y 0): it is not on screen,
   * whatever the view's top. */
  return visible.height > 0 && height > 0 && y >= visible.y && y + height <= visible.y + visible.height;
}

void
kwb_source_view_clear_breakpoint_marks (KwbSourceView *self)
{
  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));

  remove_category (self, CATEGORY_BP_ENABLED);
  remove_category (self, CATEGORY_BP_DISABLED);
  remove_category (self, CATEGORY_BP_PENDING);
  g_hash_table_remove_all (self->bp_marks);
  update_hit_mark (self);
}

void
kwb_source_view_add_breakpoint_mark (KwbSourceView     *self,
                                     guint              line,
                                     KwbBreakpointMark  mark)
{
  static const char * const categories[] = {
    [KWB_BREAKPOINT_MARK_ENABLED] = CATEGORY_BP_ENABLED,
    [KWB_BREAKPOINT_MARK_DISABLED] = CATEGORY_BP_DISABLED,
    [KWB_BREAKPOINT_MARK_PENDING] = CATEGORY_BP_PENDING,
  };
  KwbBreakpointMark old;
  GtkTextIter iter;

  g_return_if_fail (KWB_IS_SOURCE_VIEW (self));
  g_return_if_fail (mark > KWB_BREAKPOINT_MARK_NONE && mark <= KWB_BREAKPOINT_MARK_PENDING);

  if (!get_line_iter (self, line, &iter))
    return;
  /* Two breakpoints on one line: an enabled one wins over the others. */
  old = GPOINTER_TO_UINT (g_hash_table_lookup (self->bp_marks, GUINT_TO_POINTER (line)));
  if (old == KWB_BREAKPOINT_MARK_ENABLED || old == mark)
    return;
  if (old != KWB_BREAKPOINT_MARK_NONE)
    {
      GtkTextIter end = iter;

      gtk_text_iter_forward_to_line_end (&end);
      gtk_source_buffer_remove_source_marks (self->buffer, &iter, &end, categories[old]);
    }
  g_hash_table_insert (self->bp_marks, GUINT_TO_POINTER (line), GUINT_TO_POINTER (mark));
  gtk_source_buffer_create_source_mark (self->buffer, NULL, categories[mark], &iter);
  if (line == self->current_line)
    update_hit_mark (self);
}

KwbBreakpointMark
kwb_source_view_get_breakpoint_mark (KwbSourceView *self,
                                     guint          line)
{
  g_return_val_if_fail (KWB_IS_SOURCE_VIEW (self), KWB_BREAKPOINT_MARK_NONE);
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->bp_marks, GUINT_TO_POINTER (line)));
}
