/* kwb-window-dock.c — the main window's docks: panels as tabs, hidden, moved, remembered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The source view is what a kernel developer reads, so it gets the width:
 * everything else is a panel (Breakpoints, Modules, Frames, Console, and the
 * kernel-aware views to come) living as a tab in one of three docks, the
 * start (left) column, the end (right) column and the bottom row. A dock is
 * a GtkNotebook; all three share one group, so a tab is dragged from one
 * dock to another, and win.move-panel does the same from each dock's menu.
 * A dock is hidden by its win.show-*-dock toggle (Ctrl+F9, Shift+F9,
 * Ctrl+Shift+F9) and whenever it holds no panel. Which panel is in which
 * dock, in which order, which tab is in front, which docks are shown and
 * how big they are is saved with the window's size (kwb-window.c) and
 * restored by the next window.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "kwb-window-private.h"

#define PANEL_KEY "kwb-panel"

/* The template's panels; the kernel views add theirs (kwb-window-views.c). */
static const struct {
  const char *id;
  const char *title;
  gsize       offset; /* of the widget in KwbWindow */
} template_panels[] = {
  { "breakpoints", N_("Breakpoints"), G_STRUCT_OFFSET (KwbWindow, breakpoints_sidebar) },
  { "modules", N_("Modules"), G_STRUCT_OFFSET (KwbWindow, modules_sidebar) },
  { "frames", N_("Frames"), G_STRUCT_OFFSET (KwbWindow, frames_panel) },
  { "console", N_("Console"), G_STRUCT_OFFSET (KwbWindow, console_area) },
};

typedef struct {
  const char *id;
  const char *title;  /* untranslated */
  GtkWidget  *widget; /* owned by its dock */
} Panel;

static const char * const dock_ids[KWB_DOCK_N] = { "start", "end", "bottom" };

static const char * const dock_move_labels[KWB_DOCK_N] = {
  N_("Move to the Left Dock"), N_("Move to the Right Dock"), N_("Move to the Bottom Dock"),
};

static GtkWidget *
panel_widget (KwbWindow  *self,
              const char *id)
{
  for (guint i = 0; self->panels != NULL && i < self->panels->len; i++)
    {
      Panel *panel = g_ptr_array_index (self->panels, i);

      if (g_strcmp0 (panel->id, id) == 0)
        return panel->widget;
    }
  return NULL;
}

static int
dock_index (const char *id)
{
  for (int i = 0; i < KWB_DOCK_N; i++)
    if (g_strcmp0 (dock_ids[i], id) == 0)
      return i;
  return -1;
}

static int
dock_of (KwbWindow *self,
         GtkWidget *panel)
{
  for (int i = 0; i < KWB_DOCK_N; i++)
    if (gtk_notebook_page_num (self->docks[i], panel) >= 0)
      return i;
  return -1;
}

static int
notebook_dock (KwbWindow   *self,
               GtkNotebook *notebook)
{
  for (int i = 0; i < KWB_DOCK_N; i++)
    if (self->docks[i] == notebook)
      return i;
  /* While the window is disposed its template children are let go first. */
  return -1;
}

static const char *
panel_id (GtkWidget *panel)
{
  return panel ? g_object_get_data (G_OBJECT (panel), PANEL_KEY) : NULL;
}

/* Words, not icons: a tab is found by its name, and the docks are wide enough. */
static GtkWidget *
make_tab (const char *title)
{
  GtkWidget *label = gtk_label_new (_(title));

  gtk_widget_set_tooltip_text (label, _(title));
  return label;
}

/* A dock is on screen when the user wants it and it has something to show. */
static void
update_dock_visibility (KwbWindow *self,
                        int        dock)
{
  gtk_widget_set_visible (GTK_WIDGET (self->docks[dock]),
                          self->dock_shown[dock] && gtk_notebook_get_n_pages (self->docks[dock]) > 0);
}

/* The dock's menu: move the tab in front to another dock, or hide the dock. */
static void
update_dock_menu (KwbWindow *self,
                  int        dock,
                  GtkWidget *front)
{
  GtkMenuButton *button = GTK_MENU_BUTTON (gtk_notebook_get_action_widget (self->docks[dock], GTK_PACK_END));
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) moves = g_menu_new ();
  g_autoptr(GMenu) hide = g_menu_new ();
  g_autofree char *hide_action = g_strdup_printf ("win.show-%s-dock", dock_ids[dock]);
  const char *id = panel_id (front);

  if (button == NULL)
    return;
  for (int i = 0; i < KWB_DOCK_N && id != NULL; i++)
    {
      g_autoptr(GMenuItem) item = NULL;

      if (i == dock)
        continue;
      item = g_menu_item_new (_(dock_move_labels[i]), NULL);
      g_menu_item_set_action_and_target (item, "win.move-panel", "(ss)", id, dock_ids[i]);
      g_menu_append_item (moves, item);
    }
  g_menu_append (hide, _("Hide This Dock"), hide_action);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (moves));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (hide));
  gtk_menu_button_set_menu_model (button, G_MENU_MODEL (menu));
}

static void
on_switch_page (GtkNotebook *notebook,
                GtkWidget   *page,
                guint        page_num,
                KwbWindow   *self)
{
  int dock = notebook_dock (self, notebook);

  if (dock >= 0)
    update_dock_menu (self, dock, page);
}

/* Added by a drag, win.move-panel or the template: tabs keep their looks. */
static void
on_page_added (GtkNotebook *notebook,
               GtkWidget   *child,
               guint        page_num,
               KwbWindow   *self)
{
  int dock = notebook_dock (self, notebook);

  gtk_notebook_set_tab_reorderable (notebook, child, TRUE);
  gtk_notebook_set_tab_detachable (notebook, child, TRUE);
  if (dock >= 0)
    update_dock_visibility (self, dock);
}

static void
on_page_removed (GtkNotebook *notebook,
                 GtkWidget   *child,
                 guint        page_num,
                 KwbWindow   *self)
{
  int dock = notebook_dock (self, notebook);

  if (dock < 0)
    return;
  update_dock_visibility (self, dock);
  if (gtk_notebook_get_n_pages (notebook) == 0)
    update_dock_menu (self, dock, NULL);
}

static void
move_panel (KwbWindow *self,
            GtkWidget *panel,
            int        to,
            int        position)
{
  int from = dock_of (self, panel);
  g_autoptr(GtkWidget) keep = NULL;
  GtkWidget *tab;

  if (from < 0 || (from == to && position < 0))
    return;
  if (from == to)
    {
      gtk_notebook_reorder_child (self->docks[to], panel, position);
      return;
    }
  keep = g_object_ref (panel);
  tab = g_object_ref (gtk_notebook_get_tab_label (self->docks[from], panel));
  gtk_notebook_remove_page (self->docks[from], gtk_notebook_page_num (self->docks[from], panel));
  gtk_notebook_insert_page (self->docks[to], panel, tab, position);
  g_object_unref (tab);
}

/**
 * kwb_window_show_panel:
 * @panel: "breakpoints", "modules", "frames", "console" or a kernel view's
 *   ("log", …: see kwb-window-views.c)
 *
 * Brings the panel to the front of its dock and shows the dock.
 */
void
kwb_window_show_panel (KwbWindow  *self,
                       const char *panel)
{
  GtkWidget *widget;
  int dock;

  g_return_if_fail (KWB_IS_WINDOW (self));

  widget = panel_widget (self, panel);
  if (widget == NULL || (dock = dock_of (self, widget)) < 0)
    return;
  gtk_notebook_set_current_page (self->docks[dock], gtk_notebook_page_num (self->docks[dock], widget));
  kwb_window_set_dock_shown (self, dock, TRUE);
}

/**
 * kwb_window_move_panel:
 * @panel: a panel's id, as for kwb_window_show_panel()
 * @dock: where it goes, put in front
 *
 * Returns: FALSE when PANEL is not a panel.
 */
gboolean
kwb_window_move_panel (KwbWindow  *self,
                       const char *panel,
                       KwbDock     dock)
{
  GtkWidget *widget;

  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (dock < KWB_DOCK_N, FALSE);

  widget = panel_widget (self, panel);
  if (widget == NULL)
    return FALSE;
  move_panel (self, widget, dock, -1);
  kwb_window_show_panel (self, panel);
  return TRUE;
}

/**
 * kwb_window_get_panel_dock:
 *
 * Returns: the dock holding PANEL, or -1 when PANEL is not a panel.
 */
int
kwb_window_get_panel_dock (KwbWindow  *self,
                           const char *panel)
{
  GtkWidget *widget;

  g_return_val_if_fail (KWB_IS_WINDOW (self), -1);

  widget = panel_widget (self, panel);
  return widget ? dock_of (self, widget) : -1;
}

gboolean
kwb_window_get_dock_shown (KwbWindow *self,
                           KwbDock    dock)
{
  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (dock < KWB_DOCK_N, FALSE);
  return self->dock_shown[dock];
}

/**
 * kwb_window_set_dock_shown:
 *
 * Shows or hides a dock; a shown dock without panels stays hidden.
 */
void
kwb_window_set_dock_shown (KwbWindow *self,
                           KwbDock    dock,
                           gboolean   shown)
{
  g_autofree char *name = NULL;
  GAction *action;

  g_return_if_fail (KWB_IS_WINDOW (self));
  g_return_if_fail (dock < KWB_DOCK_N);

  self->dock_shown[dock] = !!shown;
  update_dock_visibility (self, dock);
  name = g_strdup_printf ("show-%s-dock", dock_ids[dock]);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), name);
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (self->dock_shown[dock]));
}

static void
change_dock_shown (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  const char *name = g_action_get_name (G_ACTION (action));
  g_autofree char *id = g_strndup (name + strlen ("show-"), strlen (name) - strlen ("show--dock"));

  kwb_window_set_dock_shown (KWB_WINDOW (user_data), dock_index (id), g_variant_get_boolean (state));
}

static void
move_panel_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  const char *panel, *dock;
  int index;

  g_variant_get (parameter, "(&s&s)", &panel, &dock);
  if ((index = dock_index (dock)) >= 0)
    kwb_window_move_panel (KWB_WINDOW (user_data), panel, index);
}

static void
show_panel_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  kwb_window_show_panel (KWB_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static const GActionEntry dock_actions[] = {
  { "show-start-dock", NULL, NULL, "true", change_dock_shown, { 0 } },
  { "show-end-dock", NULL, NULL, "true", change_dock_shown, { 0 } },
  { "show-bottom-dock", NULL, NULL, "true", change_dock_shown, { 0 } },
  { "move-panel", move_panel_action, "(ss)", NULL, NULL, { 0 } },
  { "show-panel", show_panel_action, "s", NULL, NULL, { 0 } },
};

/* ---- sizes of the end and bottom docks ----
 * A GtkPaned's position is its start child's size, but these docks are end
 * children: their size is set once the paned knows its own, and from then
 * on the paned keeps it (resize-end-child is off). */

static void
apply_end_size (KwbWindow  *self,
                GtkPaned   *paned,
                int        *size)
{
  GtkWidget *end = gtk_paned_get_end_child (paned);
  GtkOrientation orientation = gtk_orientable_get_orientation (GTK_ORIENTABLE (paned));
  int max, end_min = 0;

  g_object_get (paned, "max-position", &max, NULL);
  if (max <= 0 || *size <= 0 || !gtk_widget_get_visible (end))
    return;
  /* max-position already leaves the end child its minimum. */
  gtk_widget_measure (end, orientation, -1, &end_min, NULL, NULL, NULL);
  gtk_paned_set_position (paned, CLAMP (max + end_min - *size, 0, max));
  *size = 0;
}

static void
on_end_max_position (GtkPaned   *paned,
                     GParamSpec *pspec,
                     KwbWindow  *self)
{
  apply_end_size (self, paned, &self->pending_end_width);
}

static void
on_bottom_max_position (GtkPaned   *paned,
                        GParamSpec *pspec,
                        KwbWindow  *self)
{
  apply_end_size (self, paned, &self->pending_bottom_height);
}

/* ---- state ---- */

static void
restore_layout (KwbWindow *self)
{
  for (int i = 0; i < KWB_DOCK_N; i++)
    {
      g_autofree char *key = g_strdup_printf ("%s-dock-panels", dock_ids[i]);
      g_auto(GStrv) ids = g_settings_get_strv (self->settings, key);

      for (guint j = 0; ids[j] != NULL; j++)
        {
          GtkWidget *widget = panel_widget (self, ids[j]);

          if (widget != NULL)
            move_panel (self, widget, i, j);
        }
    }
  for (int i = 0; i < KWB_DOCK_N; i++)
    {
      g_autofree char *page_key = g_strdup_printf ("%s-dock-page", dock_ids[i]);
      g_autofree char *shown_key = g_strdup_printf ("%s-dock-visible", dock_ids[i]);
      g_autofree char *page = g_settings_get_string (self->settings, page_key);
      GtkWidget *widget = panel_widget (self, page);
      int num = widget ? gtk_notebook_page_num (self->docks[i], widget) : -1;

      if (num >= 0)
        gtk_notebook_set_current_page (self->docks[i], num);
      kwb_window_set_dock_shown (self, i, g_settings_get_boolean (self->settings, shown_key));
    }
  self->pending_end_width = g_settings_get_int (self->settings, "end-dock-width");
  self->pending_bottom_height = g_settings_get_int (self->settings, "bottom-dock-height");
}

static void
save_size (KwbWindow  *self,
           KwbDock     dock,
           const char *key,
           int         pending,
           int         allocated)
{
  int size = pending > 0 ? pending : allocated;

  if (gtk_widget_get_mapped (GTK_WIDGET (self->docks[dock])) && size > 0)
    g_settings_set_int (self->settings, key, size);
}

void
_kwb_window_dock_save (KwbWindow *self)
{
  for (int i = 0; i < KWB_DOCK_N; i++)
    {
      g_autofree char *panels_key = g_strdup_printf ("%s-dock-panels", dock_ids[i]);
      g_autofree char *page_key = g_strdup_printf ("%s-dock-page", dock_ids[i]);
      g_autofree char *shown_key = g_strdup_printf ("%s-dock-visible", dock_ids[i]);
      g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;
      int n = gtk_notebook_get_n_pages (self->docks[i]);
      int current = gtk_notebook_get_current_page (self->docks[i]);

      for (int j = 0; j < n; j++)
        g_strv_builder_add (ids, panel_id (gtk_notebook_get_nth_page (self->docks[i], j)));
      strv = g_strv_builder_end (ids);
      g_settings_set_strv (self->settings, panels_key, (const char * const *) strv);
      g_settings_set_string (self->settings, page_key,
                             current >= 0 ? panel_id (gtk_notebook_get_nth_page (self->docks[i], current)) : "");
      g_settings_set_boolean (self->settings, shown_key, self->dock_shown[i]);
    }
  /* A hidden dock keeps the size it had when last shown; one not laid out
   * yet, the size it is about to get. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self->docks[KWB_DOCK_START])))
    g_settings_set_int (self->settings, "sidebar-width", gtk_paned_get_position (self->main_paned));
  save_size (self, KWB_DOCK_END, "end-dock-width", self->pending_end_width,
             gtk_widget_get_width (GTK_WIDGET (self->docks[KWB_DOCK_END])));
  save_size (self, KWB_DOCK_BOTTOM, "bottom-dock-height", self->pending_bottom_height,
             gtk_widget_get_height (GTK_WIDGET (self->docks[KWB_DOCK_BOTTOM])));
}

static void
register_panel (KwbWindow  *self,
                const char *id,
                const char *title,
                GtkWidget  *widget)
{
  Panel *panel = g_new0 (Panel, 1);
  int dock = dock_of (self, widget);

  panel->id = id;
  panel->title = title;
  panel->widget = widget;
  g_ptr_array_add (self->panels, panel);
  g_object_set_data (G_OBJECT (widget), PANEL_KEY, (gpointer) id);
  gtk_notebook_set_tab_label (self->docks[dock], widget, make_tab (title));
  gtk_notebook_set_tab_reorderable (self->docks[dock], widget, TRUE);
  gtk_notebook_set_tab_detachable (self->docks[dock], widget, TRUE);
}

/**
 * _kwb_window_dock_add_panel:
 * @id: (not nullable): a static string, the panel's name in settings
 * @title: a static N_() string, the tab's label
 *
 * Puts WIDGET in DOCK as the panel ID, before _kwb_window_dock_init() moves
 * the panels to where the user left them.
 */
void
_kwb_window_dock_add_panel (KwbWindow  *self,
                            const char *id,
                            const char *title,
                            GtkWidget  *widget,
                            KwbDock     dock)
{
  g_return_if_fail (panel_widget (self, id) == NULL);

  if (self->panels == NULL)
    self->panels = g_ptr_array_new_with_free_func (g_free);
  gtk_notebook_append_page (self->docks[dock], widget, NULL);
  register_panel (self, id, title, widget);
}

void
_kwb_window_dock_init (KwbWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), dock_actions, G_N_ELEMENTS (dock_actions), self);

  if (self->panels == NULL)
    self->panels = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (template_panels); i++)
    register_panel (self, template_panels[i].id, template_panels[i].title,
                    G_STRUCT_MEMBER (GtkWidget *, self, template_panels[i].offset));

  for (int i = 0; i < KWB_DOCK_N; i++)
    {
      GtkWidget *button = gtk_menu_button_new ();

      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Move or Hide"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_name (button, "dock_menu_button");
      gtk_notebook_set_action_widget (self->docks[i], button, GTK_PACK_END);
      self->dock_shown[i] = TRUE;
      g_signal_connect_object (self->docks[i], "switch-page", G_CALLBACK (on_switch_page), self, 0);
      g_signal_connect_object (self->docks[i], "page-added", G_CALLBACK (on_page_added), self, 0);
      g_signal_connect_object (self->docks[i], "page-removed", G_CALLBACK (on_page_removed), self, 0);
    }
  g_signal_connect_object (self->end_paned, "notify::max-position", G_CALLBACK (on_end_max_position), self, 0);
  g_signal_connect_object (self->content_paned, "notify::max-position", G_CALLBACK (on_bottom_max_position), self, 0);

  if (self->settings != NULL)
    restore_layout (self);
  for (int i = 0; i < KWB_DOCK_N; i++)
    {
      int current = gtk_notebook_get_current_page (self->docks[i]);

      update_dock_visibility (self, i);
      update_dock_menu (self, i, current >= 0 ? gtk_notebook_get_nth_page (self->docks[i], current) : NULL);
    }
}
