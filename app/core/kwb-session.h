/* kwb-session.h — one debug session: a QEMU guest and the GDB attached to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-breakpoints.h"
#include "kwb-crash.h"
#include "kwb-frame.h"
#include "kwb-gdb.h"
#include "kwb-gdb-index.h"
#include "kwb-instruction.h"
#include "kwb-qemu.h"
#include "kwb-register.h"
#include "kwb-session-config.h"
#include "kwb-variable.h"

G_BEGIN_DECLS

#define KWB_SESSION_ERROR (kwb_session_error_quark ())

typedef enum {
  KWB_SESSION_ERROR_STATE,     /* the call does not fit the session's state */
  KWB_SESSION_ERROR_CONNECT,   /* GDB could not attach to QEMU's stub */
  KWB_SESSION_ERROR_FAILED,    /* the VM or GDB died */
  KWB_SESSION_ERROR_NO_DEBUG_REGISTER, /* all four x86 debug registers are taken */
} KwbSessionError;

typedef enum {
  KWB_SESSION_STATE_IDLE,
  KWB_SESSION_STATE_STARTING,
  KWB_SESSION_STATE_RUNNING,
  KWB_SESSION_STATE_STOPPED,
  KWB_SESSION_STATE_EXITED,
  KWB_SESSION_STATE_FAILED,
} KwbSessionState;

#define KWB_TYPE_SESSION (kwb_session_get_type ())
G_DECLARE_FINAL_TYPE (KwbSession, kwb_session, KWB, SESSION, GObject)

GQuark            kwb_session_error_quark          (void);
const char       *kwb_session_state_to_string      (KwbSessionState      state);

KwbSession       *kwb_session_new                  (KwbSessionConfig    *config);
KwbSessionConfig *kwb_session_get_config           (KwbSession          *self);
KwbSessionState   kwb_session_get_state            (KwbSession          *self);
const char       *kwb_session_get_failure_reason   (KwbSession          *self);
KwbQemu          *kwb_session_get_qemu             (KwbSession          *self);
/* NULL when debug.index-cache is off; "writing" while it is written. */
KwbGdbIndex      *kwb_session_get_gdb_index        (KwbSession          *self);
KwbBreakpoints   *kwb_session_get_breakpoints      (KwbSession          *self);
const KwbGdbStop *kwb_session_get_last_stop        (KwbSession          *self);
/* The expression of the watchpoint that made the last stop (kept: GDB
 * deletes one that went out of scope), or NULL. */
const char       *kwb_session_get_last_watch_expression (KwbSession     *self);
GListModel       *kwb_session_get_frames           (KwbSession          *self);
/* What crashed, while the guest is stopped at a crash (the project's
 * debug.stop-on-crash, debug.stop-on-warn); otherwise NULL. The stop's
 * reason is then kwb_crash_kind_to_string() of its kind. */
KwbCrash         *kwb_session_get_crash            (KwbSession          *self);
char             *kwb_session_dup_status_text      (KwbSession          *self);

/* Breakpoints to set before the guest runs (the project's own are added at
 * start anyway). Call before kwb_session_start_async(). */
void              kwb_session_add_initial_breakpoint (KwbSession        *self,
                                                      const char        *location);
/* The same as a hardware breakpoint (one of the four debug registers). */
void              kwb_session_add_initial_hardware_breakpoint (KwbSession *self,
                                                      const char        *location);
/* A watchpoint set before the guest runs, after the breakpoints. The
 * kernel's page tables are not there yet: GDB reads its old value as
 * "<unreadable>" until the first stop. */
void              kwb_session_add_initial_watchpoint (KwbSession        *self,
                                                      const char        *expression,
                                                      KwbGdbWatchKind    kind);
/* FALSE when something else (a terminal widget) reads the serial console's
 * PTY master: two readers would split the output. Call before start. */
void              kwb_session_set_console_watched  (KwbSession          *self,
                                                    gboolean             watched);
/* Keep the guest stopped after attaching even without a start breakpoint. */
void              kwb_session_set_stay_frozen      (KwbSession          *self,
                                                    gboolean             stay_frozen);

void              kwb_session_start_async          (KwbSession          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_start_finish         (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              kwb_session_stop_async           (KwbSession          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_stop_finish          (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Run control; the state follows from GDB's *running / *stopped. */
void              kwb_session_exec_async           (KwbSession          *self,
                                                    KwbGdbExec           what,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              kwb_session_run_to_async         (KwbSession          *self,
                                                    const char          *location,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_exec_finish          (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* Breakpoints work in every live state: while the guest runs the session
 * interrupts it, makes the change and continues, invisibly to the caller
 * (QEMU's stub has no non-stop mode). */
void              kwb_session_break_insert_async   (KwbSession          *self,
                                                    const char          *location,
                                                    KwbGdbBreakFlags     flags,
                                                    const char          *condition,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
KwbBreakpoint    *kwb_session_break_insert_finish  (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* A watchpoint on EXPRESSION (a variable, a member, *POINTER) in the
 * selected frame; refused when it would need more debug registers than are
 * free, or could only be watched in software. */
void              kwb_session_watch_async          (KwbSession          *self,
                                                    const char          *expression,
                                                    KwbGdbWatchKind      kind,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
KwbBreakpoint    *kwb_session_watch_finish         (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void              kwb_session_break_delete_async   (KwbSession          *self,
                                                    const char          *number,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              kwb_session_break_enable_async   (KwbSession          *self,
                                                    const char          *number,
                                                    gboolean             enabled,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_break_change_finish  (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* A GDB CLI command (lx-dmesg, p jiffies, info registers); while the guest
 * runs it is interrupted for the command and continued after. */
void              kwb_session_console_async        (KwbSession          *self,
                                                    const char          *command,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char             *kwb_session_console_finish       (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* What the guest looks like, for the debugger's panels: typed objects in
 * a GListModel, never GDB's records. Like breakpoint changes these go
 * through the session's queue, so they work in every live state (a running
 * guest is paused for them and continued after); the panels ask while the
 * guest is stopped, since a running guest's locals mean little. */

/* KwbFrame items, innermost first, their fullname the file on this machine. */
void              kwb_session_list_frames_async    (KwbSession          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GListModel       *kwb_session_list_frames_finish   (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The frame (0 innermost) whose variables are listed and in which
 * expressions are evaluated. */
void              kwb_session_select_frame_async   (KwbSession          *self,
                                                    guint                level,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_select_frame_finish  (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* KwbVariable items: the selected frame's arguments and locals. */
void              kwb_session_list_variables_async (KwbSession          *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GListModel       *kwb_session_list_variables_finish (KwbSession         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* KwbRegister items for NAMES, in that order (NULL: every register);
 * names the architecture does not have are left out. */
void              kwb_session_list_registers_async (KwbSession          *self,
                                                    const char * const  *names,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GListModel       *kwb_session_list_registers_finish (KwbSession         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* KwbInstruction items in [START, END), or of the whole function around
 * ADDRESS (an error where no function is known); one finish for both. */
void              kwb_session_disassemble_async    (KwbSession          *self,
                                                    guint64              start,
                                                    guint64              end,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
void              kwb_session_disassemble_function_async (KwbSession    *self,
                                                    guint64              address,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GListModel       *kwb_session_disassemble_finish   (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* A C expression in the selected frame ("jiffies", "current->pid"), as GDB
 * prints its value. */
void              kwb_session_evaluate_async       (KwbSession          *self,
                                                    const char          *expression,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char             *kwb_session_evaluate_finish      (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* LENGTH bytes of guest memory at ADDRESS (virtual, as GDB sees it) in one
 * MI round trip, all or nothing. Views that parse kernel structures read
 * whole arrays this way instead of asking GDB member by member. */
#define KWB_SESSION_READ_MEMORY_MAX (64u * 1024 * 1024)
void              kwb_session_read_memory_async    (KwbSession          *self,
                                                    guint64              address,
                                                    gsize                length,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GBytes           *kwb_session_read_memory_finish   (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

/* The file on this machine for a path from the debug information: as is when
 * it exists, else mapped into the project's source tree (the mapping is
 * remembered and given to GDB as substitute-path). NULL when not found. */
char             *kwb_session_map_source_path      (KwbSession          *self,
                                                    const char          *path);

/* The stopped guest's memory as an ELF core (QMP dump-guest-memory) that
 * crash and drgn read with vmlinux; see kwb-session-dump.c. */
#define KWB_SESSION_DUMP_ERROR (kwb_session_dump_error_quark ())

typedef enum {
  KWB_SESSION_DUMP_ERROR_UNSUPPORTED, /* QEMU refused dump-guest-memory */
  KWB_SESSION_DUMP_ERROR_NO_SPACE,    /* the disk filled up while QEMU wrote */
  KWB_SESSION_DUMP_ERROR_FAILED,      /* QEMU or the finishing touches failed */
} KwbSessionDumpError;

typedef void (*KwbSessionDumpProgress) (guint64  completed,
                                        guint64  total,
                                        gpointer user_data);

GQuark            kwb_session_dump_error_quark     (void);
char             *kwb_session_dup_default_dump_path (KwbSession        *self);
void              kwb_session_dump_memory_async    (KwbSession          *self,
                                                    const char          *path,
                                                    KwbSessionDumpProgress progress,
                                                    gpointer             progress_data,
                                                    GDestroyNotify       progress_notify,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          kwb_session_dump_memory_finish   (KwbSession          *self,
                                                    GAsyncResult        *result,
                                                    guint64             *size,
                                                    char               **build_id,
                                                    GError             **error);

G_END_DECLS
