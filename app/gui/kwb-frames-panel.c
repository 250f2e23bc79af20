/* kwb-frames-panel.c — backtrace, locals and registers of the stopped guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backtrace is the session's frames model as it is; locals and registers
 * are asked of the session for the selected frame on every stop and frame
 * change (only while the guest is stopped: asking a running target would
 * pause it), and come back as typed objects. The locals are shown in the
 * watch tree (KwbWatchView over a KwbWatch of the frame's variables), so
 * they expand, walk lists and mark what changed since the previous stop as
 * the Watch panel does; the same frame's function keeps its tree from stop
 * to stop. Another task's stack (the tasks view's) can take the backtrace's
 * place under a title until the next stop; GDB knows nothing of those
 * frames, so they are not selected in GDB and the locals and registers stay
 * the stopped CPU's.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-frames-panel.h"
#include "kwb-watch-view.h"

struct _KwbFramesPanel
{
  GtkWidget         parent_instance;

  KwbSession       *session;
  GCancellable     *cancellable;
  GtkSingleSelection *selection;
  guint             selected_level;
  guint             generation;      /* drops answers for an older stop */
  GListModel       *shown_frames;    /* another task's, or NULL for GDB's */

  GtkStack         *stack;
  GtkWidget        *stack_bar;
  GtkLabel         *stack_title;
  GtkListView      *backtrace;
  GtkTextView      *locals;
  KwbWatchView     *locals_tree;
  KwbWatch         *locals_watch;
  char             *locals_key;      /* the function and names locals_watch holds */
  GtkTextView      *registers;
};

G_DEFINE_FINAL_TYPE (KwbFramesPanel, kwb_frames_panel, GTK_TYPE_WIDGET)

enum {
  FRAME_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_text (GtkTextView *view,
          const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static char *
dup_text (GtkTextView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_iter_get_text (&start, &end);
}

char *kwb_frames_panel_dup_locals_text (KwbFramesPanel *self) { return dup_text (self->locals); }
char *kwb_frames_panel_dup_registers_text (KwbFramesPanel *self) { return dup_text (self->registers); }
guint kwb_frames_panel_get_selected_level (KwbFramesPanel *self) { return self->selected_level; }

void
kwb_frames_panel_show_page (KwbFramesPanel *self,
                            const char     *name)
{
  gtk_stack_set_visible_child_name (self->stack, name);
}

static gboolean
can_ask (KwbFramesPanel *self)
{
  return self->session != NULL && kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED;
}

/* The locals' variable objects go with their tree. */
static void
clear_locals_watch (KwbFramesPanel *self)
{
  if (self->locals_watch == NULL)
    return;
  if (kwb_session_get_state (kwb_watch_get_session (self->locals_watch)) == KWB_SESSION_STATE_STOPPED)
    kwb_watch_clear (self->locals_watch);
  g_clear_object (&self->locals_watch);
  g_clear_pointer (&self->locals_key, g_free);
}

/* ---- answers for the current stop only ---- */

typedef struct {
  KwbFramesPanel *self;
  guint           generation;
} Request;

static Request *
request_new (KwbFramesPanel *self)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->generation = self->generation;
  return request;
}

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

/* ---- locals ---- */

static void
locals_refresh_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* A value GDB cannot read says so in its row. */
  kwb_watch_refresh_finish (KWB_WATCH (object), result, &error);
}

/* VARIABLES (NULL: none could be read) into the tree; the text view shows
 * instead when there is nothing to expand. */
static void
show_locals_tree (KwbFramesPanel *self,
                  GListModel     *variables)
{
  guint n = variables ? g_list_model_get_n_items (variables) : 0;
  g_autoptr(KwbFrame) frame = g_list_model_get_item (kwb_session_get_frames (self->session), self->selected_level);
  g_autoptr(GString) key = g_string_new (frame ? kwb_frame_get_function (frame) : NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->locals), n == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->locals_tree), n > 0);
  if (n == 0)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbVariable) v = g_list_model_get_item (variables, i);

      g_string_append_printf (key, "\n%s", kwb_variable_get_name (v));
    }
  /* The same function's locals keep their tree, so changes since the
   * previous stop show; another frame gets a tree of its own. */
  if (self->locals_watch == NULL || kwb_watch_get_session (self->locals_watch) != self->session ||
      g_strcmp0 (self->locals_key, key->str) != 0)
    {
      g_autoptr(KwbWatch) watch = kwb_watch_new (self->session);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(KwbVariable) v = g_list_model_get_item (variables, i);

          kwb_watch_add (watch, kwb_variable_get_name (v));
        }
      clear_locals_watch (self);
      self->locals_watch = g_steal_pointer (&watch);
      g_free (self->locals_key);
      self->locals_key = g_string_free (g_steal_pointer (&key), FALSE);
    }
  kwb_watch_view_set_model (self->locals_tree, self->locals_watch);
  kwb_watch_refresh_async (self->locals_watch, self->cancellable, locals_refresh_cb, NULL);
}

static void
locals_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  KwbFramesPanel *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) variables = kwb_session_list_variables_finish (KWB_SESSION (object), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (request->generation != self->generation)
    return;
  if (variables == NULL)
    {
      set_text (self->locals, error->message);
      show_locals_tree (self, NULL);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (variables); i++)
    {
      g_autoptr(KwbVariable) v = g_list_model_get_item (variables, i);
      const char *value = kwb_variable_get_value (v);
      const char *type = kwb_variable_get_type_name (v);

      g_string_append_printf (text, "%s%s = %s\n", kwb_variable_get_name (v),
                              kwb_variable_get_is_argument (v) ? _(" (argument)") : "",
                              value ? value : type ? type : "…");
    }
  if (text->len == 0)
    g_string_append (text, _("No local variables in this frame."));
  set_text (self->locals, text->str);
  show_locals_tree (self, variables);
}

/* ---- registers ---- */

static void
registers_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  KwbFramesPanel *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) registers = kwb_session_list_registers_finish (KWB_SESSION (object), result, &error);
  g_autoptr(GString) text = g_string_new (NULL);

  if (request->generation != self->generation)
    return;
  if (registers == NULL)
    {
      set_text (self->registers, error->message);
      return;
    }
  for (guint i = 0; i < g_list_model_get_n_items (registers); i++)
    {
      g_autoptr(KwbRegister) reg = g_list_model_get_item (registers, i);

      g_string_append_printf (text, "%-8s %s\n", kwb_register_get_name (reg), kwb_register_get_value (reg));
    }
  set_text (self->registers, text->str);
}

static void
refresh_frame_data (KwbFramesPanel *self)
{
  if (!can_ask (self))
    return;
  kwb_session_list_variables_async (self->session, self->cancellable, locals_cb, request_new (self));
  /* The registers worth a glance are the guest architecture's. */
  kwb_session_list_registers_async (self->session,
                                    kwb_session_config_get_arch (kwb_session_get_config (self->session))->registers,
                                    self->cancellable,
                                    registers_cb, request_new (self));
}

static void
select_frame_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_select_frame_finish (KWB_SESSION (object), result, &error))
    {
      if (request->generation == request->self->generation)
        set_text (request->self->locals, error->message);
      return;
    }
  if (request->generation == request->self->generation)
    refresh_frame_data (request->self);
}

void
kwb_frames_panel_select_frame (KwbFramesPanel *self,
                               guint           level)
{
  g_autoptr(KwbFrame) frame = NULL;

  g_return_if_fail (KWB_IS_FRAMES_PANEL (self));

  if (self->shown_frames != NULL)
    {
      if ((frame = g_list_model_get_item (self->shown_frames, level)) == NULL)
        return;
      gtk_single_selection_set_selected (self->selection, level);
      g_signal_emit (self, signals[FRAME_ACTIVATED], 0, frame);
      return;
    }
  if (self->session == NULL)
    return;
  frame = g_list_model_get_item (kwb_session_get_frames (self->session), level);
  if (frame == NULL)
    return;
  self->selected_level = level;
  self->generation++;
  gtk_single_selection_set_selected (self->selection, level);
  if (can_ask (self))
    kwb_session_select_frame_async (self->session, level, self->cancellable, select_frame_cb, request_new (self));
  g_signal_emit (self, signals[FRAME_ACTIVATED], 0, frame);
}

/* ---- backtrace rows ---- */

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *where = gtk_label_new (NULL);

  gtk_widget_set_name (box, "frame_row");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_START);
  /* Long paths must not widen the panel: it is a side panel. */
  gtk_label_set_max_width_chars (GTK_LABEL (title), 20);
  gtk_label_set_max_width_chars (GTK_LABEL (where), 20);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), where);
  gtk_list_item_set_child (item, box);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkLabel *title = GTK_LABEL (gtk_widget_get_first_child (box));
  GtkLabel *where = GTK_LABEL (gtk_widget_get_last_child (box));
  KwbFrame *frame = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;
  g_autofree char *location = NULL;
  g_autofree char *name = kwb_frame_dup_display_name (frame);
  const char *file = kwb_frame_get_file (frame);

  text = g_strdup_printf ("#%u  %s", kwb_frame_get_level (frame), name);
  if (file != NULL && kwb_frame_get_line (frame) > 0)
    location = g_strdup_printf ("%s:%u", file, kwb_frame_get_line (frame));
  else
    location = g_strdup_printf ("0x%016" G_GINT64_MODIFIER "x", kwb_frame_get_address (frame));
  gtk_label_set_label (title, text);
  gtk_label_set_label (where, location);
}

static void
on_activate (GtkListView    *list_view,
             guint           position,
             KwbFramesPanel *self)
{
  kwb_frames_panel_select_frame (self, position);
}

/* ---- another task's stack ---- */

void
kwb_frames_panel_show_frames (KwbFramesPanel *self,
                              const char     *title,
                              GListModel     *frames)
{
  g_return_if_fail (KWB_IS_FRAMES_PANEL (self));
  g_return_if_fail (G_IS_LIST_MODEL (frames));

  g_set_object (&self->shown_frames, frames);
  gtk_single_selection_set_model (self->selection, frames);
  gtk_label_set_label (self->stack_title, title);
  gtk_widget_set_visible (self->stack_bar, TRUE);
  gtk_stack_set_visible_child_name (self->stack, "backtrace");
}

void
kwb_frames_panel_show_stopped_frames (KwbFramesPanel *self)
{
  g_return_if_fail (KWB_IS_FRAMES_PANEL (self));

  if (self->shown_frames == NULL)
    return;
  g_clear_object (&self->shown_frames);
  gtk_widget_set_visible (self->stack_bar, FALSE);
  gtk_single_selection_set_model (self->selection, self->session ? kwb_session_get_frames (self->session) : NULL);
  gtk_single_selection_set_selected (self->selection, self->selected_level);
}

const char *
kwb_frames_panel_get_frames_title (KwbFramesPanel *self)
{
  g_return_val_if_fail (KWB_IS_FRAMES_PANEL (self), NULL);
  return self->shown_frames ? gtk_label_get_label (self->stack_title) : NULL;
}

/* ---- session ---- */

static void
on_stopped (KwbSession     *session,
            KwbGdbStop     *stop,
            KwbFramesPanel *self)
{
  self->selected_level = 0;
  self->generation++;
  kwb_frames_panel_show_stopped_frames (self);
  refresh_frame_data (self);
}

static void
on_state_changed (KwbSession      *session,
                  KwbSessionState  old_state,
                  KwbSessionState  new_state,
                  KwbFramesPanel  *self)
{
  if (new_state != KWB_SESSION_STATE_STOPPED)
    {
      /* Old values would mislead while the guest runs. */
      self->generation++;
      kwb_watch_view_set_model (self->locals_tree, NULL);
      set_text (self->locals, "");
      set_text (self->registers, "");
    }
}

void
kwb_frames_panel_set_session (KwbFramesPanel *self,
                              KwbSession     *session)
{
  g_return_if_fail (KWB_IS_FRAMES_PANEL (self));

  if (self->session == session)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  clear_locals_watch (self);
  kwb_watch_view_set_model (self->locals_tree, NULL);
  g_set_object (&self->session, session);
  g_clear_object (&self->shown_frames);
  gtk_widget_set_visible (self->stack_bar, FALSE);
  self->generation++;
  set_text (self->locals, "");
  set_text (self->registers, "");
  gtk_single_selection_set_model (self->selection, session ? kwb_session_get_frames (session) : NULL);
  if (session != NULL)
    {
      self->cancellable = g_cancellable_new ();
      g_signal_connect_object (session, "stopped", G_CALLBACK (on_stopped), self, 0);
      g_signal_connect_object (session, "state-changed", G_CALLBACK (on_state_changed), self, 0);
      refresh_frame_data (self);
    }
}

static void
kwb_frames_panel_dispose (GObject *object)
{
  KwbFramesPanel *self = KWB_FRAMES_PANEL (object);

  kwb_frames_panel_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_FRAMES_PANEL);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (kwb_frames_panel_parent_class)->dispose (object);
}

static void
kwb_frames_panel_class_init (KwbFramesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_frames_panel_dispose;

  signals[FRAME_ACTIVATED] =
    g_signal_new ("frame-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_FRAME);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  g_type_ensure (KWB_TYPE_WATCH_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/kwb/KernelWorkbench/kwb-frames-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, stack_bar);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, stack_title);
  gtk_widget_class_bind_template_callback (widget_class, kwb_frames_panel_show_stopped_frames);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, backtrace);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, locals);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, locals_tree);
  gtk_widget_class_bind_template_child (widget_class, KwbFramesPanel, registers);
}

static void
kwb_frames_panel_init (KwbFramesPanel *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));
  kwb_watch_view_set_editable (self->locals_tree, FALSE);

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  gtk_list_view_set_factory (self->backtrace, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->backtrace, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect (self->backtrace, "activate", G_CALLBACK (on_activate), self);
}
