/* kwb-breakpoints-page.h — the sidebar's breakpoint list, bound to the session's model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_TYPE_BREAKPOINTS_PAGE (kwb_breakpoints_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbBreakpointsPage, kwb_breakpoints_page, KWB, BREAKPOINTS_PAGE, GtkWidget)

void        kwb_breakpoints_page_set_session  (KwbBreakpointsPage *self,
                                               KwbSession         *session);
void        kwb_breakpoints_page_set_n_waiting (KwbBreakpointsPage *self,
                                                guint               n_waiting);
GListModel *kwb_breakpoints_page_get_model    (KwbBreakpointsPage *self);
/* The rows' actions, as their switch and delete button call them. */
void        kwb_breakpoints_page_set_enabled  (KwbBreakpointsPage *self,
                                               KwbBreakpoint      *breakpoint,
                                               gboolean            enabled);
void        kwb_breakpoints_page_delete       (KwbBreakpointsPage *self,
                                               KwbBreakpoint      *breakpoint);

G_END_DECLS
