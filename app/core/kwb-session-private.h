/* kwb-session-private.h — the session's GDB and its hooks, for core code only
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GUI and the CLI talk to GDB only through KwbSession's typed calls.
 * Core code that works on the halted guest itself (the module loader reads
 * `struct module` and runs add-symbol-file from its own breakpoints) needs
 * the GDB behind the session and the hooks below; tests use them too.
 */
#pragma once

#include "kwb-gdb.h"
#include "kwb-session.h"

G_BEGIN_DECLS

KwbGdb           *kwb_session_get_gdb              (KwbSession          *self);

/* The session's own breakpoints and watchpoints (module symbol loading):
 * see kwb-session.c. */
typedef void (*KwbSessionInternalFunc) (KwbSession       *session,
                                        const KwbGdbStop *stop,
                                        gpointer          user_data);

void              kwb_session_add_internal_breakpoint_async  (KwbSession             *self,
                                                              const char             *location,
                                                              KwbGdbBreakFlags        flags,
                                                              KwbSessionInternalFunc  func,
                                                              gpointer                func_data,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
char             *kwb_session_add_internal_breakpoint_finish (KwbSession             *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void              kwb_session_add_internal_watch_async       (KwbSession             *self,
                                                              const char             *expression,
                                                              KwbSessionInternalFunc  func,
                                                              gpointer                func_data,
                                                              GCancellable           *cancellable,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
void              kwb_session_remove_internal                (KwbSession             *self,
                                                              const char             *number);
void              kwb_session_internal_done                  (KwbSession             *self);
gboolean          kwb_session_get_in_internal                (KwbSession             *self);

/* Work on the attached guest before it first runs: see kwb-session.c. */
typedef void (*KwbSessionSetupFunc) (KwbSession *session,
                                     gpointer    user_data);

void              kwb_session_add_setup_func                 (KwbSession             *self,
                                                              KwbSessionSetupFunc     func,
                                                              gpointer                user_data);
void              kwb_session_setup_done                     (KwbSession             *self);

/* Watchpoints, checked before GDB gets them: see kwb-session-hardware.c. The
 * guest must be halted. */
void              kwb_session_insert_watch_async             (KwbSession             *self,
                                                              const char             *expression,
                                                              KwbGdbWatchKind         kind,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
KwbBreakpoint    *kwb_session_insert_watch_finish            (KwbSession             *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
/* FALSE, with KWB_SESSION_ERROR_NO_DEBUG_REGISTER, when NEEDED more debug
 * registers do not fit; WHAT names the breakpoint in the message. */
gboolean          kwb_session_check_hardware_slots           (KwbSession             *self,
                                                              guint                   needed,
                                                              const char             *what,
                                                              GError                **error);
/* A resume GDB aborted because software breakpoints could not be written
 * (KVM, unmapped memory): see kwb-session-hardware.c. */
GStrv             kwb_session_dup_uninsertable               (const char             *message);
gboolean          kwb_session_retry_with_hardware_async      (KwbSession             *self,
                                                              KwbGdbExec              what,
                                                              const char             *message,
                                                              GAsyncReadyCallback     callback,
                                                              gpointer                user_data);
gboolean          kwb_session_retry_with_hardware_finish     (KwbSession             *self,
                                                              GAsyncResult           *result,
                                                              GError                **error);
void              kwb_session_log_message                    (KwbSession             *self,
                                                              const char             *message);

/* Initial breakpoints GDB cannot resolve yet stay pending instead of
 * failing: set by the module follower, which loads the symbols they wait
 * for. Call before start. */
void              kwb_session_set_pending_allowed            (KwbSession             *self,
                                                              gboolean                allowed);

/* What the guest was last resumed with (continue, a reverse step…); a
 * replay takes snapshots only while it runs forwards. */
KwbGdbExec        kwb_session_get_resume_what                (KwbSession             *self);

/* Replaying: work before each step backwards, see kwb-session.c. */
typedef void (*KwbSessionReverseFunc) (KwbSession *session,
                                       KwbGdbExec  what,
                                       gpointer    user_data);

void              kwb_session_set_reverse_func               (KwbSession             *self,
                                                              KwbSessionReverseFunc   func,
                                                              gpointer                user_data);
void              kwb_session_reverse_ready                  (KwbSession             *self,
                                                              const GError           *error);

/* Crash stops: see kwb-session-crash.c. */
void              kwb_session_crash_setup                    (KwbSession             *session,
                                                              gpointer                user_data);
gboolean          kwb_session_crash_is_resume_command        (const char             *command);
void              kwb_session_report_crash                   (KwbSession             *self,
                                                              const KwbGdbStop       *stop,
                                                              KwbCrash               *crash,
                                                              const char             *restore,
                                                              guint                   first_level);

G_END_DECLS
