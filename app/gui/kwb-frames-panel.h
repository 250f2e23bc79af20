/* kwb-frames-panel.h — backtrace, locals and registers of the stopped guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-frame.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_TYPE_FRAMES_PANEL (kwb_frames_panel_get_type ())
G_DECLARE_FINAL_TYPE (KwbFramesPanel, kwb_frames_panel, KWB, FRAMES_PANEL, GtkWidget)

void      kwb_frames_panel_set_session    (KwbFramesPanel *self,
                                           KwbSession     *session);
/* What activating a backtrace row does: GDB selects the frame, locals and
 * registers follow, ::frame-activated tells the window to show its line. */
void      kwb_frames_panel_select_frame   (KwbFramesPanel *self,
                                           guint           level);
guint     kwb_frames_panel_get_selected_level (KwbFramesPanel *self);
char     *kwb_frames_panel_dup_locals_text    (KwbFramesPanel *self);
char     *kwb_frames_panel_dup_registers_text (KwbFramesPanel *self);
/* Shows FRAMES (KwbFrame items: another task's stack, not GDB's) under
 * TITLE in place of the stopped CPU's backtrace, until the next stop or
 * kwb_frames_panel_show_stopped_frames(); activating one shows its line
 * without asking GDB to select it. */
void      kwb_frames_panel_show_frames    (KwbFramesPanel *self,
                                           const char     *title,
                                           GListModel     *frames);
void      kwb_frames_panel_show_stopped_frames (KwbFramesPanel *self);
/* The title of the frames shown instead, or NULL. */
const char *kwb_frames_panel_get_frames_title (KwbFramesPanel *self);
/* "backtrace", "locals" or "registers" */
void      kwb_frames_panel_show_page      (KwbFramesPanel *self,
                                           const char     *name);

G_END_DECLS
