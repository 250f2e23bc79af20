/* kwb-kernel-log-view.c — the guest kernel's printk log as a searchable table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Time, level and text columns over any GListModel of KwbLogRecord (the
 * window gives it its KwbKernelLog); the records new since the previous
 * stop stand out in the accent colour, errors and warnings in theirs, so a
 * glance after a stop shows what just happened. The search filters as
 * typed. Code locations in a message (func+0x1a/0x30 as in a call trace,
 * FILE.c:LINE as in a WARNING: the serial console's links, kwb-code-link.h)
 * are links; ::link-activated hands their text to the window, which
 * resolves them as it does the console's (kwb_console_activate_link). The
 * view never talks to the session: the model's owner refreshes it at each
 * stop, and the view follows the model's changes.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-code-link.h"
#include "kwb-kernel-log-view.h"
#include "kwb-log-record.h"

struct _KwbKernelLogView
{
  GtkWidget           parent_instance;

  GtkSearchEntry     *search;
  GtkColumnView      *table;
  GtkScrolledWindow  *scroller;

  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  char               *needle; /* casefolded; NULL shows everything */
  guint               scroll_id;    /* a tick callback of the list view */
  guint               scroll_tries;
  gboolean            scroll_on_map; /* at the end, or new records, while off screen */
  gboolean            setting_text; /* the entry echoes a search set from code */
};

G_DEFINE_FINAL_TYPE (KwbKernelLogView, kwb_kernel_log_view, GTK_TYPE_WIDGET)

enum {
  LINK_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The kernel's names for the levels (as `dmesg --level` takes them). */
static const char * const level_names[] = {
  "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
};

static gboolean
match_record (gpointer item,
              gpointer user_data)
{
  KwbKernelLogView *self = user_data;
  g_autofree char *folded = NULL;

  if (self->needle == NULL)
    return TRUE;
  folded = g_utf8_casefold (kwb_log_record_get_text (item), -1);
  return strstr (folded, self->needle) != NULL;
}

/* ---- cells ---- */

static gboolean
on_activate_link (GtkLabel         *label,
                  const char       *uri,
                  KwbKernelLogView *self)
{
  g_signal_emit (self, signals[LINK_ACTIVATED], 0, uri);
  return TRUE;
}

typedef enum { COLUMN_TIME, COLUMN_LEVEL, COLUMN_TEXT } Column;

/* What a column's factory callbacks get. */
typedef struct {
  KwbKernelLogView *view;
  Column            column;
} Cell;

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const Cell *cell = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  if (cell->column == COLUMN_TEXT)
    g_signal_connect_object (label, "activate-link", G_CALLBACK (on_activate_link), cell->view, 0);
  gtk_label_set_xalign (GTK_LABEL (label), cell->column == COLUMN_TIME ? 1.0 : 0.0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  KwbLogRecord *record = gtk_list_item_get_item (item);
  guint level = kwb_log_record_get_level (record);
  guint64 usec = kwb_log_record_get_time_ns (record) / 1000;
  g_autofree char *time = NULL;
  g_autofree char *markup = NULL;

  switch (((const Cell *) user_data)->column)
    {
    case COLUMN_TIME:
      time = g_strdup_printf ("%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT, usec / 1000000, usec % 1000000);
      gtk_label_set_text (GTK_LABEL (label), time);
      break;
    case COLUMN_LEVEL:
      gtk_label_set_text (GTK_LABEL (label), level_names[MIN (level, 7)]);
      break;
    case COLUMN_TEXT:
    default:
      markup = kwb_code_link_dup_markup (kwb_log_record_get_text (record));
      if (markup != NULL)
        gtk_label_set_markup (GTK_LABEL (label), markup);
      else
        gtk_label_set_text (GTK_LABEL (label), kwb_log_record_get_text (record));
      break;
    }

  gtk_widget_remove_css_class (label, "accent");
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "warning");
  gtk_widget_remove_css_class (label, "heading");
  if (level <= 3)
    gtk_widget_add_css_class (label, "error");
  else if (level == 4)
    gtk_widget_add_css_class (label, "warning");
  else if (kwb_log_record_get_is_new (record))
    gtk_widget_add_css_class (label, "accent");
  /* New records are also bold: colour alone does not say it to everyone. */
  if (kwb_log_record_get_is_new (record))
    gtk_widget_add_css_class (label, "heading");
}

static void
add_column (KwbKernelLogView *self,
            const char       *title,
            Column            column,
            gboolean          expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  Cell *cell = g_new0 (Cell, 1);

  /* The view outlives its columns' factories. */
  cell->view = self;
  cell->column = column;
  g_signal_connect_data (factory, "setup", G_CALLBACK (setup_cell), cell, (GClosureNotify) g_free, 0);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), cell);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->table, col);
}

/* ---- following the model ---- */

/* The list view inside the column view: its list.scroll-to-item action
 * scrolls by item, whatever the rows' estimated heights. */
static GtkWidget *
get_list_view (KwbKernelLogView *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->table));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return GTK_WIDGET (self->table);
}

/* A list view lays its rows out a frame at a time from estimated heights,
 * so one scroll to the end made before the new rows are measured stops
 * anywhere (at the top, after a refresh replaced them all). Each frame,
 * until the view is at its end or gives up, scroll again: to the last
 * item, which measures the rows there, then to the adjustment's end.
 * Off screen (another tab in front) nothing is laid out: the scroll
 * waits for the view to be mapped again. So does a view left at its end,
 * whose rows are laid out anew when it comes back (in another style, say)
 * and would otherwise stop short of the newest. */
#define SCROLL_TRIES 60

static void start_scroll (KwbKernelLogView *self);

static gboolean
is_at_end (KwbKernelLogView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_page_size (adj) > 0 &&
         gtk_adjustment_get_value (adj) >= gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj) - 1;
}

static gboolean
scroll_tick (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  KwbKernelLogView *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));

  if (!gtk_widget_get_mapped (widget))
    {
      self->scroll_on_map = TRUE;
      self->scroll_id = 0;
      return G_SOURCE_REMOVE;
    }
  if (n == 0 || ++self->scroll_tries > SCROLL_TRIES || (self->scroll_tries > 2 && is_at_end (self)))
    {
      self->scroll_id = 0;
      return G_SOURCE_REMOVE;
    }
  /* Not in the frame of the change itself: the list view lays the new
   * rows out first, and cannot scroll to one it has not. */
  if (self->scroll_tries > 1)
    gtk_widget_activate_action (widget, "list.scroll-to-item", "u", n - 1);
  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  return G_SOURCE_CONTINUE;
}

/* The newest records are at the bottom: a stop shows them. */
static void
on_items_changed (GListModel       *model,
                  guint             position,
                  guint             removed,
                  guint             added,
                  KwbKernelLogView *self)
{
  start_scroll (self);
}

static void
start_scroll (KwbKernelLogView *self)
{
  self->scroll_tries = 0;
  self->scroll_on_map = FALSE;
  if (self->scroll_id == 0)
    self->scroll_id = gtk_widget_add_tick_callback (get_list_view (self), scroll_tick, self, NULL);
}

static void
kwb_kernel_log_view_map (GtkWidget *widget)
{
  KwbKernelLogView *self = KWB_KERNEL_LOG_VIEW (widget);

  GTK_WIDGET_CLASS (kwb_kernel_log_view_parent_class)->map (widget);
  if (self->scroll_on_map)
    start_scroll (self);
}

static void
kwb_kernel_log_view_unmap (GtkWidget *widget)
{
  KwbKernelLogView *self = KWB_KERNEL_LOG_VIEW (widget);

  self->scroll_on_map = self->scroll_on_map || self->scroll_id != 0 || is_at_end (self);
  GTK_WIDGET_CLASS (kwb_kernel_log_view_parent_class)->unmap (widget);
}

static void
on_search_changed (GtkSearchEntry   *entry,
                   KwbKernelLogView *self)
{
  /* Replacing the entry's text empties it first, which it reports at once. */
  if (self->setting_text)
    return;
  kwb_kernel_log_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
}

void
kwb_kernel_log_view_set_search (KwbKernelLogView *self,
                                const char       *text)
{
  g_return_if_fail (KWB_IS_KERNEL_LOG_VIEW (self));

  g_clear_pointer (&self->needle, g_free);
  if (text != NULL && *text != '\0')
    self->needle = g_utf8_casefold (text, -1);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search)), text ? text : "") != 0)
    {
      self->setting_text = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->search), text ? text : "");
      self->setting_text = FALSE;
    }
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
kwb_kernel_log_view_set_model (KwbKernelLogView *self,
                               GListModel       *records)
{
  g_return_if_fail (KWB_IS_KERNEL_LOG_VIEW (self));
  g_return_if_fail (records == NULL || G_IS_LIST_MODEL (records));

  gtk_filter_list_model_set_model (self->filtered, records);
}

/* Returns: (transfer none) (nullable): what kwb_kernel_log_view_set_model() set */
GListModel *
kwb_kernel_log_view_get_model (KwbKernelLogView *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG_VIEW (self), NULL);
  return gtk_filter_list_model_get_model (self->filtered);
}

guint
kwb_kernel_log_view_get_n_shown (KwbKernelLogView *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_LOG_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

GtkWidget *
kwb_kernel_log_view_new (void)
{
  return g_object_new (KWB_TYPE_KERNEL_LOG_VIEW, NULL);
}

/* ---- GObject ---- */

static void
kwb_kernel_log_view_dispose (GObject *object)
{
  KwbKernelLogView *self = KWB_KERNEL_LOG_VIEW (object);

  if (self->filtered != NULL)
    gtk_filter_list_model_set_model (self->filtered, NULL);
  if (self->scroll_id != 0)
    gtk_widget_remove_tick_callback (get_list_view (self), self->scroll_id);
  self->scroll_id = 0;
  gtk_widget_dispose_template (GTK_WIDGET (self), KWB_TYPE_KERNEL_LOG_VIEW);
  /* The template's unnamed root is not unparented by dispose_template. */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->filtered);
  G_OBJECT_CLASS (kwb_kernel_log_view_parent_class)->dispose (object);
}

static void
kwb_kernel_log_view_finalize (GObject *object)
{
  KwbKernelLogView *self = KWB_KERNEL_LOG_VIEW (object);

  g_free (self->needle);
  G_OBJECT_CLASS (kwb_kernel_log_view_parent_class)->finalize (object);
}

static void
kwb_kernel_log_view_class_init (KwbKernelLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_kernel_log_view_dispose;
  object_class->finalize = kwb_kernel_log_view_finalize;
  widget_class->map = kwb_kernel_log_view_map;
  widget_class->unmap = kwb_kernel_log_view_unmap;

  /**
   * KwbKernelLogView::link-activated:
   * @text: the location as the message has it ("func+0x1a/0x30",
   *   "RIP: 0010:func+0x1a/0x30", "kernel/sched/core.c:123")
   */
  signals[LINK_ACTIVATED] =
    g_signal_new ("link-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, 
                                               "/io/github/kwb/KernelWorkbench/kwb-kernel-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, KwbKernelLogView, search);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelLogView, table);
  gtk_widget_class_bind_template_child (widget_class, KwbKernelLogView, scroller);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kwb_kernel_log_view_init (KwbKernelLogView *self)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->filter = gtk_custom_filter_new (match_record, self, NULL);
  self->filtered = gtk_filter_list_model_new (NULL, GTK_FILTER (self->filter));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_items_changed), self, 0);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));

  add_column (self, _("Time"), COLUMN_TIME, FALSE);
  add_column (self, _("Level"), COLUMN_LEVEL, FALSE);
  add_column (self, _("Message"), COLUMN_TEXT, TRUE);
}
