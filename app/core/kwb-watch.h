/* kwb-watch.h — the watch tree: expressions evaluated at each stop, expandable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of KwbWatchValue roots, one per expression the user added,
 * and a KwbKernelView: a refresh re-reads every root and every node that
 * was expanded, and marks what changed since the previous stop. Values come
 * from GDB variable objects (one -var-update per root refreshes a whole
 * expanded subtree), so struct members, pointers (expanded to their
 * target) and arrays are GDB's own. Beyond a plain debugger:
 * - "percpu:VAR" shows VAR once per possible CPU (&VAR + __per_cpu_offset[N],
 *   as the kernel's $lx_per_cpu; a uniprocessor kernel shows its one copy);
 * - a `list_head`/`hlist_head` can be walked as a list of TYPE.MEMBER: its
 *   children become the containing structures (container_of), at most
 *   KWB_WATCH_WALK_MAX of them, stopping at a loop.
 * The GUI's watch panel and `kwb debug --show watch:EXPR|percpu:VAR` use it.
 */
#pragma once

#include <gio/gio.h>

#include "kwb-kernel-view.h"
#include "kwb-session.h"
#include "kwb-watch-value.h"

G_BEGIN_DECLS

#define KWB_WATCH_ERROR (kwb_watch_error_quark ())

typedef enum {
  KWB_WATCH_ERROR_INVALID,      /* a walk spec or expression that cannot be used */
  KWB_WATCH_ERROR_NOT_STOPPED,  /* values are read only while the guest is stopped */
  KWB_WATCH_ERROR_NO_EXPRESSION,/* the value has no single C expression (a per-CPU group) */
} KwbWatchError;

#define KWB_WATCH_PER_CPU_PREFIX "percpu:"
/* Elements a list walk shows at most. */
#define KWB_WATCH_WALK_MAX 1000
/* Children of one value (array elements) shown at most. */
#define KWB_WATCH_CHILDREN_MAX 1000

#define KWB_TYPE_WATCH (kwb_watch_get_type ())
G_DECLARE_FINAL_TYPE (KwbWatch, kwb_watch, KWB, WATCH, GObject)

GQuark         kwb_watch_error_quark       (void);

KwbWatch      *kwb_watch_new               (KwbSession          *session);
KwbSession    *kwb_watch_get_session       (KwbWatch            *self);
/* Adds a root (read at the next refresh): a C expression, or
 * "percpu:VAR". Returns the new root (owned by the model). */
KwbWatchValue *kwb_watch_add               (KwbWatch            *self,
                                            const char          *expression);
void           kwb_watch_remove            (KwbWatch            *self,
                                            KwbWatchValue       *root);
/* Removes every root, deleting GDB's variable objects for them (call while
 * the guest is stopped, or they stay until GDB exits). */
void           kwb_watch_clear             (KwbWatch            *self);
/* The roots' expressions as given to kwb_watch_add(). */
GStrv          kwb_watch_dup_expressions   (KwbWatch            *self);
/* Levels below each root read at every refresh without being expanded
 * (kwb prints the top levels); 0 by default. */
void           kwb_watch_set_expand_depth  (KwbWatch            *self,
                                            guint                depth);

void           kwb_watch_refresh_async     (KwbWatch            *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       kwb_watch_refresh_finish    (KwbWatch            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Reads VALUE's children, and keeps them read at each refresh from then on. */
void           kwb_watch_expand_async      (KwbWatch            *self,
                                            KwbWatchValue       *value,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       kwb_watch_expand_finish     (KwbWatch            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Walks the list_head/hlist_head VALUE as a list of WALK ("TYPE.MEMBER",
 * "task_struct.tasks"; NULL: show its own members again), then expands it. */
void           kwb_watch_walk_async        (KwbWatch            *self,
                                            KwbWatchValue       *value,
                                            const char          *walk,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       kwb_watch_walk_finish       (KwbWatch            *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* The C expression of VALUE ("(init_task.tasks).next"), asking GDB once. */
void           kwb_watch_dup_expression_async  (KwbWatch            *self,
                                                KwbWatchValue       *value,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char          *kwb_watch_dup_expression_finish (KwbWatch            *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Splits "task_struct.tasks" or "struct task_struct.tasks" into
 * "struct task_struct" and "tasks"; the member may be nested ("se.group_node"). */
gboolean       kwb_watch_parse_walk        (const char          *walk,
                                            char               **type,
                                            char               **member,
                                            GError             **error);

G_END_DECLS
