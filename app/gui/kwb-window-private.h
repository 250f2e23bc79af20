/* kwb-window-private.h — the main window's instance, shared by its files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KwbWindow spans three files, as gnome-text-editor's window does:
 * kwb-window.c (construction, template, source tabs, the session's life),
 * kwb-window-actions.c (one callback per win.* action),
 * kwb-window-dock.c (the docks the panels live in),
 * kwb-window-views.c (the kernel views' panels, refreshed at each stop) and
 * kwb-window-breakpoints.c (gutter clicks, breakpoint marks, conditions and
 * the breakpoints kept before a session runs) and kwb-window-replay.c
 * (recording a run, replaying it, its timeline and recordings list). What
 * they share is here.
 */
#pragma once

#include "kwb-window.h"
#include "kwb-modules-page.h"
#include "kwb-crash-banner.h"
#include "kwb-recordings-page.h"
#include "kwb-timeline.h"

G_BEGIN_DECLS

struct _KwbWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  KwbProject           *project;

  KwbSession           *session;
  KwbModules           *modules;
  KwbSourceView        *current_view;   /* weak: the tab with the stop mark */
  KwbSourceView        *disassembly;    /* weak */
  GPtrArray            *pending_breakpoints; /* FILE:LINE set before a session */
  guint                 stop_generation;
  gboolean              restart_pending;
  gboolean              session_active; /* run controls without a session */
  char                 *last_toast;
  gboolean              dock_shown[KWB_DOCK_N];
  int                   pending_end_width;     /* applied once allocated */
  int                   pending_bottom_height;
  GPtrArray            *panels;         /* every dock's panels, by id (kwb-window-dock.c) */
  GPtrArray            *kernel_panels;  /* the kernel views (kwb-window-views.c) */
  guint                 views_generation; /* counts stops, for the kernel views */
  char                 *dump_path;      /* the memory dump being written (kwb-window-actions.c) */
  AdwToast             *dump_toast;     /* its progress */
  KwbReplay            *replay;         /* the session's recording or replay; NULL for a live run */
  gboolean              creating_recording; /* hashing the kernel before a recorded session */
  gint64                return_to;      /* a cancelled step back: where the replay started again goes; -1 */
  char                 *return_to_dir;  /* and the recording it was in */
  KwbRecordingsPage    *recordings_page;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  KwbCrashBanner       *crash_banner;
  GtkStack             *source_area;
  GtkNotebook          *source_tabs;
  KwbConsole           *console;
  GtkWidget            *console_status;
  KwbFramesPanel       *frames_panel;
  GtkNotebook          *docks[KWB_DOCK_N];
  GtkPaned             *end_paned;
  GtkPaned             *content_paned;
  GtkWidget            *console_area;
  KwbBreakpointsPage   *breakpoints_sidebar;
  KwbModulesPage       *modules_sidebar;
  AdwWindowTitle       *window_title;
  GtkPaned             *main_paned;
  AdwStatusPage        *source_status;
  GtkLabel             *status_label;
  GtkWidget            *reverse_controls;
  GtkWidget            *interrupt_button;
  GtkRevealer          *replay_bar;
  GtkLabel             *replay_title;
  KwbTimeline          *timeline;
  GtkLabel             *replay_position;
};

/* kwb-window.c */
void           _kwb_window_toast                   (KwbWindow      *self,
                                                    const char     *message);
gboolean       _kwb_window_session_is_live         (KwbWindow      *self);
void           _kwb_window_update_run_actions      (KwbWindow      *self);
/* RESTART: start a new session once this one has ended. */
void           _kwb_window_stop_session            (KwbWindow      *self,
                                                    gboolean        restart);

/* Starts CONFIG's session; RECORDING: it records into, or replays, that. */
void           _kwb_window_begin_session           (KwbWindow        *self,
                                                    KwbSessionConfig *config,
                                                    KwbRecording     *recording);
/* The session has stopped (ERROR: how stopping failed); a restart asked for starts now. */
void           _kwb_window_session_ended           (KwbWindow      *self,
                                                    const GError   *error);

/* kwb-window-actions.c */
void           _kwb_window_class_actions_init      (KwbWindowClass *klass);

/* kwb-window-dock.c */
void           _kwb_window_dock_init               (KwbWindow      *self);
void           _kwb_window_dock_add_panel          (KwbWindow      *self,
                                                    const char     *id,
                                                    const char     *title,
                                                    GtkWidget      *widget,
                                                    KwbDock         dock);
void           _kwb_window_dock_save               (KwbWindow      *self);

/* kwb-window-views.c */
void           _kwb_window_views_init              (KwbWindow      *self);
void           _kwb_window_views_set_session       (KwbWindow      *self,
                                                    KwbSession     *session);
void           _kwb_window_views_stopped           (KwbWindow      *self);
void           _kwb_window_views_dispose           (KwbWindow      *self);

/* kwb-window-replay.c */
void           _kwb_window_class_replay_init       (KwbWindowClass *klass);
void           _kwb_window_replay_init             (KwbWindow      *self);
void           _kwb_window_replay_set_project      (KwbWindow      *self);
/* The record toggle is on: makes the recording, then begins the session;
 * FALSE (with a toast) when it cannot. */
gboolean       _kwb_window_replay_start_recording  (KwbWindow        *self,
                                                    KwbSessionConfig *config);
/* The session just made (self->replay set or NULL): the replay's bar, the
 * console's input, the reverse controls. */
void           _kwb_window_replay_session_changed  (KwbWindow      *self);
void           _kwb_window_replay_update_actions   (KwbWindow      *self);
void           _kwb_window_replay_going_back       (KwbWindow      *self);
gboolean       _kwb_window_replay_cancel_going_back (KwbWindow *self);
void           _kwb_window_replay_stopped          (KwbWindow      *self);

/* kwb-window-breakpoints.c */
void           _kwb_window_breakpoints_init        (KwbWindow      *self);
void           _kwb_window_breakpoints_set_session (KwbWindow      *self,
                                                    KwbSession     *session);
void           _kwb_window_watch_view              (KwbWindow      *self,
                                                    KwbSourceView  *view);
void           _kwb_window_refresh_breakpoint_marks (KwbWindow     *self);
void           _kwb_window_breakpoint_add          (KwbWindow      *self,
                                                    const char     *path,
                                                    guint           line,
                                                    KwbGdbBreakFlags flags);
void           _kwb_window_breakpoint_delete       (KwbWindow      *self,
                                                    const char     *path,
                                                    guint           line);
void           _kwb_window_breakpoint_set_enabled  (KwbWindow      *self,
                                                    const char     *path,
                                                    guint           line,
                                                    gboolean        enabled);
/* win.watch-expression "(ss)": (EXPRESSION, "write"|"read"|"access"). */
void           _kwb_window_watch_expression_action (GtkWidget      *widget,
                                                    const char     *action_name,
                                                    GVariant       *parameter);

G_END_DECLS
