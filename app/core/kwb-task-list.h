/* kwb-task-list.h — every task of the stopped guest kernel, read from guest memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of KwbTask in the order the kernel's lx-ps lists them (the
 * init_task's task list, each process followed by its threads), plus the
 * idle task of each other online CPU (as crash's ps shows them), refreshed
 * at a stop by reading task_structs straight out of guest memory. The
 * current task of each CPU is marked. A sleeping task's kernel stack is
 * unwound from its saved context on request, without touching the guest's
 * registers. The GUI's tasks view and `kwb debug --show tasks` both use
 * it; it is a KwbKernelView.
 */
#pragma once

#include <gio/gio.h>

#include "kwb-kernel-view.h"
#include "kwb-session.h"
#include "kwb-task.h"

G_BEGIN_DECLS

#define KWB_TASK_LIST_ERROR (kwb_task_list_error_quark ())

typedef enum {
  KWB_TASK_LIST_ERROR_LAYOUT,   /* the kernel's task structures are not the expected ones */
  KWB_TASK_LIST_ERROR_CORRUPT,  /* a list or pointer in guest memory makes no sense */
  KWB_TASK_LIST_ERROR_RUNNING,  /* the task runs on a CPU: its stack is in that CPU's registers */
  KWB_TASK_LIST_ERROR_STACK,    /* the saved stack cannot be unwound */
} KwbTaskListError;

#define KWB_TYPE_TASK_LIST (kwb_task_list_get_type ())
G_DECLARE_FINAL_TYPE (KwbTaskList, kwb_task_list, KWB, TASK_LIST, GObject)

GQuark       kwb_task_list_error_quark      (void);

KwbTaskList *kwb_task_list_new              (KwbSession          *session);
KwbSession  *kwb_task_list_get_session      (KwbTaskList         *self);
/* The CPUs online at the last refresh (1 on a uniprocessor kernel). */
guint        kwb_task_list_get_n_cpus       (KwbTaskList         *self);
/* The current task of CPU (among the items), or NULL. */
KwbTask     *kwb_task_list_get_current      (KwbTaskList         *self,
                                             guint                cpu);
/* The CPU whose registers GDB shows at this stop, or -1 when unknown. */
gint         kwb_task_list_get_stopped_cpu  (KwbTaskList         *self);

/* Walks the task lists (one memory read per task) and replaces the items. */
void         kwb_task_list_refresh_async    (KwbTaskList         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     kwb_task_list_refresh_finish   (KwbTaskList         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* TASK's kernel stack as KwbFrame items, innermost first, with source
 * lines: unwound from its saved context for a task that is not running,
 * GDB's own backtrace for the current task of the stopped CPU, and
 * KWB_TASK_LIST_ERROR_RUNNING for a task running on another CPU. */
void         kwb_task_list_list_frames_async  (KwbTaskList         *self,
                                               KwbTask             *task,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
GListModel  *kwb_task_list_list_frames_finish (KwbTaskList         *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
