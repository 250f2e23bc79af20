/* kwb-watch-view.h — the watch tree: expressions, their members, per-CPU copies, walked lists
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-core.h"

G_BEGIN_DECLS

#define KWB_TYPE_WATCH_VIEW (kwb_watch_view_get_type ())
G_DECLARE_FINAL_TYPE (KwbWatchView, kwb_watch_view, KWB, WATCH_VIEW, GtkWidget)

GtkWidget  *kwb_watch_view_new            (void);
/* WATCH: the session's KwbWatch (its owner refreshes it at each stop), or
 * NULL when there is no session. The expressions the user added are kept
 * across sessions: a new model gets them. */
void        kwb_watch_view_set_model      (KwbWatchView *self,
                                           KwbWatch     *watch);
KwbWatch   *kwb_watch_view_get_model      (KwbWatchView *self);
/* What typing EXPRESSION in the entry does: a C expression, or "percpu:VAR". */
void        kwb_watch_view_add_expression (KwbWatchView *self,
                                           const char   *expression);
/* FALSE: no entry and no Remove (the frame's locals: the frame decides
 * what is shown). TRUE by default. */
void        kwb_watch_view_set_editable   (KwbWatchView *self,
                                           gboolean      editable);
/* The rows as shown (GtkTreeListRow items), for tests. */
GListModel *kwb_watch_view_get_rows       (KwbWatchView *self);

G_END_DECLS
