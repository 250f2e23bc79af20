/* kwb-test-session.h — GUI tests on a real session: a project on the fixture kernel, waiting for stops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GUI tests that boot the fixture kernel share these: a project of
 * their own made with `kwb` (pointing at the fixture's kernel build and
 * initramfs, so the fixture project is never touched) and waits on the
 * session's state. Like kwb-test-gtk-utils, they turn the main loop.
 */
#pragma once

#include "kwb-test-gtk-utils.h"

G_BEGIN_DECLS

/* A new project in a temporary directory, on $KWB_FIXTURE_VMLINUX's build
 * and $KWB_FIXTURE_INITRAMFS, under TCG; fails when the fixture's variables
 * are not set (build-aux/fixtures exports them). */
char      *kwb_test_make_session_project (void);
/* A g_test_add_data_func() case running CHECK, a KwbTestWindowFunc, on a
 * window of its own at 1280x800 on such a project, in a subprocess. */
void       kwb_test_on_session_project   (gconstpointer       check);
/* Runs `kwb ARGS…` from the build tree and fails when it fails. */
void       kwb_test_run_kwb              (const char * const *args);
/* Until the session is stopped in a function whose name contains FUNC. */
void       kwb_test_wait_stopped_in      (KwbSession         *session,
                                          const char         *func);
void       kwb_test_wait_session_state   (KwbSession         *session,
                                          KwbSessionState     state);
/* A breakpoint at LOCATION, set in GDB. */
void       kwb_test_break_at             (KwbSession         *session,
                                          const char         *location);
/* The same with FLAGS (KWB_GDB_BREAK_HARDWARE: an hbreak). */
void       kwb_test_break_at_full        (KwbSession         *session,
                                          const char         *location,
                                          KwbGdbBreakFlags    flags);
/* What GDB itself says to COMMAND, not what our models say. */
char      *kwb_test_gdb_says             (KwbSession         *session,
                                          const char         *command);
/* Until the source tab in front is a file whose path ends with SUFFIX. */
void       kwb_test_wait_source_visible  (KwbWindow          *window,
                                          const char         *suffix,
                                          const char         *what);
/* The line of NEEDLE in PATH (1-based); fails when there is none. */
guint      kwb_test_find_line            (const char         *path,
                                          const char         *needle);
/* The serial console's text from the top of the scrollback to the cursor. */
char      *kwb_test_dup_terminal_text    (KwbWindow          *window);
/* Until that text holds NEEDLE. */
void       kwb_test_wait_terminal_shows  (KwbWindow          *window,
                                          const char         *needle,
                                          const char         *what);

/* Counts the window's kernel view refreshes (::kernel-view-refreshed) per
 * panel since its session's last stop. */
typedef struct _KwbTestRefreshes KwbTestRefreshes;

KwbTestRefreshes *kwb_test_refreshes_new   (KwbWindow        *window);
void              kwb_test_refreshes_free  (KwbTestRefreshes *self);
guint             kwb_test_refreshes_count (KwbTestRefreshes *self,
                                            const char       *id);
void              kwb_test_refreshes_wait  (KwbTestRefreshes *self,
                                            const char       *id);
void              kwb_test_show_kernel_panel (KwbTestRefreshes *self,
                                              const char       *id);

KwbTestRefreshes *kwb_test_run_to_stop   (KwbWindow        *window,
                                            const char       *func);
KwbTestRefreshes *kwb_test_run_to_screenshot_stop (KwbWindow *window);
/* At the screenshot stop: panel ID in front, refreshed, showing what it
 * is for (see kwb-test-session.c); fails when it would be shot empty. */
void              kwb_test_show_kernel_panel_content (KwbTestRefreshes *self,
                                                      const char       *id);
/* Whether the KwbKernelLogView's newest record is in its visible rows. */
gboolean          kwb_test_log_newest_on_screen (gpointer log_view);
/* Until the backtrace is listed and the stop's line is on screen. */
void              kwb_test_wait_stop_shown (KwbWindow        *window);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbTestRefreshes, kwb_test_refreshes_free)

G_END_DECLS
