/* kwb-watch-view.c — the watch tree: expressions, their members, per-CPU copies, walked lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Name, Value and Type columns over a GtkTreeListModel of the session's
 * KwbWatch: a row's children are its KwbWatchValue's children, read from
 * GDB the first time the row is expanded and kept current at each stop
 * from then on. Values changed since the previous stop are in the accent
 * colour and bold. The entry adds an expression ("percpu:VAR" shows VAR on
 * every CPU). A row's context menu walks a list_head/hlist_head as a list
 * of TYPE.MEMBER, and offers "Stop When Written/Read" as the window's
 * win.watch-expression action with (expression, "write"|"read"|"access"):
 * the watchpoint itself is the window's business, and without that action
 * the items are simply insensitive. The view never refreshes at a stop by
 * itself (the window does); it reads only what the user just asked for.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-watch-view.h"

struct _KwbWatchView
{
  GtkWidget            parent_instance;

  GtkEntry            *entry;
  GtkColumnView       *table;
  GtkSingleSelection  *selection;
  GtkPopoverMenu      *menu;
  GtkPopover          *walk_popover;
  GtkEntry            *walk_entry;

  KwbWatch            *watch;
  GListStore          *no_roots;
  GPtrArray           *expressions; /* what the user added, kept across sessions */
  GCancellable        *cancellable; /* this model's calls; cancelled with it */
  KwbWatchValue       *menu_value;  /* the value the context menu is about */
  GtkTreeListRow      *menu_row;
  gboolean             refreshing;  /* an expression was added while stopped */
  gboolean             again;       /* more were added during that refresh */
  gboolean             editable;
};

G_DEFINE_FINAL_TYPE (KwbWatchView, kwb_watch_view, GTK_TYPE_WIDGET)

typedef enum { COLUMN_NAME, COLUMN_VALUE, COLUMN_TYPE } Column;

static gboolean
session_stopped (KwbWatchView *self)
{
  return self->watch != NULL &&
         kwb_session_get_state (kwb_watch_get_session (self->watch)) == KWB_SESSION_STATE_STOPPED;
}

/* Errors show in the tree itself (a row's value, a child row); a call that
 * came too late (the guest runs again, the model is gone) has nothing to say. */
static void
ignore_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == kwb_watch_expand_async)
    kwb_watch_expand_finish (KWB_WATCH (object), result, &error);
  else
    kwb_watch_walk_finish (KWB_WATCH (object), result, &error);
}

/* ---- the tree ---- */

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  if (!KWB_IS_WATCH_VALUE (item) || !kwb_watch_value_get_has_children (item))
    return NULL;
  return g_object_ref (kwb_watch_value_get_children (item));
}

static void
on_row_expanded (GtkTreeListRow *row,
                 GParamSpec     *pspec,
                 KwbWatchView   *self)
{
  g_autoptr(KwbWatchValue) value = NULL;

  if (!gtk_tree_list_row_get_expanded (row) || !session_stopped (self))
    return;
  value = gtk_tree_list_row_get_item (row);
  kwb_watch_expand_async (self->watch, value, self->cancellable, ignore_cb, NULL);
}

static void
update_label (KwbWatchValue *value,
              GParamSpec    *pspec,
              GtkLabel      *label)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (label), "kwb-watch-column"));
  GtkWidget *widget = GTK_WIDGET (label);
  gboolean changed = kwb_watch_value_get_changed (value);

  switch (column)
    {
    case COLUMN_NAME:
      gtk_label_set_text (label, kwb_watch_value_get_name (value));
      break;
    case COLUMN_VALUE:
      gtk_label_set_text (label, kwb_watch_value_get_value (value));
      gtk_widget_set_tooltip_text (widget, kwb_watch_value_get_value (value));
      /* Colour and weight both: colour alone does not say it to everyone. */
      if (changed)
        {
          gtk_widget_add_css_class (widget, "accent");
          gtk_widget_add_css_class (widget, "heading");
        }
      else
        {
          gtk_widget_remove_css_class (widget, "accent");
          gtk_widget_remove_css_class (widget, "heading");
        }
      if (kwb_watch_value_get_error (value))
        gtk_widget_add_css_class (widget, "error");
      else
        gtk_widget_remove_css_class (widget, "error");
      break;
    case COLUMN_TYPE:
    default:
      gtk_label_set_text (label, kwb_watch_value_get_type_name (value));
      break;
    }
}

static void show_context_menu (KwbWatchView *self, GtkWidget *widget, GtkListItem *item, double x, double y);

static void
on_cell_pressed (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 KwbWatchView    *self)
{
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "kwb-list-item");

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  show_context_menu (self, widget, item, x, y);
}

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            KwbWatchView             *self)
{
  Column column = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "kwb-watch-column"));
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *cell = label;
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (label), "kwb-watch-column", GUINT_TO_POINTER (column));
  if (column == COLUMN_VALUE)
    gtk_widget_add_css_class (label, "monospace");
  if (column == COLUMN_TYPE)
    gtk_widget_add_css_class (label, "dim-label");
  if (column == COLUMN_NAME)
    {
      cell = gtk_tree_expander_new ();
      gtk_tree_expander_set_child (GTK_TREE_EXPANDER (cell), label);
    }
  g_object_set_data (G_OBJECT (cell), "kwb-label", label);
  g_object_set_data (G_OBJECT (cell), "kwb-list-item", item);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (click, "pressed", G_CALLBACK (on_cell_pressed), self, 0);
  gtk_widget_add_controller (cell, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, cell);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           KwbWatchView             *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  GtkLabel *label = g_object_get_data (G_OBJECT (cell), "kwb-label");
  g_autoptr(KwbWatchValue) value = gtk_tree_list_row_get_item (row);

  if (GTK_IS_TREE_EXPANDER (cell))
    {
      gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (cell), row);
      if (g_object_get_data (G_OBJECT (row), "kwb-watch-view") == NULL)
        {
          g_object_set_data (G_OBJECT (row), "kwb-watch-view", self);
          g_signal_connect_object (row, "notify::expanded", G_CALLBACK (on_row_expanded), self, 0);
        }
    }
  update_label (value, NULL, label);
  g_signal_connect_object (value, "notify", G_CALLBACK (update_label), label, 0);
}

static void
unbind_cell (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             KwbWatchView             *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  g_autoptr(KwbWatchValue) value = row ? gtk_tree_list_row_get_item (row) : NULL;

  if (value != NULL)
    g_signal_handlers_disconnect_by_func (value, update_label, g_object_get_data (G_OBJECT (cell), "kwb-label"));
  if (GTK_IS_TREE_EXPANDER (cell))
    gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (cell), NULL);
}

static void
add_column (KwbWatchView *self,
            const char   *title,
            Column        column,
            gboolean      expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) col = NULL;

  g_object_set_data (G_OBJECT (factory), "kwb-watch-column", GUINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell), self);
  col = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (col, expand);
  gtk_column_view_column_set_resizable (col, TRUE);
  gtk_column_view_append_column (self->table, col);
}

static void
set_roots (KwbWatchView *self,
           GListModel   *roots)
{
  GtkTreeListModel *tree = gtk_tree_list_model_new (g_object_ref (roots), FALSE, FALSE,
                                                    create_children, NULL, NULL);

  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (tree));
  g_object_unref (tree);
}

/* ---- the model ---- */

static void refresh_now (KwbWatchView *self);

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KwbWatchView *self = user_data;
  g_autoptr(GError) error = NULL;

  kwb_watch_refresh_finish (KWB_WATCH (object), result, &error);
  /* Cancelled: the view or its model is gone; touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->refreshing = FALSE;
  if (self->again)
    {
      self->again = FALSE;
      refresh_now (self);
    }
}

/* Expressions typed one after the other are read by one refresh or two,
 * not one each. */
static void
refresh_now (KwbWatchView *self)
{
  if (self->refreshing)
    {
      self->again = TRUE;
      return;
    }
  if (!session_stopped (self))
    return;
  self->refreshing = TRUE;
  kwb_watch_refresh_async (self->watch, self->cancellable, refresh_cb, self);
}

void
kwb_watch_view_add_expression (KwbWatchView *self,
                               const char   *expression)
{
  g_autofree char *text = NULL;

  g_return_if_fail (KWB_IS_WATCH_VIEW (self));

  text = g_strstrip (g_strdup (expression ? expression : ""));
  if (*text == '\0')
    return;
  g_ptr_array_add (self->expressions, g_strdup (text));
  if (self->watch != NULL)
    {
      kwb_watch_add (self->watch, text);
      refresh_now (self);
    }
}

void
kwb_watch_view_set_model (KwbWatchView *self,
                          KwbWatch     *watch)
{
  g_return_if_fail (KWB_IS_WATCH_VIEW (self));
  g_return_if_fail (watch == NULL || KWB_IS_WATCH (watch));

  if (self->watch == watch)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->refreshing = self->again = FALSE;
  g_clear_object (&self->menu_value);
  g_clear_object (&self->menu_row);
  g_set_object (&self->watch, watch);
  if (watch != NULL)
    {
      g_auto(GStrv) present = kwb_watch_dup_expressions (watch);

      if (g_strv_length (present) == 0)
        for (guint i = 0; i < self->expressions->len; i++)
          kwb_watch_add (watch, g_ptr_array_index (self->expressions, i));
      set_roots (self, G_LIST_MODEL (watch));
    }
  else
    set_roots (self, G_LIST_MODEL (self->no_roots));
}

KwbWatch *
kwb_watch_view_get_model (KwbWatchView *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VIEW (self), NULL);
  return self->watch;
}

void
kwb_watch_view_set_editable (KwbWatchView *self,
                             gboolean      editable)
{
  g_return_if_fail (KWB_IS_WATCH_VIEW (self));

  self->editable = editable;
  gtk_widget_set_visible (GTK_WIDGET (self->entry), editable);
}

GListModel *
kwb_watch_view_get_rows (KwbWatchView *self)
{
  g_return_val_if_fail (KWB_IS_WATCH_VIEW (self), NULL);
  return G_LIST_MODEL (self->selection);
}

static void
on_entry_activate (GtkEntry     *entry,
                   KwbWatchView *self)
{
  kwb_watch_view_add_expression (self, gtk_editable_get_text (GTK_EDITABLE (entry)));
  gtk_editable_set_text (GTK_EDITABLE (entry), "");
}

/* ---- the context menu ---- */

static void
add_stop_item (GMenu      *section,
               const char *label,
               const char *expression,
               const char *access)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "win.watch-expression",
                                           g_variant_new ("(ss)", expression, access));
  g_menu_append_item (section, item);
}

static void
popup_menu (KwbWatchView *self,
            const char   *expression)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) list = g_menu_new ();
  g_autoptr(GMenu) stops = g_menu_new ();
  g_autoptr(GMenu) rows = g_menu_new ();
  g_autofree char *walk = kwb_watch_value_dup_walk (self->menu_value);

  if (kwb_watch_value_get_is_list_head (self->menu_value))
    g_menu_append (list, _("Walk as List of…"), "watch.walk");
  if (walk != NULL)
    g_menu_append (list, _("Show Members"), "watch.unwalk");
  if (expression != NULL)
    {
      add_stop_item (stops, _("Stop When Written"), expression, "write");
      add_stop_item (stops, _("Stop When Read"), expression, "read");
      add_stop_item (stops, _("Stop When Read or Written"), expression, "access");
    }
  if (kwb_watch_value_get_parent (self->menu_value) == NULL && self->editable)
    g_menu_append (rows, _("Remove"), "watch.remove");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (list));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (stops));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (rows));
  gtk_popover_menu_set_menu_model (self->menu, G_MENU_MODEL (menu));
  gtk_popover_popup (GTK_POPOVER (self->menu));
}

static void
expression_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KwbWatchView *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *expression = kwb_watch_dup_expression_finish (KWB_WATCH (object), result, &error);

  /* Cancelled: the view or its model is gone; touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->menu_value == NULL)
    return;
  popup_menu (self, expression);
}

static void
show_context_menu (KwbWatchView *self,
                   GtkWidget    *widget,
                   GtkListItem  *item,
                   double        x,
                   double        y)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  double vx, vy;

  if (row == NULL || self->watch == NULL)
    return;
  g_set_object (&self->menu_row, row);
  g_clear_object (&self->menu_value);
  self->menu_value = gtk_tree_list_row_get_item (row);
  if (!gtk_widget_translate_coordinates (widget, GTK_WIDGET (self), x, y, &vx, &vy))
    vx = vy = 0;
  gtk_popover_set_pointing_to (GTK_POPOVER (self->menu), &(GdkRectangle) { (int) vx, (int) vy, 1, 1 });
  gtk_popover_set_pointing_to (self->walk_popover, &(GdkRectangle) { (int) vx, (int) vy, 1, 1 });
  if (kwb_watch_value_get_kind (self->menu_value) == KWB_WATCH_VALUE_PER_CPU || !session_stopped (self))
    popup_menu (self, kwb_watch_value_get_expression (self->menu_value));
  else
    kwb_watch_dup_expression_async (self->watch, self->menu_value, self->cancellable, expression_cb, self);
}

static void
walk_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  KwbWatchView *self = KWB_WATCH_VIEW (widget);

  if (self->menu_value == NULL)
    return;
  gtk_widget_remove_css_class (GTK_WIDGET (self->walk_entry), "error");
  gtk_popover_popup (self->walk_popover);
  gtk_widget_grab_focus (GTK_WIDGET (self->walk_entry));
}

static void
walk_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GtkTreeListRow) row = user_data;
  g_autoptr(GError) error = NULL;

  /* What went wrong shows as a child row under the list head. */
  if (kwb_watch_walk_finish (KWB_WATCH (object), result, &error) || !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    gtk_tree_list_row_set_expanded (row, TRUE);
}

static void
start_walk (KwbWatchView *self,
            const char   *walk)
{
  if (self->menu_value == NULL || !session_stopped (self))
    return;
  kwb_watch_walk_async (self->watch, self->menu_value, walk, self->cancellable, walk_done_cb,
                        g_object_ref (self->menu_row));
}

static void
on_walk_activate (GtkEntry     *entry,
                  KwbWatchView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *type = NULL;
  g_autofree char *member = NULL;

  if (!kwb_watch_parse_walk (text, &type, &member, NULL))
    {
      gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
      return;
    }
  gtk_popover_popdown (self->walk_popover);
  start_walk (self, text);
}

static void
on_walk_clicked (GtkButton    *button,
                 KwbWatchView *self)
{
  on_walk_activate (self->walk_entry, self);
}

static void
unwalk_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  start_walk (KWB_WATCH_VIEW (widget), NULL);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  KwbWatchView *self = KWB_WATCH_VIEW (widget);
  guint index;

  if (self->watch == NULL || self->menu_value == NULL)
    return;
  for (index = 0; index < g_list_model_get_n_items (G_LIST_MODEL (self->watch)); index++)
    {
      g_autoptr(KwbWatchValue) root = g_list_model_get_item (G_LIST_MODEL (self->watch), index);

      if (root == self->menu_value)
        break;
    }
  if (index < self->expressions->len)
    g_ptr_array_remove_index (self->expressions, index);
  kwb_watch_remove (self->watch, self->menu_value);
  g_clear_object (&self->menu_value);
}

/* ---- GObject ---- */

GtkWidget *
kwb_watch_view_new (void)
{
  return g_object_new (KWB_TYPE_WATCH_VIEW, NULL);
}

static void
kwb_watch_view_dispose (GObject *object)
{
  KwbWatchView *self = KWB_WATCH_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->menu_value);
  g_clear_object (&self->menu_row);
  if (self->menu != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->menu));
      gtk_widget_unparent (GTK_WIDGET (self->walk_popover));
      self->menu = NULL;
      self->walk_popover = NULL;
    }
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);
  g_clear_object (&self->watch);
  G_OBJECT_CLASS (kwb_watch_view_parent_class)->dispose (object);
}

static void
kwb_watch_view_finalize (GObject *object)
{
  KwbWatchView *self = KWB_WATCH_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->no_roots);
  g_clear_object (&self->selection);
  g_ptr_array_unref (self->expressions);
  G_OBJECT_CLASS (kwb_watch_view_parent_class)->finalize (object);
}

static void
kwb_watch_view_class_init (KwbWatchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kwb_watch_view_dispose;
  object_class->finalize = kwb_watch_view_finalize;
  gtk_widget_class_install_action (widget_class, "watch.walk", NULL, walk_action);
  gtk_widget_class_install_action (widget_class, "watch.unwalk", NULL, unwalk_action);
  gtk_widget_class_install_action (widget_class, "watch.remove", NULL, remove_action);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
kwb_watch_view_init (KwbWatchView *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *walk_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *walk_button;

  self->expressions = g_ptr_array_new_with_free_func (g_free);
  self->editable = TRUE;
  self->cancellable = g_cancellable_new ();
  self->no_roots = g_list_store_new (KWB_TYPE_WATCH_VALUE);

  self->entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->entry), "watch_entry");
  gtk_entry_set_placeholder_text (self->entry, _("Add an expression, or percpu:VAR for every CPU"));
  gtk_widget_set_margin_start (GTK_WIDGET (self->entry), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->entry), 6);
  gtk_widget_set_margin_top (GTK_WIDGET (self->entry), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->entry), 6);
  g_signal_connect (self->entry, "activate", G_CALLBACK (on_entry_activate), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->entry));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (GTK_SELECTION_MODEL (g_object_ref (self->selection))));
  gtk_widget_set_name (GTK_WIDGET (self->table), "watch_table");
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "data-table");
  add_column (self, _("Name"), COLUMN_NAME, FALSE);
  add_column (self, _("Value"), COLUMN_VALUE, TRUE);
  add_column (self, _("Type"), COLUMN_TYPE, FALSE);
  set_roots (self, G_LIST_MODEL (self->no_roots));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->table));
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  self->menu = GTK_POPOVER_MENU (gtk_popover_menu_new_from_model (NULL));
  gtk_popover_set_has_arrow (GTK_POPOVER (self->menu), FALSE);
  gtk_widget_set_halign (GTK_WIDGET (self->menu), GTK_ALIGN_START);
  gtk_widget_set_parent (GTK_WIDGET (self->menu), GTK_WIDGET (self));

  self->walk_popover = GTK_POPOVER (gtk_popover_new ());
  self->walk_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->walk_entry), "watch_walk_entry");
  /* Translators: the text a list is walked as; keep the example as it is. */
  gtk_entry_set_placeholder_text (self->walk_entry, _("TYPE.MEMBER, e.g. task_struct.tasks"));
  gtk_editable_set_width_chars (GTK_EDITABLE (self->walk_entry), 28);
  g_signal_connect (self->walk_entry, "activate", G_CALLBACK (on_walk_activate), self);
  walk_button = gtk_button_new_with_label (_("Walk"));
  gtk_widget_add_css_class (walk_button, "suggested-action");
  g_signal_connect (walk_button, "clicked", G_CALLBACK (on_walk_clicked), self);
  gtk_box_append (GTK_BOX (walk_box), GTK_WIDGET (self->walk_entry));
  gtk_box_append (GTK_BOX (walk_box), walk_button);
  gtk_popover_set_child (self->walk_popover, walk_box);
  gtk_widget_set_parent (GTK_WIDGET (self->walk_popover), GTK_WIDGET (self));
}
