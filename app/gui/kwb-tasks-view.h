/* kwb-tasks-view.h — every task of the stopped guest kernel as a table, like ps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-frames-panel.h"
#include "kwb-task-list.h"

G_BEGIN_DECLS

#define KWB_TYPE_TASKS_VIEW (kwb_tasks_view_get_type ())
G_DECLARE_FINAL_TYPE (KwbTasksView, kwb_tasks_view, KWB, TASKS_VIEW, GtkWidget)

/* FRAMES_PANEL: where a selected task's stack is shown. */
GtkWidget  *kwb_tasks_view_new             (KwbFramesPanel *frames_panel);
/* TASKS: refreshed by whoever owns the session at each stop, or NULL. */
void        kwb_tasks_view_set_task_list   (KwbTasksView   *self,
                                            KwbTaskList    *tasks);
/* Shows only the tasks whose command name or PID contains TEXT. */
void        kwb_tasks_view_set_search      (KwbTasksView   *self,
                                            const char     *text);
guint       kwb_tasks_view_get_n_shown     (KwbTasksView   *self);
/* Selects the row of the task with PID (the first, for PID 0): its stack
 * goes to the frames panel. FALSE when no row has it. */
gboolean    kwb_tasks_view_select_pid      (KwbTasksView   *self,
                                            gint            pid);

G_END_DECLS
