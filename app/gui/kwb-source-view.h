/* kwb-source-view.h — one source file (or a disassembly) with breakpoint and stop marks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum {
  KWB_BREAKPOINT_MARK_NONE,
  KWB_BREAKPOINT_MARK_ENABLED,
  KWB_BREAKPOINT_MARK_DISABLED,
  KWB_BREAKPOINT_MARK_PENDING,
} KwbBreakpointMark;

#define KWB_TYPE_SOURCE_VIEW (kwb_source_view_get_type ())
G_DECLARE_FINAL_TYPE (KwbSourceView, kwb_source_view, KWB, SOURCE_VIEW, GtkWidget)

KwbSourceView     *kwb_source_view_new_for_file        (const char        *path,
                                                        GError           **error);
KwbSourceView     *kwb_source_view_new_for_text        (const char        *title,
                                                        const char        *text);
const char        *kwb_source_view_get_path            (KwbSourceView     *self);
const char        *kwb_source_view_get_title           (KwbSourceView     *self);
void               kwb_source_view_set_text            (KwbSourceView     *self,
                                                        const char        *text);
const char        *kwb_source_view_get_language_id     (KwbSourceView     *self);
GtkWidget         *kwb_source_view_get_text_view       (KwbSourceView     *self);
guint              kwb_source_view_get_n_lines         (KwbSourceView     *self);
char              *kwb_source_view_dup_line_text       (KwbSourceView     *self,
                                                        guint              line);

void               kwb_source_view_scroll_to_line      (KwbSourceView     *self,
                                                        guint              line);
void               kwb_source_view_set_current_line    (KwbSourceView     *self,
                                                        guint              line);
guint              kwb_source_view_get_current_line    (KwbSourceView     *self);
guint              kwb_source_view_get_cursor_line     (KwbSourceView     *self);
gboolean           kwb_source_view_line_is_visible     (KwbSourceView     *self,
                                                        guint              line);

void               kwb_source_view_clear_breakpoint_marks (KwbSourceView  *self);
void               kwb_source_view_add_breakpoint_mark (KwbSourceView     *self,
                                                        guint              line,
                                                        KwbBreakpointMark  mark);
KwbBreakpointMark  kwb_source_view_get_breakpoint_mark (KwbSourceView     *self,
                                                        guint              line);
gboolean           kwb_source_view_get_hit_mark        (KwbSourceView     *self);

/* What a click in the gutter does (the gesture calls exactly this). */
void               kwb_source_view_activate_line       (KwbSourceView     *self,
                                                        guint              line,
                                                        guint              button);
void               kwb_source_view_popup_menu          (KwbSourceView     *self,
                                                        guint              line,
                                                        GMenuModel        *menu);
/* What the context menu's "Stop When Written" would watch. */
char              *kwb_source_view_dup_watch_expression (KwbSourceView    *self);

G_END_DECLS
