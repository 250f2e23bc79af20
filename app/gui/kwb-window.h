/* kwb-window.h — the main window: run controls, sidebar, source, console, status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-application.h"
#include "kwb-breakpoints-page.h"
#include "kwb-console.h"
#include "kwb-frames-panel.h"
#include "kwb-project.h"
#include "kwb-quick-open.h"
#include "kwb-recordings-page.h"
#include "kwb-replay.h"
#include "kwb-session.h"
#include "kwb-source-view.h"
#include "kwb-timeline.h"

G_BEGIN_DECLS

/* Where a panel can live: the columns beside the source and the row below it. */
typedef enum {
  KWB_DOCK_START,
  KWB_DOCK_END,
  KWB_DOCK_BOTTOM,
  KWB_DOCK_N
} KwbDock;

#define KWB_TYPE_WINDOW (kwb_window_get_type ())
G_DECLARE_FINAL_TYPE (KwbWindow, kwb_window, KWB, WINDOW, AdwApplicationWindow)

KwbWindow  *kwb_window_new                 (KwbApplication *application);
gboolean    kwb_window_open_project        (KwbWindow      *self,
                                            const char     *directory,
                                            GError        **error);
void        kwb_window_show_project_error  (KwbWindow      *self,
                                            const GError   *error);
KwbProject *kwb_window_get_project         (KwbWindow      *self);
gboolean    kwb_window_has_project         (KwbWindow      *self);
/* Run controls enabled without a session: for checking their look. */
void        kwb_window_set_session_active  (KwbWindow      *self,
                                            gboolean        session_active);

/* The debug session. */
gboolean            kwb_window_start_session         (KwbWindow      *self);
KwbSession         *kwb_window_get_session           (KwbWindow      *self);
KwbSourceView      *kwb_window_open_source           (KwbWindow      *self,
                                                      const char     *path);
KwbSourceView      *kwb_window_get_visible_source    (KwbWindow      *self);
void                kwb_window_close_sources         (KwbWindow      *self);
const char         *kwb_window_get_current_location  (KwbWindow      *self,
                                                      guint          *line);
void                kwb_window_toggle_breakpoint     (KwbWindow      *self,
                                                      const char     *path,
                                                      guint           line);
void                kwb_window_ask_condition         (KwbWindow      *self,
                                                      const char     *path,
                                                      guint           line);
KwbQuickOpen       *kwb_window_quick_open            (KwbWindow      *self);
KwbConsole         *kwb_window_get_console           (KwbWindow      *self);
/* The session's recording or replay side; NULL for a live run. */
KwbReplay          *kwb_window_get_replay            (KwbWindow      *self);
KwbTimeline        *kwb_window_get_timeline          (KwbWindow      *self);
KwbRecordingsPage  *kwb_window_get_recordings_page   (KwbWindow      *self);
KwbFramesPanel     *kwb_window_get_frames_panel      (KwbWindow      *self);
KwbBreakpointsPage *kwb_window_get_breakpoints_page  (KwbWindow      *self);
const char         *kwb_window_get_last_toast        (KwbWindow      *self);

/* Panels ("breakpoints", "modules", "frames", "console") and their docks. */
void                kwb_window_show_panel            (KwbWindow      *self,
                                                      const char     *panel);
gboolean            kwb_window_move_panel            (KwbWindow      *self,
                                                      const char     *panel,
                                                      KwbDock         dock);
int                 kwb_window_get_panel_dock        (KwbWindow      *self,
                                                      const char     *panel);
gboolean            kwb_window_get_dock_shown        (KwbWindow      *self,
                                                      KwbDock         dock);
void                kwb_window_set_dock_shown        (KwbWindow      *self,
                                                      KwbDock         dock,
                                                      gboolean        shown);

/* The kernel views' panels ("log", …), each refreshed at a stop while on screen. */
char              **kwb_window_list_kernel_panels    (KwbWindow      *self);
gboolean            kwb_window_kernel_panel_is_current (KwbWindow    *self,
                                                        const char   *id);

G_END_DECLS
