/* kwb-memory-view.h — guest memory as a hex/ASCII dump that follows an expression
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-memory.h"

G_BEGIN_DECLS

#define KWB_TYPE_MEMORY_VIEW (kwb_memory_view_get_type ())
G_DECLARE_FINAL_TYPE (KwbMemoryView, kwb_memory_view, KWB, MEMORY_VIEW, GtkWidget)

GtkWidget *kwb_memory_view_new            (void);
/* MEMORY: the session's KwbMemory (refreshed by the window at each stop),
 * or NULL when there is no session. The expression and length typed in
 * the view carry over to the next session's model. */
void       kwb_memory_view_set_model      (KwbMemoryView *self,
                                           KwbMemory     *memory);
KwbMemory *kwb_memory_view_get_model      (KwbMemoryView *self);
/* As if typed and applied: shows EXPRESSION's memory now when the guest
 * is stopped, and at every stop after. */
void       kwb_memory_view_set_expression (KwbMemoryView *self,
                                           const char    *expression);
/* The dump as shown. */
char      *kwb_memory_view_dup_text       (KwbMemoryView *self);

G_END_DECLS
