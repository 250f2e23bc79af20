/* kwb-gdb.h — drive one `gdb --interpreter=mi3` process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-mi-record.h"

G_BEGIN_DECLS

#define KWB_GDB_ERROR (kwb_gdb_error_quark ())

typedef enum {
  KWB_GDB_ERROR_FAILED,            /* GDB answered ^error: the message is GDB's msg */
  KWB_GDB_ERROR_UNDEFINED_COMMAND, /* ^error,code="undefined-command" */
  KWB_GDB_ERROR_EXITED,            /* GDB exited or was killed before answering */
  KWB_GDB_ERROR_NOT_RUNNING,       /* kwb_gdb_start() was not called, or GDB is gone */
  KWB_GDB_ERROR_INVALID,           /* the command cannot be sent (a newline in it) */
} KwbGdbError;

typedef enum {
  KWB_GDB_STREAM_CONSOLE,  /* ~ what the CLI would print */
  KWB_GDB_STREAM_TARGET,   /* @ the target's output (e.g. monitor commands) */
  KWB_GDB_STREAM_LOG,      /* & GDB's own messages, echoed commands */
  KWB_GDB_STREAM_STDERR,   /* GDB's stderr */
  KWB_GDB_STREAM_OTHER,    /* a stdout line that is not MI: an inferior sharing GDB's stdout */
} KwbGdbStream;

typedef enum {
  KWB_GDB_EXEC_CONTINUE,
  KWB_GDB_EXEC_INTERRUPT,
  KWB_GDB_EXEC_STEP,
  KWB_GDB_EXEC_NEXT,
  KWB_GDB_EXEC_FINISH,
  KWB_GDB_EXEC_STEP_INSTRUCTION,
  KWB_GDB_EXEC_NEXT_INSTRUCTION,
  KWB_GDB_EXEC_RUN,
  /* Backwards through a recorded run (QEMU replay): MI's --reverse. */
  KWB_GDB_EXEC_REVERSE_CONTINUE,
  KWB_GDB_EXEC_REVERSE_STEP,
  KWB_GDB_EXEC_REVERSE_NEXT,
  KWB_GDB_EXEC_REVERSE_FINISH,
  KWB_GDB_EXEC_REVERSE_STEP_INSTRUCTION,
} KwbGdbExec;

/* TRUE for the KWB_GDB_EXEC_REVERSE_ kinds. */
gboolean      kwb_gdb_exec_is_reverse      (KwbGdbExec           what);
/* The GDB command a user types for WHAT ("reverse-next"), and back: FALSE
 * for a name that is no run-control command. */
const char   *kwb_gdb_exec_to_string       (KwbGdbExec           what);
gboolean      kwb_gdb_exec_from_string     (const char          *name,
                                            KwbGdbExec          *what);

typedef enum {
  KWB_GDB_BREAK_NONE      = 0,
  KWB_GDB_BREAK_HARDWARE  = 1 << 0, /* -h: needed for early kernel code under KVM */
  KWB_GDB_BREAK_TEMPORARY = 1 << 1, /* -t */
  KWB_GDB_BREAK_DISABLED  = 1 << 2, /* -d */
  KWB_GDB_BREAK_PENDING   = 1 << 3, /* -f: keep it if the location is not known yet */
} KwbGdbBreakFlags;

/* What a watchpoint stops on (-break-watch, -break-watch -r, -break-watch -a). */
typedef enum {
  KWB_GDB_WATCH_WRITE,
  KWB_GDB_WATCH_READ,
  KWB_GDB_WATCH_ACCESS,
} KwbGdbWatchKind;

/* What a *stopped record says, picked out once. The strings are borrowed
 * from RECORD (NULL when GDB did not say); line, bkptno, exit_code are -1
 * then, addr 0. */
typedef struct {
  KwbMiRecord *record;
  const char  *reason;       /* "breakpoint-hit", "end-stepping-range", "signal-received", … */
  const char  *thread_id;
  const char  *func;
  const char  *file;
  const char  *fullname;
  int          line;
  guint64      addr;
  int          bkptno;
  const char  *signal_name;
  int          exit_code;
  /* A watchpoint stop ("watchpoint-trigger", "read-watchpoint-trigger",
   * "access-watchpoint-trigger", "watchpoint-scope"): the first watchpoint
   * GDB names (one stop can trigger several), its expression, and the
   * value as GDB printed it: old and new for a write, new alone for a read
   * or an access that did not change it. watch_number is -1 otherwise. */
  int          watch_number;
  const char  *watch_expression;
  const char  *value_old;
  const char  *value_new;
} KwbGdbStop;

#define KWB_TYPE_GDB_STOP (kwb_gdb_stop_get_type ())
GType        kwb_gdb_stop_get_type  (void) G_GNUC_CONST;
KwbGdbStop  *kwb_gdb_stop_new       (KwbMiRecord      *record);
KwbGdbStop  *kwb_gdb_stop_copy      (const KwbGdbStop *stop);
void         kwb_gdb_stop_free      (KwbGdbStop       *stop);
/* TRUE for the stops of a watchpoint, "watchpoint-scope" included. */
gboolean     kwb_gdb_stop_is_watchpoint (const KwbGdbStop *stop);
/* What the watchpoint stop did: KWB_GDB_WATCH_WRITE for "watchpoint-trigger"
 * and "watchpoint-scope". */
KwbGdbWatchKind kwb_gdb_stop_get_watch_kind (const KwbGdbStop *stop);
/* The pointer argument NAME of the stopped frame, as GDB printed it in the
 * stop ("0xffff… <sym>"): FALSE when GDB did not print it or it is not a
 * number (optimised out, another print frame-arguments setting). */
gboolean     kwb_gdb_stop_get_pointer_arg (const KwbGdbStop *stop,
                                           const char       *name,
                                           guint64          *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbGdbStop, kwb_gdb_stop_free)

#define KWB_TYPE_GDB (kwb_gdb_get_type ())

G_DECLARE_FINAL_TYPE (KwbGdb, kwb_gdb, KWB, GDB, GObject)

GQuark        kwb_gdb_error_quark          (void);

/* PROGRAM: NULL for "gdb". EXTRA_ARGS go after `--interpreter=mi3 -nx -q`,
 * e.g. { "-iex", "add-auto-load-safe-path /build", NULL }. */
KwbGdb       *kwb_gdb_new                  (const char          *program,
                                            const char * const  *extra_args);
/* Starts GDB (from the main thread: see kwb-spawn.c). */
gboolean      kwb_gdb_start                (KwbGdb              *self,
                                            GError             **error);
gboolean      kwb_gdb_get_running          (KwbGdb              *self);
/* Kills GDB and everything in its process group (its inferiors). `exited`
 * follows from the main loop; pending commands fail. */
void          kwb_gdb_kill                 (KwbGdb              *self);
GPid          kwb_gdb_get_pid              (KwbGdb              *self);
/* The last bytes GDB wrote on stderr (bounded). */
char         *kwb_gdb_dup_stderr_log       (KwbGdb              *self);
char         *kwb_gdb_dup_transcript       (KwbGdb              *self);

/* A c-string for an MI argument: "…" with \ " and control bytes escaped.
 * Paths with spaces, quotes, backslashes and UTF-8 all survive. */
char         *kwb_gdb_quote                (const char          *text);

/* One argument of a GDB CLI command whose arguments GDB splits with
 * gdb_buildargv (libiberty's buildargv: blanks separate, '…' and "…" group,
 * a backslash takes the next byte as it is): `set substitute-path FROM TO`,
 * `add-symbol-file FILE ADDR …`, `file FILE`, `directory DIR`. The result
 * is TEXT itself when it holds only letters, digits and /._+-:@%=, else
 * "…" with only \ and " escaped, so every byte survives: spaces, both
 * quotes, backslashes, commas, UTF-8, even tabs and newlines. It is not for
 * commands that take the rest of the line verbatim (`target remote`,
 * `add-auto-load-safe-path`, `set index-cache directory`): there the quotes
 * would become part of the value. A FILE that begins with "-" or "~" is
 * still read as an option or expanded: pass absolute paths.
 *
 * Sending the command through kwb_gdb_console_async() (MI's
 * `-interpreter-exec console "…"`) quotes the whole line once more, as an
 * MI c-string: the caller builds the CLI line with this helper and leaves
 * that outer quoting to kwb_gdb_console_async(). MI commands such as
 * -file-exec-and-symbols take a c-string: use kwb_gdb_quote() for those. */
char         *kwb_gdb_quote_cli_argument   (const char          *text);
/* `set substitute-path FROM TO`, both quoted with kwb_gdb_quote_cli_argument(),
 * for kwb_gdb_console_async(). */
char         *kwb_gdb_dup_substitute_path_command (const char   *from,
                                                   const char   *to);

/* Sends "TOKEN" + the formatted MI command (e.g. "-break-insert %s" with a
 * kwb_gdb_quote()d location). The result is the ^done/^running/^connected/
 * ^exit record, or a KWB_GDB_ERROR with GDB's msg. Cancelling completes
 * the call with G_IO_ERROR_CANCELLED at once; GDB's reply is dropped. */
void          kwb_gdb_command_async        (KwbGdb              *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            const char          *format,
                                            ...) G_GNUC_PRINTF (5, 6);
KwbMiRecord  *kwb_gdb_command_finish       (KwbGdb              *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Helpers; those without a _finish of their own finish with
 * kwb_gdb_command_finish(). */
void          kwb_gdb_file_load_async      (KwbGdb              *self,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* TARGET: a socket path (QEMU's -gdb unix:path=…) or host:port, sent as it
 * is (GDB takes the rest of the line verbatim, spaces included). */
void          kwb_gdb_target_remote_async  (KwbGdb              *self,
                                            const char          *target,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* LOCATION is a linespec: "start_kernel", "*0xffffffff81000000",
 * "file.c:12". The record's "bkpt" holds the breakpoint (number,
 * locations, …). For a file path use kwb_gdb_break_insert_line_async:
 * linespecs cannot hold every path (a comma ends them). */
void          kwb_gdb_break_insert_async   (KwbGdb              *self,
                                            const char          *location,
                                            KwbGdbBreakFlags     flags,
                                            const char          *condition,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* An explicit location (--source FILE --line LINE): any path works. */
void          kwb_gdb_break_insert_line_async (KwbGdb           *self,
                                            const char          *file,
                                            guint                line,
                                            KwbGdbBreakFlags     flags,
                                            const char          *condition,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* -break-watch [-r|-a] EXPRESSION. GDB answers with only the number
 * (wpt/hw-rwpt/hw-awpt={number,exp}): ask -break-info NUMBER for the rest.
 * Finish with kwb_gdb_command_finish(). */
void          kwb_gdb_break_watch_async    (KwbGdb              *self,
                                            const char          *expression,
                                            KwbGdbWatchKind      kind,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* -break-info NUMBER: the record's "BreakpointTable.body.0" is its bkpt. */
void          kwb_gdb_break_info_async     (KwbGdb              *self,
                                            const char          *number,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_break_delete_async   (KwbGdb              *self,
                                            const char          *number,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_break_enable_async   (KwbGdb              *self,
                                            const char          *number,
                                            gboolean             enabled,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_break_condition_async (KwbGdb             *self,
                                            const char          *number,
                                            const char          *condition,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_exec_async           (KwbGdb              *self,
                                            KwbGdbExec           what,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_exec_until_async     (KwbGdb              *self,
                                            const char          *location,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* The backtrace of the selected thread, outermost last: a GPtrArray of
 * KwbFrame whose fullname is the path as GDB knows it. */
void          kwb_gdb_list_frames_async    (KwbGdb              *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray    *kwb_gdb_list_frames_finish   (KwbGdb              *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Makes frame LEVEL (0 innermost) the one variables are read from;
 * finish with kwb_gdb_command_finish(). */
void          kwb_gdb_select_frame_async   (KwbGdb              *self,
                                            guint                level,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
/* The locals and arguments of the selected frame: a GPtrArray of
 * KwbVariable (structs and arrays without a value, only a type). */
void          kwb_gdb_list_variables_async (KwbGdb              *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray    *kwb_gdb_list_variables_finish (KwbGdb             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* NAMES: the registers wanted, in the order wanted ("rip", "rsp", …); names
 * the architecture does not have are left out. NULL: every register. A
 * GPtrArray of KwbRegister with hexadecimal values. */
void          kwb_gdb_list_registers_async (KwbGdb              *self,
                                            const char * const  *names,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray    *kwb_gdb_list_registers_finish (KwbGdb             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* The instructions in [START, END), or of the whole function around
 * ADDRESS (an error when no function is known there): a GPtrArray of
 * KwbInstruction either way, finished with kwb_gdb_disassemble_finish(). */
void          kwb_gdb_disassemble_async    (KwbGdb              *self,
                                            guint64              start,
                                            guint64              end,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
void          kwb_gdb_disassemble_function_async (KwbGdb        *self,
                                            guint64              address,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray    *kwb_gdb_disassemble_finish   (KwbGdb              *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void          kwb_gdb_evaluate_async       (KwbGdb              *self,
                                            const char          *expression,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char         *kwb_gdb_evaluate_finish      (KwbGdb              *self,
                                            GAsyncResult        *result,
                                            GError             **error);
/* Runs a CLI command (`info registers`, `add-symbol-file …`) and returns
 * the console text GDB printed for it. */
void          kwb_gdb_console_async        (KwbGdb              *self,
                                            const char          *command,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char         *kwb_gdb_console_finish       (KwbGdb              *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
