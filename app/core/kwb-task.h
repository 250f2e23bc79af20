/* kwb-task.h — one task (thread) of the stopped guest kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An immutable item of KwbTaskList: what the kernel's task_struct said at
 * one stop (ids, command name, scheduler state, CPU) plus where its
 * kernel stack is, so its backtrace can be unwound later at the same stop.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define KWB_TYPE_TASK (kwb_task_get_type ())
G_DECLARE_FINAL_TYPE (KwbTask, kwb_task, KWB, TASK, GObject)

/* The state letters, as ps and /proc/PID/stat print them. */
#define KWB_TASK_STATE_RUNNING       'R'
#define KWB_TASK_STATE_SLEEPING      'S'
#define KWB_TASK_STATE_DISK_SLEEP    'D'
#define KWB_TASK_STATE_STOPPED       'T'
#define KWB_TASK_STATE_TRACING_STOP  't'
#define KWB_TASK_STATE_DEAD          'X'
#define KWB_TASK_STATE_ZOMBIE        'Z'
#define KWB_TASK_STATE_PARKED        'P'
#define KWB_TASK_STATE_IDLE          'I'

typedef struct {
  guint64     address;        /* of the task_struct */
  gint        pid;
  gint        tgid;
  const char *comm;           /* valid UTF-8 */
  char        state;          /* one of the letters above */
  guint       cpu;
  gboolean    on_cpu;         /* running on its CPU right now */
  gboolean    is_current;     /* the current task of its CPU */
  gboolean    kernel_thread;
  guint64     stack;          /* the lowest address of its kernel stack */
} KwbTaskInfo;

KwbTask    *kwb_task_new               (const KwbTaskInfo *info);
guint64     kwb_task_get_address       (KwbTask *self);
gint        kwb_task_get_pid           (KwbTask *self);
gint        kwb_task_get_tgid          (KwbTask *self);
const char *kwb_task_get_comm          (KwbTask *self);
char        kwb_task_get_state         (KwbTask *self);
/* "sleeping", "disk sleep", … translated; "unknown" for a letter not above. */
const char *kwb_task_get_state_name    (KwbTask *self);
/* The same word untranslated, for scripts. */
const char *kwb_task_state_get_name    (char     state);
guint       kwb_task_get_cpu           (KwbTask *self);
gboolean    kwb_task_get_on_cpu        (KwbTask *self);
gboolean    kwb_task_get_is_current    (KwbTask *self);
gboolean    kwb_task_get_kernel_thread (KwbTask *self);
guint64     kwb_task_get_stack         (KwbTask *self);
/* "init (1)", "kworker/0:1 (12)": how messages and titles name it. */
char       *kwb_task_dup_display_name  (KwbTask *self);

G_END_DECLS
