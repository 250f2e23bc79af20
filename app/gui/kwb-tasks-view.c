/* kwb-tasks-view.c — every task of the stopped guest kernel as a table, like ps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PID, TGID, CPU, state and command columns over the window's KwbTaskList,
 * in the kernel's own order; the current task of each CPU stands out in
 * the accent colour and bold, so a glance says what each CPU was doing at
 * the stop. Selecting a task puts its kernel stack in the frames panel
 * (unwound by the core model from its saved context): the stopped CPU's
 * current task gets GDB's own backtrace back, a task running on another
 * CPU says why it has none. The search filters by command name or PID as
 * typed. The view never talks to the session: the model's owner refreshes
 * it at each stop and the view follows the model's changes.
 * ::stack-shown (the task) tells tests the frames panel got its answer.
 */
#include "config.h"


#include <glib/gi18n.h>

#include "kwb-tasks-view.h"

struct _KwbTasksView
{
  GtkWidget           parent_instance;

  KwbFramesPanel     *frames_panel;  /* weak: the window owns both */
  KwbTaskList        *tasks;
  GCancellable       *cancellable;   /* the stack asked for last */

  GtkSearchEntry     *search;
  GtkLabel           *summary;
  GtkColumnView      *table;
  GtkStringFilter    *filter;
  GtkFilterListModel *filtered;
  GtkSingleSelection *selection;
  guint               scroll_id;     /* tick callback scrolling to scroll_to */
  guint               scroll_to;
  guint               scroll_frames;
};

G_DEFINE_FINAL_TYPE (KwbTasksView, kwb_tasks_view, GTK_TYPE_WIDGET)

enum {
  STACK_SHOWN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the search looks in: the PID and the command name. */
static char *
search_text (KwbTask  *task,
             gpointer  user_data)
{
  return g_strdup_printf ("%d %s", kwb_task_get_pid (task), kwb_task_get_comm (task));
}

/* ---- cells ---- */

typedef enum { COLUMN_PID, COLUMN_TGID, COLUMN_CPU, COLUMN_STATE, COLUMN_COMM } Column;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  /* Numbers right-aligned, as ps prints them. */
  gtk_label_set_xalign (GTK_LABEL (label), column <= COLUMN_CPU ? 1.0 : 0.0);
  if (column <= COLUMN_CPU)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  KwbTask *task = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COLUMN_PID: text = g_strdup_printf ("%d", kwb_task_get_pid (task)); break;
    case COLUMN_TGID: text = g_strdup_printf ("%d", kwb_task_get_tgid (task)); break;
    case COLUMN_CPU: text = g_strdup_printf ("%u", kwb_task_get_cpu (task)); break;
    case COLUMN_STATE:
      text = g_strdup_printf ("%c  %s", kwb_task_get_state (task), kwb_task_get_state_name (task));
      break;
    case COLUMN_COMM:
    default:
      /* Kernel threads in brackets, as ps shows a task without a command line. */
      text = kwb_task_get_kernel_thread (task) ? g_strdup_printf ("[%s]", kwb_task_get_comm (task))
                                               : g_strdup (kwb_task_get_comm (task));
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  /* Bold as well as coloured: colour alone does not say it to everyone. */
  if (kwb_task_get_is_current (task))
    {
      gtk_widget_add_css_class (label, "accent");
      gtk_widget_add_css_class (label, "heading");
    }
  else
    {
      gtk_widget_remove_css_class (label, "accent");
      gtk_widget_remove_css_class (label, "heading");
    }
}

static void
add_column (KwbTasksView *self,
            const char   *title,
            Column        column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (column));
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, column == COLUMN_COMM);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->table, col);
}

/* ---- a task's stack ---- */

typedef struct {
  KwbTasksView *self;
  KwbTask      *task;
} StackRequest;

static void
stack_request_free (StackRequest *request)
{
  g_object_unref (request->self);
  g_object_unref (request->task);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StackRequest, stack_request_free)

static void
frames_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(StackRequest) request = user_data;
  KwbTasksView *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) frames = kwb_task_list_list_frames_finish (KWB_TASK_LIST (object), result, &error);
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->frames_panel == NULL)
    return;
  name = kwb_task_dup_display_name (request->task);
  if (frames != NULL)
    /* Translators: over the frames of a task that is not the stopped CPU's, e.g. "Stack of sh (42)". */
    title = g_strdup_printf (_("Stack of %s"), name);
  else
    {
      frames = G_LIST_MODEL (g_list_store_new (KWB_TYPE_FRAME));
      title = g_strdup (error->message);
    }
  kwb_frames_panel_show_frames (self->frames_panel, title, frames);
  g_signal_emit (self, signals[STACK_SHOWN], 0, request->task);
}

static void
show_stack (KwbTasksView *self,
            KwbTask      *task)
{
  StackRequest *request;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->frames_panel == NULL || self->tasks == NULL)
    return;
  /* The stopped CPU's own task: GDB's backtrace, with locals and registers. */
  if (kwb_task_get_is_current (task) &&
      (gint) kwb_task_get_cpu (task) == kwb_task_list_get_stopped_cpu (self->tasks))
    {
      kwb_frames_panel_show_stopped_frames (self->frames_panel);
      g_signal_emit (self, signals[STACK_SHOWN], 0, task);
      return;
    }
  self->cancellable = g_cancellable_new ();
  request = g_new0 (StackRequest, 1);
  request->self = g_object_ref (self);
  request->task = g_object_ref (task);
  kwb_task_list_list_frames_async (self->tasks, task, self->cancellable, frames_cb, request);
}

static void
on_selected (GtkSingleSelection *selection,
             GParamSpec         *pspec,
             KwbTasksView       *self)
{
  KwbTask *task = gtk_single_selection_get_selected_item (selection);

  if (task != NULL)
    show_stack (self, task);
}

/* ---- following the model ---- */

static void
update_summary (KwbTasksView *self)
{
  guint n = self->tasks ? g_list_model_get_n_items (G_LIST_MODEL (self->tasks)) : 0;
  guint n_cpus = self->tasks ? kwb_task_list_get_n_cpus (self->tasks) : 0;
  g_autofree char *tasks = NULL;
  g_autofree char *text = NULL;

  if (self->tasks == NULL)
    {
      gtk_label_set_text (self->summary, "");
      return;
    }
  tasks = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u task", "%u tasks", n), n);
  /* Translators: "%s" is "12 tasks"; then the number of CPUs the kernel has online. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s on %u CPU", "%s on %u CPUs", n_cpus), tasks, n_cpus);
  gtk_label_set_text (self->summary, text);
}

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  KwbTasksView *self)
{
  update_summary (self);
}

void
kwb_tasks_view_set_task_list (KwbTasksView *self,
                              KwbTaskList  *tasks)
{
  g_return_if_fail (KWB_IS_TASKS_VIEW (self));
  g_return_if_fail (tasks == NULL || KWB_IS_TASK_LIST (tasks));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->tasks != NULL)
    g_signal_handlers_disconnect_by_data (self->tasks, self);
  g_set_object (&self->tasks, tasks);
  if (tasks != NULL)
    g_signal_connect_object (tasks, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  gtk_filter_list_model_set_model (self->filtered, G_LIST_MODEL (tasks));
  update_summary (self);
}

static void
on_search_changed (GtkSearchEntry *entry,
                   KwbTasksView   *self)
{
  gtk_string_filter_set_search (self->filter, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

void
kwb_tasks_view_set_search (KwbTasksView *self,
                           const char   *text)
{
  g_return_if_fail (KWB_IS_TASKS_VIEW (self));

  /* At once: the entry reports a change only after its typing delay. */
  gtk_string_filter_set_search (self->filter, text);
  gtk_editable_set_text (GTK_EDITABLE (self->search), text ? text : "");
}

guint
kwb_tasks_view_get_n_shown (KwbTasksView *self)
{
  g_return_val_if_fail (KWB_IS_TASKS_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): its list view scrolls, and
 * warns ("failed to scroll") when asked in the frame its rows change, before
 * it has laid them out. So: a frame later, and only while on screen. */
static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  KwbTasksView *self = user_data;

  if (!gtk_widget_get_mapped (widget) || self->scroll_to >= g_list_model_get_n_items (G_LIST_MODEL (self->filtered)))
    {
      self->scroll_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (++self->scroll_frames < 2)
    return G_SOURCE_CONTINUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", self->scroll_to);
  self->scroll_id = 0;
  return G_SOURCE_REMOVE;
}

gboolean
kwb_tasks_view_select_pid (KwbTasksView *self,
                           gint          pid)
{
  guint n;

  g_return_val_if_fail (KWB_IS_TASKS_VIEW (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (self->filtered), i);

      if (kwb_task_get_pid (task) != pid)
        continue;
      gtk_single_selection_set_selected (self->selection, i);
      self->scroll_to = i;
      self->scroll_frames = 0;
      if (self->scroll_id == 0)
        self->scroll_id = gtk_widget_add_tick_callback (GTK_WIDGET (self->table), scroll_tick, self, NULL);
      return TRUE;
    }
  return FALSE;
}

GtkWidget *
kwb_tasks_view_new (KwbFramesPanel *frames_panel)
{
  KwbTasksView *self;

  g_return_val_if_fail (frames_panel == NULL || KWB_IS_FRAMES_PANEL (frames_panel), NULL);

  self = g_object_new (KWB_TYPE_TASKS_VIEW, NULL);
  g_set_weak_pointer (&self->frames_panel, frames_panel);
  return GTK_WIDGET (self);
}

/* ---- GObject ---- */

static void
kwb_tasks_view_dispose (GObject *object)
{
  KwbTasksView *self = KWB_TASKS_VIEW (object);
  GtkWidget *child;

  kwb_tasks_view_set_task_list (self, NULL);
  g_clear_weak_pointer (&self->frames_panel);
  if (self->scroll_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->table), self->scroll_id);
  self->scroll_id = 0;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  G_OBJECT_CLASS (kwb_tasks_view_parent_class)->dispose (object);
}

static void
kwb_tasks_view_class_init (KwbTasksViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_tasks_view_dispose;

  /**
   * KwbTasksView::stack-shown:
   * @task: the selected task
   *
   * The frames panel shows what there is of @task's stack: its frames, the
   * stopped CPU's backtrace, or why there is none.
   */
  signals[STACK_SHOWN] =
    g_signal_new ("stack-shown", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, KWB_TYPE_TASK);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kwb_tasks_view_init (KwbTasksView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search), "tasks_search");
  g_object_set (self->search, "placeholder-text", _("Search by command or PID"), NULL);
  g_signal_connect (self->search, "search-changed", G_CALLBACK (on_search_changed), self);
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->summary), "tasks_summary");
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "dim-label");
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary), TRUE);
  gtk_label_set_xalign (self->summary, 1.0);
  gtk_widget_set_margin_start (bar, 6);
  gtk_widget_set_margin_end (bar, 6);
  gtk_widget_set_margin_top (bar, 3);
  gtk_widget_set_margin_bottom (bar, 3);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->summary));

  self->filter = gtk_string_filter_new (gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                                    G_CALLBACK (search_text), NULL, NULL));
  gtk_string_filter_set_match_mode (self->filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  /* A stack is read when a person picks a task, not at each refresh. */
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect (self->selection, "notify::selected-item", G_CALLBACK (on_selected), self);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (g_object_ref (GTK_SELECTION_MODEL (self->selection))));
  gtk_widget_set_name (GTK_WIDGET (self->table), "tasks_table");
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "data-table");
  gtk_column_view_set_show_column_separators (self->table, TRUE);
  add_column (self, _("PID"), COLUMN_PID);
  add_column (self, _("TGID"), COLUMN_TGID);
  add_column (self, _("CPU"), COLUMN_CPU);
  add_column (self, _("State"), COLUMN_STATE);
  add_column (self, _("Command"), COLUMN_COMM);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->table));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_widget_set_parent (box, GTK_WIDGET (self));
}
