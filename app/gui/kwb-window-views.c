/* kwb-window-views.c — the main window's kernel views: one panel each, refreshed at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A kernel view is a core model (a KwbKernelView: the printk log, tasks,
 * per-CPU data, the watch tree, memory) and the widget showing it, living
 * as a panel in a dock like any other (by default below the source, as
 * tabs beside the console: their rows are wide). The table below is the whole list:
 * a new view is one row (its panel id, tab title, default dock, widget and
 * model constructors). The models are made per session; at each stop the
 * panels on screen are refreshed, one after the other through the session's
 * queue, and a panel brought on screen later in the same stop is refreshed
 * then. A panel nobody looks at costs nothing, which keeps a stop as quick
 * with ten views as with one. ::kernel-view-refreshed (detail: the panel id)
 * tells tests and benchmarks a refresh ended.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-window-private.h"
#include "kwb-core.h"
#include "kwb-kernel-log-view.h"
#include "kwb-tasks-view.h"
#include "kwb-memory-view.h"
#include "kwb-watch-view.h"

typedef struct {
  const char     *id;
  const char     *title;   /* N_() */
  KwbDock         dock;
  GtkWidget     *(*new_widget) (KwbWindow *self);
  KwbKernelView *(*new_view)   (KwbSession *session);
  /* VIEW is NULL when the session ends. */
  void           (*set_view)   (GtkWidget *widget, KwbKernelView *view);
} KernelPanelInfo;

typedef struct {
  const KernelPanelInfo *info;
  KwbWindow             *window;   /* unowned: the window owns this */
  GtkWidget             *widget;   /* unowned: its dock owns it */
  KwbKernelView         *view;
  GCancellable          *cancellable;
  guint                  generation; /* the stop it was last refreshed for */
  gboolean               refreshing;
  gboolean               again;      /* a newer stop came during the refresh */
} KernelPanel;

/* ---- the views ---- */

static void
on_log_link_activated (KwbKernelLogView *view,
                       const char       *link,
                       KwbWindow        *self)
{
  kwb_console_activate_link (self->console, link);
}

static GtkWidget *
log_new_widget (KwbWindow *self)
{
  GtkWidget *widget = kwb_kernel_log_view_new ();

  g_signal_connect_object (widget, "link-activated", G_CALLBACK (on_log_link_activated), self, 0);
  return widget;
}

static KwbKernelView *
log_new_view (KwbSession *session)
{
  return KWB_KERNEL_VIEW (kwb_kernel_log_new (session));
}

static void
log_set_view (GtkWidget     *widget,
              KwbKernelView *view)
{
  kwb_kernel_log_view_set_model (KWB_KERNEL_LOG_VIEW (widget), view ? G_LIST_MODEL (view) : NULL);
}

static GtkWidget *
tasks_new_widget (KwbWindow *self)
{
  return kwb_tasks_view_new (self->frames_panel);
}

static KwbKernelView *
tasks_new_view (KwbSession *session)
{
  return KWB_KERNEL_VIEW (kwb_task_list_new (session));
}

static void
tasks_set_view (GtkWidget     *widget,
                KwbKernelView *view)
{
  kwb_tasks_view_set_task_list (KWB_TASKS_VIEW (widget), view ? KWB_TASK_LIST (view) : NULL);
}

static GtkWidget *
memory_new_widget (KwbWindow *self)
{
  return kwb_memory_view_new ();
}

static KwbKernelView *
memory_new_view (KwbSession *session)
{
  return KWB_KERNEL_VIEW (kwb_memory_new (session));
}

static void
memory_set_view (GtkWidget     *widget,
                 KwbKernelView *view)
{
  kwb_memory_view_set_model (KWB_MEMORY_VIEW (widget), view ? KWB_MEMORY (view) : NULL);
}

/* win.show-memory("EXPR"): the Memory panel in front, showing EXPR. */
static void
show_memory_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  KwbWindow *self = user_data;

  for (guint i = 0; i < self->kernel_panels->len; i++)
    {
      KernelPanel *panel = g_ptr_array_index (self->kernel_panels, i);

      if (KWB_IS_MEMORY_VIEW (panel->widget))
        {
          kwb_window_show_panel (self, panel->info->id);
          kwb_memory_view_set_expression (KWB_MEMORY_VIEW (panel->widget), g_variant_get_string (parameter, NULL));
        }
    }
}

static const GActionEntry view_actions[] = {
  { "show-memory", show_memory_action, "s", NULL, NULL, { 0 } },
};

static GtkWidget *
watch_new_widget (KwbWindow *self)
{
  GtkWidget *widget = kwb_watch_view_new ();

  gtk_widget_set_name (widget, "watch_view");
  return widget;
}

static KwbKernelView *
watch_new_view (KwbSession *session)
{
  return KWB_KERNEL_VIEW (kwb_watch_new (session));
}

static void
watch_set_view (GtkWidget     *widget,
                KwbKernelView *view)
{
  kwb_watch_view_set_model (KWB_WATCH_VIEW (widget), view ? KWB_WATCH (view) : NULL);
}

static const KernelPanelInfo kernel_panels[] = {
  { "log", N_("Kernel Log"), KWB_DOCK_BOTTOM, log_new_widget, log_new_view, log_set_view },
  { "tasks", N_("Tasks"), KWB_DOCK_BOTTOM, tasks_new_widget, tasks_new_view, tasks_set_view },
  { "memory", N_("Memory"), KWB_DOCK_BOTTOM, memory_new_widget, memory_new_view, memory_set_view },
  { "watch", N_("Watch"), KWB_DOCK_BOTTOM, watch_new_widget, watch_new_view, watch_set_view },
};

/* ---- refreshing ---- */

static void refresh (KernelPanel *panel);

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KernelPanel *panel = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = kwb_kernel_view_refresh_finish (KWB_KERNEL_VIEW (object), result, &error);

  /* The panel was let go with its window or its session: touch nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  panel->refreshing = FALSE;
  if (!ok)
    {
      /* Translators: a kernel view's name, then why it could not be refreshed. */
      g_autofree char *message = g_strdup_printf (_("%s: %s"), _(panel->info->title), error->message);

      _kwb_window_toast (panel->window, message);
    }
  g_signal_emit (panel->window, g_signal_lookup ("kernel-view-refreshed", KWB_TYPE_WINDOW),
                 g_quark_from_static_string (panel->info->id), panel->info->id);
  if (panel->again)
    {
      panel->again = FALSE;
      refresh (panel);
    }
}

static void
refresh (KernelPanel *panel)
{
  KwbWindow *self = panel->window;

  if (panel->view == NULL || self->session == NULL ||
      kwb_session_get_state (self->session) != KWB_SESSION_STATE_STOPPED)
    return;
  if (panel->refreshing)
    {
      panel->again = panel->generation != self->views_generation;
      return;
    }
  panel->refreshing = TRUE;
  panel->generation = self->views_generation;
  kwb_kernel_view_refresh_async (panel->view, panel->cancellable, refresh_cb, panel);
}

/* A panel brought to the front after the stop is refreshed then. */
static void
on_panel_map (GtkWidget   *widget,
              KernelPanel *panel)
{
  if (panel->generation != panel->window->views_generation)
    refresh (panel);
}

void
_kwb_window_views_stopped (KwbWindow *self)
{
  self->views_generation++;
  for (guint i = 0; i < self->kernel_panels->len; i++)
    {
      KernelPanel *panel = g_ptr_array_index (self->kernel_panels, i);

      if (gtk_widget_get_mapped (panel->widget))
        refresh (panel);
    }
}

/* ---- what tests and screenshots go through ---- */

static KernelPanel *
find_panel (KwbWindow  *self,
            const char *id)
{
  for (guint i = 0; self->kernel_panels != NULL && i < self->kernel_panels->len; i++)
    {
      KernelPanel *panel = g_ptr_array_index (self->kernel_panels, i);

      if (g_strcmp0 (panel->info->id, id) == 0)
        return panel;
    }
  return NULL;
}

/**
 * kwb_window_list_kernel_panels:
 *
 * Returns: (transfer full): the kernel views' panel ids, in the table's order
 */
char **
kwb_window_list_kernel_panels (KwbWindow *self)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (KWB_IS_WINDOW (self), NULL);

  for (guint i = 0; self->kernel_panels != NULL && i < self->kernel_panels->len; i++)
    g_strv_builder_add (ids, ((KernelPanel *) g_ptr_array_index (self->kernel_panels, i))->info->id);
  return g_strv_builder_end (ids);
}

/**
 * kwb_window_kernel_panel_is_current:
 *
 * Returns: TRUE once the panel's refresh for the current stop has begun:
 *   at the stop when it was on screen then, or when it came on screen.
 */
gboolean
kwb_window_kernel_panel_is_current (KwbWindow  *self,
                                    const char *id)
{
  KernelPanel *panel;

  g_return_val_if_fail (KWB_IS_WINDOW (self), FALSE);

  panel = find_panel (self, id);
  return panel != NULL && panel->view != NULL && self->session != NULL &&
         kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED &&
         panel->generation == self->views_generation;
}

/* ---- life ---- */

static void
kernel_panel_clear (KernelPanel *panel)
{
  if (panel->cancellable != NULL)
    g_cancellable_cancel (panel->cancellable);
  g_clear_object (&panel->cancellable);
  if (panel->view != NULL)
    panel->info->set_view (panel->widget, NULL);
  g_clear_object (&panel->view);
  panel->refreshing = FALSE;
  panel->again = FALSE;
}

static void
kernel_panel_free (KernelPanel *panel)
{
  kernel_panel_clear (panel);
  g_free (panel);
}

void
_kwb_window_views_set_session (KwbWindow  *self,
                               KwbSession *session)
{
  for (guint i = 0; i < self->kernel_panels->len; i++)
    {
      KernelPanel *panel = g_ptr_array_index (self->kernel_panels, i);

      kernel_panel_clear (panel);
      if (session == NULL)
        continue;
      panel->view = panel->info->new_view (session);
      panel->cancellable = g_cancellable_new ();
      panel->generation = self->views_generation;
      panel->info->set_view (panel->widget, panel->view);
    }
}

void
_kwb_window_views_init (KwbWindow *self)
{
  self->kernel_panels = g_ptr_array_new_with_free_func ((GDestroyNotify) kernel_panel_free);
  for (guint i = 0; i < G_N_ELEMENTS (kernel_panels); i++)
    {
      KernelPanel *panel = g_new0 (KernelPanel, 1);

      panel->info = &kernel_panels[i];
      panel->window = self;
      panel->widget = kernel_panels[i].new_widget (self);
      g_signal_connect (panel->widget, "map", G_CALLBACK (on_panel_map), panel);
      g_ptr_array_add (self->kernel_panels, panel);
      _kwb_window_dock_add_panel (self, kernel_panels[i].id, kernel_panels[i].title,
                                  panel->widget, kernel_panels[i].dock);
    }
  g_action_map_add_action_entries (G_ACTION_MAP (self), view_actions, G_N_ELEMENTS (view_actions), self);
}

void
_kwb_window_views_dispose (KwbWindow *self)
{
  for (guint i = 0; self->kernel_panels != NULL && i < self->kernel_panels->len; i++)
    {
      KernelPanel *panel = g_ptr_array_index (self->kernel_panels, i);

      g_signal_handlers_disconnect_by_data (panel->widget, panel);
    }
  g_clear_pointer (&self->kernel_panels, g_ptr_array_unref);
}
