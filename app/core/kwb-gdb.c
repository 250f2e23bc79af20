/* kwb-gdb.c — drive one `gdb --interpreter=mi3` process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every command goes out as "TOKEN-command\n" with a fresh token; the
 * ^result carrying that token completes its GTask. GDB executes commands in
 * order, so the ~console records that arrive while a command is the oldest
 * one pending are its output (how kwb_gdb_console_async collects text).
 *
 * Nothing may hang: stdout and stderr are read without blocking from the
 * main loop; writes are queued and written asynchronously; when GDB exits
 * (even killed, even if an inferior still holds the stdout pipe open, so no
 * EOF ever comes) the process watch drains what is left in the pipe, fails
 * every pending command with KWB_GDB_ERROR_EXITED and emits `exited`.
 *
 * The helpers at the end turn GDB's answers into typed objects (KwbFrame,
 * KwbVariable, KwbRegister, KwbInstruction): this is the one file that
 * reads MI for them, which is why it is longer than most.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include "kwb-console-window.h"
#include "kwb-enums.h"
#include "kwb-frame.h"
#include "kwb-gdb.h"
#include "kwb-instruction.h"
#include "kwb-register.h"
#include "kwb-variable.h"
#include "kwb-mi-parser.h"
#include "kwb-spawn.h"

#define STDERR_LOG_MAX (16 * 1024)
#define READ_SIZE      (64 * 1024)
/* After GDB died: what a pipe can hold (64 KiB) many times over, bounded
 * in case something else still writes into it. */
#define DRAIN_READS    256

typedef struct {
  KwbGdb   *gdb;          /* unowned: the task holds a ref */
  GTask    *task;         /* unowned: the task owns this struct */
  guint64   token;
  char     *command;
  GString  *console;
  GSource  *cancel_source;
  gboolean  done;
} Pending;

struct _KwbGdb {
  GObject        parent_instance;

  char          *program;
  char         **extra_args;

  GSubprocess   *process;
  GPid           pid;
  GOutputStream *stdin_pipe;
  GInputStream  *stdout_pipe;
  GInputStream  *stderr_pipe;
  GSource       *stdout_source;
  GSource       *stderr_source;
  GCancellable  *cancellable;   /* our own work: writes, the process watch */
  KwbMiParser   *parser;
  char          *read_buffer;

  GByteArray    *outbox;        /* commands waiting for the pipe */
  GBytes        *writing;       /* what write_all_async is writing */
  guint64        next_token;
  /* A resume that answered ^running can still fail: GDB inserts the
   * breakpoints after, and on failure sends a second result with the same
   * token (^error,msg="Command aborted."), its reasons as & lines before. */
  guint64        resume_token;
  GString       *resume_log;
  GHashTable    *pending;       /* token → Pending */
  GQueue         order;         /* Pending in the order sent */
  GString       *stderr_log;
  KwbConsoleWindow *transcript; /* the last of what went each way: see kwb_gdb_dup_transcript() */

  guint          started : 1;
  guint          resuming : 1;  /* resume_token answered ^running, no *stopped yet */
  guint          gone : 1;      /* GDB exited; everything is failed */
};

enum {
  PROP_0,
  PROP_PROGRAM,
  PROP_EXTRA_ARGS,
  PROP_RUNNING,
  N_PROPS
};

enum {
  RECORD_RECEIVED,
  STOPPED,
  RUNNING,
  BREAKPOINT_CREATED,
  BREAKPOINT_MODIFIED,
  BREAKPOINT_DELETED,
  STREAM,
  EXITED,
  RESUME_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KwbGdb, kwb_gdb, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-gdb-error-quark, kwb_gdb_error)
G_DEFINE_BOXED_TYPE (KwbGdbStop, kwb_gdb_stop, kwb_gdb_stop_copy, kwb_gdb_stop_free)

/* KwbGdbStop ------------------------------------------------------------ */

/* One stop can trigger a read and an access watchpoint together; GDB then
 * repeats reason= and value= after each watchpoint tuple, so the keys are
 * read in order, not by path: the first watchpoint and the value after it. */
static void
parse_watch (KwbGdbStop       *stop,
             const KwbMiValue *results)
{
  static const char * const tuples[] = { "wpt", "hw-rwpt", "hw-awpt" };
  guint n = kwb_mi_value_get_n_children (results);

  stop->watch_number = -1;
  if (g_strcmp0 (stop->reason, "watchpoint-scope") == 0)
    {
      stop->watch_number = (int) kwb_mi_value_get_int (results, "wpnum", -1);
      return;
    }
  if (stop->reason == NULL || !g_str_has_suffix (stop->reason, "watchpoint-trigger"))
    return;
  for (guint i = 0; i < n; i++)
    {
      const KwbMiValue *child = kwb_mi_value_get_nth (results, i);
      const char *key = kwb_mi_value_get_key (child);

      if (key == NULL || !g_strv_contains (tuples, key) ||
          kwb_mi_value_get_kind (child) != KWB_MI_VALUE_TUPLE)
        continue;
      stop->watch_number = (int) kwb_mi_value_get_int (child, "number", -1);
      stop->watch_expression = kwb_mi_value_get_string (child, "exp");
      for (guint j = i + 1; j < n; j++)
        {
          const KwbMiValue *value = kwb_mi_value_get_nth (results, j);

          if (g_strcmp0 (kwb_mi_value_get_key (value), "value") != 0)
            continue;
          stop->value_old = kwb_mi_value_get_string (value, "old");
          stop->value_new = kwb_mi_value_get_string (value, "new");
          if (stop->value_new == NULL)
            stop->value_new = kwb_mi_value_get_string (value, "value");
          break;
        }
      return;
    }
}

KwbGdbStop *
kwb_gdb_stop_new (KwbMiRecord *record)
{
  KwbGdbStop *stop = g_new0 (KwbGdbStop, 1);

  stop->record = kwb_mi_record_ref (record);
  stop->reason = kwb_mi_record_get_string (record, "reason");
  stop->thread_id = kwb_mi_record_get_string (record, "thread-id");
  stop->func = kwb_mi_record_get_string (record, "frame.func");
  stop->file = kwb_mi_record_get_string (record, "frame.file");
  stop->fullname = kwb_mi_record_get_string (record, "frame.fullname");
  stop->line = (int) kwb_mi_record_get_int (record, "frame.line", -1);
  if (!kwb_mi_value_get_uint64 (kwb_mi_record_get_results (record), "frame.addr", &stop->addr))
    stop->addr = 0;
  stop->bkptno = (int) kwb_mi_record_get_int (record, "bkptno", -1);
  stop->signal_name = kwb_mi_record_get_string (record, "signal-name");
  stop->exit_code = (int) kwb_mi_record_get_int (record, "exit-code", -1);
  parse_watch (stop, kwb_mi_record_get_results (record));
  return stop;
}

gboolean
kwb_gdb_stop_is_watchpoint (const KwbGdbStop *stop)
{
  g_return_val_if_fail (stop != NULL, FALSE);
  return stop->watch_number >= 0;
}

KwbGdbWatchKind
kwb_gdb_stop_get_watch_kind (const KwbGdbStop *stop)
{
  g_return_val_if_fail (stop != NULL, KWB_GDB_WATCH_WRITE);
  if (g_strcmp0 (stop->reason, "read-watchpoint-trigger") == 0)
    return KWB_GDB_WATCH_READ;
  if (g_strcmp0 (stop->reason, "access-watchpoint-trigger") == 0)
    return KWB_GDB_WATCH_ACCESS;
  return KWB_GDB_WATCH_WRITE;
}

gboolean
kwb_gdb_stop_get_pointer_arg (const KwbGdbStop *stop,
                              const char       *name,
                              guint64          *out)
{
  const KwbMiValue *args;

  g_return_val_if_fail (stop != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  args = kwb_mi_record_get (stop->record, "frame.args");
  for (guint i = 0; args != NULL && i < kwb_mi_value_get_n_children (args); i++)
    {
      const KwbMiValue *arg = kwb_mi_value_get_nth (args, i);
      const char *value = kwb_mi_value_get_string (arg, "value");
      char *end = NULL;
      guint64 number;

      if (g_strcmp0 (kwb_mi_value_get_string (arg, "name"), name) != 0 || value == NULL)
        continue;
      if (!g_str_has_prefix (value, "0x"))
        return FALSE;
      errno = 0;
      number = g_ascii_strtoull (value + 2, &end, 16);
      if (errno != 0 || end == value + 2 || (*end != '\0' && *end != ' '))
        return FALSE;
      *out = number;
      return TRUE;
    }
  return FALSE;
}

KwbGdbStop *
kwb_gdb_stop_copy (const KwbGdbStop *stop)
{
  KwbGdbStop *copy = g_memdup2 (stop, sizeof *stop);

  kwb_mi_record_ref (copy->record);
  return copy;
}

void
kwb_gdb_stop_free (KwbGdbStop *stop)
{
  if (stop == NULL)
    return;
  kwb_mi_record_unref (stop->record);
  g_free (stop);
}

/* Pending commands ------------------------------------------------------ */

static void
pending_free (gpointer data)
{
  Pending *p = data;

  if (p->cancel_source != NULL)
    {
      g_source_destroy (p->cancel_source);
      g_source_unref (p->cancel_source);
    }
  g_free (p->command);
  if (p->console != NULL)
    g_string_free (p->console, TRUE);
  g_free (p);
}

/* Takes P out of the tables; the caller then returns its task. */
static void
pending_detach (KwbGdb  *self,
                Pending *p)
{
  p->done = TRUE;
  g_hash_table_remove (self->pending, &p->token);
  g_queue_remove (&self->order, p);
  if (p->cancel_source != NULL)
    g_source_destroy (p->cancel_source);
}

static void
pending_fail (KwbGdb  *self,
              Pending *p,
              GError  *error)
{
  GTask *task = p->task;

  pending_detach (self, p);
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
pending_complete (KwbGdb      *self,
                  Pending     *p,
                  KwbMiRecord *record)
{
  GTask *task = p->task;

  pending_detach (self, p);
  if (kwb_mi_record_is_class (record, "error"))
    {
      const char *msg = kwb_mi_record_get_string (record, "msg");
      const char *code = kwb_mi_record_get_string (record, "code");

      g_task_return_new_error (task, KWB_GDB_ERROR,
                               g_strcmp0 (code, "undefined-command") == 0
                                 ? KWB_GDB_ERROR_UNDEFINED_COMMAND : KWB_GDB_ERROR_FAILED,
                               "%s", msg ? msg : _("GDB reported an error without a message"));
    }
  else
    g_task_return_pointer (task, kwb_mi_record_ref (record), (GDestroyNotify) kwb_mi_record_unref);
  g_object_unref (task);
}

static gboolean
pending_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  Pending *p = user_data;

  if (!p->done)
    pending_fail (p->gdb, p, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _("The GDB command was cancelled")));
  return G_SOURCE_REMOVE;
}

/* Records ---------------------------------------------------------------- */

static void
emit_stream (KwbGdb       *self,
             KwbGdbStream  kind,
             const char   *text)
{
  g_signal_emit (self, signals[STREAM], 0, kind, text);
}

static void
dispatch_record (KwbMiRecord *record,
                 gpointer     user_data)
{
  KwbGdb *self = user_data;
  KwbMiRecordType type = kwb_mi_record_get_record_type (record);

  g_signal_emit (self, signals[RECORD_RECEIVED], 0, record);

  switch (type)
    {
    case KWB_MI_RECORD_RESULT:
      if (kwb_mi_record_has_token (record))
        {
          guint64 token = kwb_mi_record_get_token (record);
          Pending *p = g_hash_table_lookup (self->pending, &token);

          if (self->resuming && token == self->resume_token && kwb_mi_record_is_class (record, "error"))
            {
              const char *msg = kwb_mi_record_get_string (record, "msg");

              self->resuming = FALSE;
              g_string_append (self->resume_log, msg ? msg : "");
              g_signal_emit (self, signals[RESUME_FAILED], 0, self->resume_log->str);
              break;
            }
          if (kwb_mi_record_is_class (record, "running"))
            {
              self->resuming = TRUE;
              self->resume_token = token;
              g_string_truncate (self->resume_log, 0);
            }
          /* No entry: a cancelled command, whose reply is dropped. */
          if (p != NULL)
            pending_complete (self, p, record);
        }
      break;

    case KWB_MI_RECORD_EXEC:
      if (kwb_mi_record_is_class (record, "stopped"))
        {
          g_autoptr(KwbGdbStop) stop = kwb_gdb_stop_new (record);

          self->resuming = FALSE;
          g_signal_emit (self, signals[STOPPED], 0, stop);
        }
      else if (kwb_mi_record_is_class (record, "running"))
        g_signal_emit (self, signals[RUNNING], 0, kwb_mi_record_get_string (record, "thread-id"));
      break;

    case KWB_MI_RECORD_NOTIFY:
      if (kwb_mi_record_is_class (record, "breakpoint-created"))
        g_signal_emit (self, signals[BREAKPOINT_CREATED], 0, record);
      else if (kwb_mi_record_is_class (record, "breakpoint-modified"))
        g_signal_emit (self, signals[BREAKPOINT_MODIFIED], 0, record);
      else if (kwb_mi_record_is_class (record, "breakpoint-deleted"))
        g_signal_emit (self, signals[BREAKPOINT_DELETED], 0, kwb_mi_record_get_string (record, "id"));
      break;

    case KWB_MI_RECORD_CONSOLE:
      {
        Pending *oldest = g_queue_peek_head (&self->order);
        gsize len;
        const char *text = kwb_mi_record_get_text (record, &len);

        if (oldest != NULL && oldest->console != NULL)
          g_string_append_len (oldest->console, text, (gssize) len);
        emit_stream (self, KWB_GDB_STREAM_CONSOLE, text);
      }
      break;

    case KWB_MI_RECORD_TARGET:
      emit_stream (self, KWB_GDB_STREAM_TARGET, kwb_mi_record_get_text (record, NULL));
      break;

    case KWB_MI_RECORD_LOG:
      if (self->resuming && self->resume_log->len < 64 * 1024)
        g_string_append (self->resume_log, kwb_mi_record_get_text (record, NULL));
      emit_stream (self, KWB_GDB_STREAM_LOG, kwb_mi_record_get_text (record, NULL));
      break;

    case KWB_MI_RECORD_ERROR:
      emit_stream (self, KWB_GDB_STREAM_OTHER, kwb_mi_record_get_text (record, NULL));
      break;

    case KWB_MI_RECORD_STATUS:
    case KWB_MI_RECORD_PROMPT:
    default:
      break;
    }
}

/* Reading ---------------------------------------------------------------- */

/* Reads what is there without blocking, at most MAX_READS times.
 * FALSE at EOF or on error. */
static gboolean
read_available (KwbGdb       *self,
                GInputStream *stream,
                guint         max_reads)
{
  for (guint i = 0; i < max_reads; i++)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (stream),
                                                           self->read_buffer, READ_SIZE,
                                                           NULL, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return TRUE;
      if (n <= 0)
        return FALSE;

      if (stream == self->stdout_pipe)
        {
          kwb_console_window_append (self->transcript, self->read_buffer, (gsize) n);
          kwb_mi_parser_feed (self->parser, self->read_buffer, (gsize) n, dispatch_record, self);
        }
      else
        {
          g_autofree char *text = g_strndup (self->read_buffer, (gsize) n);

          g_string_append_len (self->stderr_log, self->read_buffer, n);
          if (self->stderr_log->len > STDERR_LOG_MAX)
            g_string_erase (self->stderr_log, 0, (gssize) (self->stderr_log->len - STDERR_LOG_MAX));
          emit_stream (self, KWB_GDB_STREAM_STDERR, text);
        }
    }
  return TRUE;
}

static gboolean
stdout_ready_cb (GObject  *stream,
                 gpointer  user_data)
{
  g_autoptr(KwbGdb) self = g_object_ref (user_data);

  if (!read_available (self, self->stdout_pipe, 1))
    {
      kwb_mi_parser_finish (self->parser, dispatch_record, self);
      g_clear_pointer (&self->stdout_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
stderr_ready_cb (GObject  *stream,
                 gpointer  user_data)
{
  g_autoptr(KwbGdb) self = g_object_ref (user_data);

  if (!read_available (self, self->stderr_pipe, 1))
    {
      g_clear_pointer (&self->stderr_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static GSource *
watch_stream (KwbGdb             *self,
              GInputStream       *stream,
              GPollableSourceFunc func)
{
  GSource *source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (stream), NULL);

  g_source_set_callback (source, G_SOURCE_FUNC (func), self, NULL);
  g_source_attach (source, g_main_context_get_thread_default ());
  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* GDB is gone ------------------------------------------------------------ */

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  KwbGdb *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *last_words = NULL;
  GSubprocess *process = G_SUBPROCESS (object);
  int status;

  /* USER_DATA is not a reference (it would keep a running GDB alive
   * forever); dispose cancels the wait, so on error it may be gone. */
  if (!g_subprocess_wait_finish (process, result, &error))
    return;
  self = g_object_ref (user_data);

  /* Its inferiors (same process group) must not outlive it, nor keep
   * writing into the pipe we are about to drain. */
  if (self->pid > 0)
    kill (-self->pid, SIGKILL);

  /* Whatever GDB wrote before it died is in the pipes now. */
  if (self->stdout_source != NULL)
    {
      read_available (self, self->stdout_pipe, DRAIN_READS);
      kwb_mi_parser_finish (self->parser, dispatch_record, self);
    }
  if (self->stderr_source != NULL)
    read_available (self, self->stderr_pipe, DRAIN_READS);
  clear_source (&self->stdout_source);
  clear_source (&self->stderr_source);

  if (g_subprocess_get_if_exited (process))
    status = g_subprocess_get_exit_status (process);
  else
    status = 128 + g_subprocess_get_term_sig (process);

  self->gone = TRUE;
  g_cancellable_cancel (self->cancellable);

  last_words = g_strstrip (g_strdup (self->stderr_log->str));
  while (!g_queue_is_empty (&self->order))
    {
      Pending *p = g_queue_peek_head (&self->order);
      GError *failure;

      if (*last_words != '\0')
        failure = g_error_new (KWB_GDB_ERROR, KWB_GDB_ERROR_EXITED,
                               _("GDB exited (status %d) before answering “%s”. Its last message: %s"),
                               status, p->command, last_words);
      else
        failure = g_error_new (KWB_GDB_ERROR, KWB_GDB_ERROR_EXITED,
                               _("GDB exited (status %d) before answering “%s”"),
                               status, p->command);
      pending_fail (self, p, failure);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_signal_emit (self, signals[EXITED], 0, status);
  g_object_unref (self);
}

/* Writing ---------------------------------------------------------------- */

static void flush_outbox (KwbGdb *self);

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  KwbGdb *self = user_data; /* not a reference: see wait_cb */
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->writing, g_bytes_unref);
  /* A broken pipe means GDB died: wait_cb reports that. */
  if (error != NULL)
    {
      g_debug ("Cannot write to GDB: %s", error->message);
      return;
    }
  flush_outbox (self);
}

static void
flush_outbox (KwbGdb *self)
{
  gsize len;
  gconstpointer data;

  if (self->writing != NULL || self->outbox->len == 0 || self->gone)
    return;
  self->writing = g_byte_array_free_to_bytes (g_steal_pointer (&self->outbox));
  self->outbox = g_byte_array_new ();
  data = g_bytes_get_data (self->writing, &len);
  g_output_stream_write_all_async (self->stdin_pipe, data, len, G_PRIORITY_DEFAULT,
                                   self->cancellable, write_cb, self);
}

/* Commands ---------------------------------------------------------------- */

static void
send_command (KwbGdb              *self,
              char                *command, /* owned */
              gboolean             collect_console,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *line = NULL;
  Pending *p;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (!self->started || self->gone)
    {
      g_task_return_new_error (task, KWB_GDB_ERROR, KWB_GDB_ERROR_NOT_RUNNING,
                               _("Cannot send “%s”: GDB is not running"), command);
      g_free (command);
      return;
    }
  if (strpbrk (command, "\r\n") != NULL)
    {
      g_task_return_new_error (task, KWB_GDB_ERROR, KWB_GDB_ERROR_INVALID,
                               _("Cannot send a GDB command with a line break in it: “%s”. "
                                 "Quote arguments with kwb_gdb_quote()"), command);
      g_free (command);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      g_free (command);
      return;
    }

  p = g_new0 (Pending, 1);
  p->gdb = self;
  p->task = task;
  p->token = self->next_token++;
  p->command = command;
  if (collect_console)
    p->console = g_string_new (NULL);
  g_task_set_task_data (task, p, pending_free);

  if (cancellable != NULL)
    {
      p->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (p->cancel_source, G_SOURCE_FUNC (pending_cancelled_cb), p, NULL);
      g_source_attach (p->cancel_source, g_main_context_get_thread_default ());
    }

  g_hash_table_insert (self->pending, &p->token, p);
  g_queue_push_tail (&self->order, p);

  line = g_strdup_printf ("%" G_GUINT64_FORMAT "%s\n", p->token, command);
  g_byte_array_append (self->outbox, (const guint8 *) line, (guint) strlen (line));
  kwb_console_window_append (self->transcript, "> ", 2);
  kwb_console_window_append (self->transcript, line, strlen (line));
  /* The pending table now holds the task until GDB answers. */
  g_steal_pointer (&task);
  flush_outbox (self);
}

void
kwb_gdb_command_async (KwbGdb              *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data,
                       const char          *format,
                       ...)
{
  va_list args;
  char *command;

  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (format != NULL && format[0] == '-');

  va_start (args, format);
  command = g_strdup_vprintf (format, args);
  va_end (args);

  send_command (self, command, FALSE, (gpointer) kwb_gdb_command_async, cancellable, callback, user_data);
}

KwbMiRecord *
kwb_gdb_command_finish (KwbGdb        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (KWB_IS_GDB (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
kwb_gdb_quote (const char *text)
{
  GString *out = g_string_sized_new (strlen (text) + 2);

  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        default:
          /* GDB's MI reader takes other bytes, UTF-8 included, as they are;
           * only control bytes need an octal escape. */
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\%03o", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* Bytes buildargv never treats specially. */
#define PLAIN_CLI_ARGUMENT G_CSET_a_2_z G_CSET_A_2_Z G_CSET_DIGITS "/._+-:@%="

char *
kwb_gdb_quote_cli_argument (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  /* A plain path reads better in logs as it is. */
  if (text[0] != '\0' && strspn (text, PLAIN_CLI_ARGUMENT) == strlen (text))
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 2);
  /* buildargv keeps every byte between double quotes but a backslash,
   * which takes the next byte literally: escaping \ and " is enough. */
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
kwb_gdb_dup_substitute_path_command (const char *from,
                                     const char *to)
{
  g_autofree char *quoted_from = NULL;
  g_autofree char *quoted_to = NULL;

  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  quoted_from = kwb_gdb_quote_cli_argument (from);
  quoted_to = kwb_gdb_quote_cli_argument (to);
  return g_strdup_printf ("set substitute-path %s %s", quoted_from, quoted_to);
}

/* Helpers ------------------------------------------------------------------ */

static void
send_printf (KwbGdb              *self,
             gpointer             source_tag,
             gboolean             collect_console,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             const char          *format,
             ...) G_GNUC_PRINTF (7, 8);

static void
send_printf (KwbGdb              *self,
             gpointer             source_tag,
             gboolean             collect_console,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             const char          *format,
             ...)
{
  va_list args;
  char *command;

  va_start (args, format);
  command = g_strdup_vprintf (format, args);
  va_end (args);
  send_command (self, command, collect_console, source_tag, cancellable, callback, user_data);
}

void
kwb_gdb_file_load_async (KwbGdb              *self,
                         const char          *path,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *quoted = kwb_gdb_quote (path);

  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_file_load_async, FALSE, cancellable, callback, user_data,
               "-file-exec-and-symbols %s", quoted);
}

void
kwb_gdb_target_remote_async (KwbGdb              *self,
                             const char          *target,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  /* Not quoted: -target-select hands the rest of the line to the CLI's
   * `target remote`, which takes it verbatim (spaces included) and would
   * keep the quotes as part of the socket path. */
  send_printf (self, kwb_gdb_target_remote_async, FALSE, cancellable, callback, user_data,
               "-target-select remote %s", target);
}

static GString *
break_insert_options (KwbGdbBreakFlags  flags,
                      const char       *condition)
{
  GString *command = g_string_new ("-break-insert");

  if (flags & KWB_GDB_BREAK_HARDWARE)
    g_string_append (command, " -h");
  if (flags & KWB_GDB_BREAK_TEMPORARY)
    g_string_append (command, " -t");
  if (flags & KWB_GDB_BREAK_DISABLED)
    g_string_append (command, " -d");
  if (flags & KWB_GDB_BREAK_PENDING)
    g_string_append (command, " -f");
  if (condition != NULL && *condition != '\0')
    {
      g_autofree char *quoted_condition = kwb_gdb_quote (condition);

      g_string_append_printf (command, " -c %s", quoted_condition);
    }
  return command;
}

void
kwb_gdb_break_insert_async (KwbGdb              *self,
                            const char          *location,
                            KwbGdbBreakFlags     flags,
                            const char          *condition,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GString) command = NULL;
  g_autofree char *quoted = NULL;

  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (location != NULL);

  command = break_insert_options (flags, condition);
  quoted = kwb_gdb_quote (location);
  /* "--" so that a location starting with '-' is not taken for an option. */
  g_string_append_printf (command, " -- %s", quoted);
  send_command (self, g_string_free (g_steal_pointer (&command), FALSE), FALSE,
                kwb_gdb_break_insert_async, cancellable, callback, user_data);
}

void
kwb_gdb_break_insert_line_async (KwbGdb              *self,
                                 const char          *file,
                                 guint                line,
                                 KwbGdbBreakFlags     flags,
                                 const char          *condition,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GString) command = NULL;
  g_autofree char *quoted = NULL;

  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (file != NULL);

  command = break_insert_options (flags, condition);
  quoted = kwb_gdb_quote (file);
  g_string_append_printf (command, " --source %s --line %u", quoted, line);
  send_command (self, g_string_free (g_steal_pointer (&command), FALSE), FALSE,
                kwb_gdb_break_insert_line_async, cancellable, callback, user_data);
}

static gboolean is_breakpoint_number (const char *number);

void
kwb_gdb_break_watch_async (KwbGdb              *self,
                           const char          *expression,
                           KwbGdbWatchKind      kind,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  static const char * const options[] = { "", " -r", " -a" };
  g_autofree char *quoted = NULL;

  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (expression != NULL);
  g_return_if_fail (kind <= KWB_GDB_WATCH_ACCESS);

  quoted = kwb_gdb_quote (expression);
  send_printf (self, kwb_gdb_break_watch_async, FALSE, cancellable, callback, user_data,
               "-break-watch%s %s", options[kind], quoted);
}

void
kwb_gdb_break_info_async (KwbGdb              *self,
                          const char          *number,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (is_breakpoint_number (number));
  send_printf (self, kwb_gdb_break_info_async, FALSE, cancellable, callback, user_data,
               "-break-info %s", number);
}

static gboolean
is_breakpoint_number (const char *number)
{
  if (number == NULL || *number == '\0')
    return FALSE;
  for (const char *p = number; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && *p != '.')
      return FALSE;
  return TRUE;
}

void
kwb_gdb_break_delete_async (KwbGdb              *self,
                            const char          *number,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (is_breakpoint_number (number));
  send_printf (self, kwb_gdb_break_delete_async, FALSE, cancellable, callback, user_data,
               "-break-delete %s", number);
}

void
kwb_gdb_break_enable_async (KwbGdb              *self,
                            const char          *number,
                            gboolean             enabled,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (is_breakpoint_number (number));
  send_printf (self, kwb_gdb_break_enable_async, FALSE, cancellable, callback, user_data,
               "%s %s", enabled ? "-break-enable" : "-break-disable", number);
}

void
kwb_gdb_break_condition_async (KwbGdb              *self,
                               const char          *number,
                               const char          *condition,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  g_return_if_fail (is_breakpoint_number (number));
  /* -break-condition takes the rest of the line as the expression: an
   * unquoted expression, which must then have no line break. */
  send_printf (self, kwb_gdb_break_condition_async, FALSE, cancellable, callback, user_data,
               "-break-condition %s %s", number, condition ? condition : "");
}

static const char * const exec_names[] = {
  [KWB_GDB_EXEC_CONTINUE] = "continue",
  [KWB_GDB_EXEC_INTERRUPT] = "interrupt",
  [KWB_GDB_EXEC_STEP] = "step",
  [KWB_GDB_EXEC_NEXT] = "next",
  [KWB_GDB_EXEC_FINISH] = "finish",
  [KWB_GDB_EXEC_STEP_INSTRUCTION] = "stepi",
  [KWB_GDB_EXEC_NEXT_INSTRUCTION] = "nexti",
  [KWB_GDB_EXEC_RUN] = "run",
  [KWB_GDB_EXEC_REVERSE_CONTINUE] = "reverse-continue",
  [KWB_GDB_EXEC_REVERSE_STEP] = "reverse-step",
  [KWB_GDB_EXEC_REVERSE_NEXT] = "reverse-next",
  [KWB_GDB_EXEC_REVERSE_FINISH] = "reverse-finish",
  [KWB_GDB_EXEC_REVERSE_STEP_INSTRUCTION] = "reverse-stepi",
};

gboolean
kwb_gdb_exec_is_reverse (KwbGdbExec what)
{
  return what >= KWB_GDB_EXEC_REVERSE_CONTINUE && what <= KWB_GDB_EXEC_REVERSE_STEP_INSTRUCTION;
}

const char *
kwb_gdb_exec_to_string (KwbGdbExec what)
{
  g_return_val_if_fail ((guint) what < G_N_ELEMENTS (exec_names), NULL);
  return exec_names[what];
}

gboolean
kwb_gdb_exec_from_string (const char *name,
                          KwbGdbExec *what)
{
  g_return_val_if_fail (what != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (exec_names); i++)
    if (g_str_equal (name, exec_names[i]))
      {
        *what = (KwbGdbExec) i;
        return TRUE;
      }
  return FALSE;
}

void
kwb_gdb_exec_async (KwbGdb              *self,
                    KwbGdbExec           what,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  const char *command;

  g_return_if_fail (KWB_IS_GDB (self));

  switch (what)
    {
    case KWB_GDB_EXEC_CONTINUE:         command = "-exec-continue"; break;
    case KWB_GDB_EXEC_INTERRUPT:        command = "-exec-interrupt"; break;
    case KWB_GDB_EXEC_STEP:             command = "-exec-step"; break;
    case KWB_GDB_EXEC_NEXT:             command = "-exec-next"; break;
    case KWB_GDB_EXEC_FINISH:           command = "-exec-finish"; break;
    case KWB_GDB_EXEC_STEP_INSTRUCTION: command = "-exec-step-instruction"; break;
    case KWB_GDB_EXEC_NEXT_INSTRUCTION: command = "-exec-next-instruction"; break;
    case KWB_GDB_EXEC_RUN:              command = "-exec-run"; break;
    case KWB_GDB_EXEC_REVERSE_CONTINUE: command = "-exec-continue --reverse"; break;
    case KWB_GDB_EXEC_REVERSE_STEP:     command = "-exec-step --reverse"; break;
    case KWB_GDB_EXEC_REVERSE_NEXT:     command = "-exec-next --reverse"; break;
    case KWB_GDB_EXEC_REVERSE_FINISH:   command = "-exec-finish --reverse"; break;
    case KWB_GDB_EXEC_REVERSE_STEP_INSTRUCTION: command = "-exec-step-instruction --reverse"; break;
    default:
      g_return_if_reached ();
    }
  send_command (self, g_strdup (command), FALSE, kwb_gdb_exec_async, cancellable, callback, user_data);
}

void
kwb_gdb_exec_until_async (KwbGdb              *self,
                          const char          *location,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autofree char *quoted = location ? kwb_gdb_quote (location) : NULL;

  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_exec_until_async, FALSE, cancellable, callback, user_data,
               "-exec-until%s%s", quoted ? " " : "", quoted ? quoted : "");
}

void
kwb_gdb_list_frames_async (KwbGdb              *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  send_command (self, g_strdup ("-stack-list-frames"), FALSE,
                kwb_gdb_list_frames_async, cancellable, callback, user_data);
}

/* What a typed helper's task returned, checked to come from SOURCE_TAG. */
static gpointer
propagate_checked (KwbGdb        *self,
                  GAsyncResult  *result,
                  gpointer       source_tag,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static guint64
value_get_address (const KwbMiValue *value,
                   const char       *path)
{
  guint64 address = 0;

  if (!kwb_mi_value_get_uint64 (value, path, &address))
    return 0;
  return address;
}

GPtrArray *
kwb_gdb_list_frames_finish (KwbGdb        *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(KwbMiRecord) record = propagate_checked (self, result, kwb_gdb_list_frames_async, error);
  const KwbMiValue *stack;
  GPtrArray *frames;

  if (record == NULL)
    return NULL;
  frames = g_ptr_array_new_with_free_func (g_object_unref);
  stack = kwb_mi_record_get (record, "stack");
  for (guint i = 0; stack != NULL && i < kwb_mi_value_get_n_children (stack); i++)
    {
      const KwbMiValue *frame = kwb_mi_value_get_nth (stack, i);

      g_ptr_array_add (frames, kwb_frame_new ((guint) kwb_mi_value_get_int (frame, "level", 0),
                                              kwb_mi_value_get_string (frame, "func"),
                                              kwb_mi_value_get_string (frame, "file"),
                                              kwb_mi_value_get_string (frame, "fullname"),
                                              (guint) kwb_mi_value_get_int (frame, "line", 0),
                                              value_get_address (frame, "addr")));
    }
  return frames;
}

void
kwb_gdb_select_frame_async (KwbGdb              *self,
                            guint                level,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_select_frame_async, FALSE, cancellable, callback, user_data,
               "-stack-select-frame %u", level);
}

void
kwb_gdb_list_variables_async (KwbGdb              *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  /* --simple-values: scalars get a value; structs and arrays only a type,
   * so a huge kernel struct does not come over the pipe on every stop. */
  send_command (self, g_strdup ("-stack-list-variables --simple-values"), FALSE,
                kwb_gdb_list_variables_async, cancellable, callback, user_data);
}

GPtrArray *
kwb_gdb_list_variables_finish (KwbGdb        *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autoptr(KwbMiRecord) record = propagate_checked (self, result, kwb_gdb_list_variables_async, error);
  const KwbMiValue *variables;
  GPtrArray *list;

  if (record == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func (g_object_unref);
  variables = kwb_mi_record_get (record, "variables");
  for (guint i = 0; variables != NULL && i < kwb_mi_value_get_n_children (variables); i++)
    {
      const KwbMiValue *v = kwb_mi_value_get_nth (variables, i);

      g_ptr_array_add (list, kwb_variable_new (kwb_mi_value_get_string (v, "name"),
                                               kwb_mi_value_get_string (v, "type"),
                                               kwb_mi_value_get_string (v, "value"),
                                               kwb_mi_value_get_string (v, "arg") != NULL));
    }
  return list;
}

/* Registers take two commands: MI names them by number, and the numbers
 * are the architecture's (the names say which number is which). */
typedef struct {
  GStrv       wanted;   /* NULL: all */
  GPtrArray  *names;    /* GDB's numbering; "" for gaps */
} RegistersData;

static void
registers_data_free (gpointer data)
{
  RegistersData *rd = data;

  g_strfreev (rd->wanted);
  g_clear_pointer (&rd->names, g_ptr_array_unref);
  g_free (rd);
}

static void
register_values_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RegistersData *rd = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GHashTable) by_number = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) registers = g_ptr_array_new_with_free_func (g_object_unref);
  const KwbMiValue *values;
  GError *error = NULL;

  if ((record = kwb_gdb_command_finish (KWB_GDB (object), result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  values = kwb_mi_record_get (record, "register-values");
  for (guint i = 0; values != NULL && i < kwb_mi_value_get_n_children (values); i++)
    {
      const KwbMiValue *v = kwb_mi_value_get_nth (values, i);
      gint64 number = kwb_mi_value_get_int (v, "number", -1);

      if (number < 0 || (guint64) number >= rd->names->len)
        continue;
      if (rd->wanted == NULL)
        g_ptr_array_add (registers, kwb_register_new ((guint) number, g_ptr_array_index (rd->names, number),
                                                      kwb_mi_value_get_string (v, "value")));
      else
        g_hash_table_insert (by_number, GUINT_TO_POINTER ((guint) number), (gpointer) v);
    }
  for (guint i = 0; rd->wanted != NULL && rd->wanted[i] != NULL; i++)
    for (guint n = 0; n < rd->names->len; n++)
      if (g_str_equal (g_ptr_array_index (rd->names, n), rd->wanted[i]))
        {
          const KwbMiValue *v = g_hash_table_lookup (by_number, GUINT_TO_POINTER (n));

          if (v != NULL)
            g_ptr_array_add (registers, kwb_register_new (n, rd->wanted[i], kwb_mi_value_get_string (v, "value")));
          break;
        }
  g_task_return_pointer (task, g_steal_pointer (&registers), (GDestroyNotify) g_ptr_array_unref);
}

static void
register_names_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbGdb *self = KWB_GDB (object);
  RegistersData *rd = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GString) command = g_string_new ("-data-list-register-values x");
  const KwbMiValue *names;
  GCancellable *cancellable;
  guint n_wanted = 0;
  GError *error = NULL;

  if ((record = kwb_gdb_command_finish (self, result, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  names = kwb_mi_record_get (record, "register-names");
  rd->names = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; names != NULL && i < kwb_mi_value_get_n_children (names); i++)
    {
      const char *name = kwb_mi_value_get_string (kwb_mi_value_get_nth (names, i), NULL);

      g_ptr_array_add (rd->names, g_strdup (name ? name : ""));
      if (rd->wanted != NULL && name != NULL && *name != '\0' &&
          g_strv_contains ((const char * const *) rd->wanted, name))
        {
          g_string_append_printf (command, " %u", i);
          n_wanted++;
        }
    }
  if (rd->wanted != NULL && n_wanted == 0)
    {
      /* None of them exists here: an empty answer, not every register. */
      g_task_return_pointer (task, g_ptr_array_new_with_free_func (g_object_unref),
                             (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  send_command (self, g_string_free (g_steal_pointer (&command), FALSE), FALSE,
                kwb_gdb_list_registers_async, cancellable, register_values_cb, g_steal_pointer (&task));
}

void
kwb_gdb_list_registers_async (KwbGdb              *self,
                              const char * const  *names,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  RegistersData *rd;

  g_return_if_fail (KWB_IS_GDB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_gdb_list_registers_async);
  rd = g_new0 (RegistersData, 1);
  rd->wanted = g_strdupv ((char **) names);
  g_task_set_task_data (task, rd, registers_data_free);
  send_command (self, g_strdup ("-data-list-register-names"), FALSE, kwb_gdb_list_registers_async,
                cancellable, register_names_cb, task);
}

GPtrArray *
kwb_gdb_list_registers_finish (KwbGdb        *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return propagate_checked (self, result, kwb_gdb_list_registers_async, error);
}

void
kwb_gdb_disassemble_async (KwbGdb              *self,
                           guint64              start,
                           guint64              end,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_disassemble_async, FALSE, cancellable, callback, user_data,
               "-data-disassemble -s 0x%" G_GINT64_MODIFIER "x -e 0x%" G_GINT64_MODIFIER "x -- 0",
               start, end);
}

void
kwb_gdb_disassemble_function_async (KwbGdb              *self,
                                    guint64              address,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_disassemble_async, FALSE, cancellable, callback, user_data,
               "-data-disassemble -a 0x%" G_GINT64_MODIFIER "x -- 0", address);
}

GPtrArray *
kwb_gdb_disassemble_finish (KwbGdb        *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_autoptr(KwbMiRecord) record = propagate_checked (self, result, kwb_gdb_disassemble_async, error);
  const KwbMiValue *insns;
  GPtrArray *list;

  if (record == NULL)
    return NULL;
  list = g_ptr_array_new_with_free_func (g_object_unref);
  insns = kwb_mi_record_get (record, "asm_insns");
  for (guint i = 0; insns != NULL && i < kwb_mi_value_get_n_children (insns); i++)
    {
      const KwbMiValue *insn = kwb_mi_value_get_nth (insns, i);

      g_ptr_array_add (list, kwb_instruction_new (value_get_address (insn, "address"),
                                                  kwb_mi_value_get_string (insn, "func-name"),
                                                  (guint) kwb_mi_value_get_int (insn, "offset", 0),
                                                  kwb_mi_value_get_string (insn, "inst")));
    }
  return list;
}

void
kwb_gdb_evaluate_async (KwbGdb              *self,
                        const char          *expression,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autofree char *quoted = kwb_gdb_quote (expression);

  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_evaluate_async, FALSE, cancellable, callback, user_data,
               "-data-evaluate-expression %s", quoted);
}

char *
kwb_gdb_evaluate_finish (KwbGdb        *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(KwbMiRecord) record = NULL;
  const char *value;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_gdb_evaluate_async, NULL);

  if ((record = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  value = kwb_mi_record_get_string (record, "value");
  if (value == NULL)
    {
      g_set_error (error, KWB_GDB_ERROR, KWB_GDB_ERROR_FAILED,
                   _("GDB evaluated the expression but returned no value"));
      return NULL;
    }
  return g_strdup (value);
}

void
kwb_gdb_console_async (KwbGdb              *self,
                       const char          *command,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autofree char *quoted = kwb_gdb_quote (command);

  g_return_if_fail (KWB_IS_GDB (self));
  send_printf (self, kwb_gdb_console_async, TRUE, cancellable, callback, user_data,
               "-interpreter-exec console %s", quoted);
}

char *
kwb_gdb_console_finish (KwbGdb        *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_autoptr(KwbMiRecord) record = NULL;
  Pending *p;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_gdb_console_async, NULL);

  if ((record = g_task_propagate_pointer (G_TASK (result), error)) == NULL)
    return NULL;
  p = g_task_get_task_data (G_TASK (result));
  return g_strdup (p->console->str);
}

/* Life cycle ---------------------------------------------------------------- */

KwbGdb *
kwb_gdb_new (const char         *program,
             const char * const *extra_args)
{
  return g_object_new (KWB_TYPE_GDB,
                       "program", program,
                       "extra-args", extra_args,
                       NULL);
}

gboolean
kwb_gdb_start (KwbGdb  *self,
               GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;

  g_return_val_if_fail (KWB_IS_GDB (self), FALSE);
  g_return_val_if_fail (!self->started, FALSE);

  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, self->program);
  g_ptr_array_add (argv, (gpointer) "--interpreter=mi3");
  g_ptr_array_add (argv, (gpointer) "-nx");
  g_ptr_array_add (argv, (gpointer) "-q");
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                     G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* GDB's own messages in English, whatever the user's locale. */
  g_subprocess_launcher_setenv (launcher, "LC_MESSAGES", "C", TRUE);
  self->process = kwb_spawn (launcher, (const char * const *) argv->pdata, "gdb", error);
  if (self->process == NULL)
    return FALSE;

  self->pid = kwb_spawn_get_pid (self->process);
  self->stdin_pipe = g_object_ref (g_subprocess_get_stdin_pipe (self->process));
  self->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (self->process));
  self->stderr_pipe = g_object_ref (g_subprocess_get_stderr_pipe (self->process));
  self->stdout_source = watch_stream (self, self->stdout_pipe, stdout_ready_cb);
  self->stderr_source = watch_stream (self, self->stderr_pipe, stderr_ready_cb);
  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, self);
  self->started = TRUE;

  /* Without mi-async GDB reads no command while the target runs, so
   * -exec-interrupt could never be sent. */
  send_command (self, g_strdup ("-gdb-set mi-async on"), FALSE, NULL, NULL, NULL, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

gboolean
kwb_gdb_get_running (KwbGdb *self)
{
  g_return_val_if_fail (KWB_IS_GDB (self), FALSE);
  return self->started && !self->gone;
}

GPid
kwb_gdb_get_pid (KwbGdb *self)
{
  g_return_val_if_fail (KWB_IS_GDB (self), 0);
  return self->gone ? 0 : self->pid;
}

void
kwb_gdb_kill (KwbGdb *self)
{
  g_return_if_fail (KWB_IS_GDB (self));
  if (self->process != NULL && !self->gone)
    kwb_spawn_kill_group (self->process, SIGKILL);
}

/**
 * kwb_gdb_dup_transcript:
 *
 * The last 256 KiB of the conversation: each command as sent, prefixed
 * "> ", and GDB's output as read (MI records, console streams). For a
 * report when something hangs; not parsed by anyone.
 */
char *
kwb_gdb_dup_transcript (KwbGdb *self)
{
  const guint8 *data;
  gsize len;

  g_return_val_if_fail (KWB_IS_GDB (self), NULL);
  data = kwb_console_window_peek (self->transcript, &len);
  return g_utf8_make_valid ((const char *) data, (gssize) len);
}

char *
kwb_gdb_dup_stderr_log (KwbGdb *self)
{
  g_return_val_if_fail (KWB_IS_GDB (self), NULL);
  return g_strdup (self->stderr_log->str);
}

static void
kwb_gdb_dispose (GObject *object)
{
  KwbGdb *self = KWB_GDB (object);

  if (self->process != NULL && !self->gone)
    kwb_spawn_kill_group (self->process, SIGKILL);
  g_cancellable_cancel (self->cancellable);
  clear_source (&self->stdout_source);
  clear_source (&self->stderr_source);
  /* Pending tasks hold a ref on us, so there are none left here unless
   * someone ran g_object_run_dispose(). */
  while (!g_queue_is_empty (&self->order))
    pending_fail (self, g_queue_peek_head (&self->order),
                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("GDB was stopped")));
  self->gone = TRUE;
  g_clear_object (&self->stdin_pipe);
  g_clear_object (&self->stdout_pipe);
  g_clear_object (&self->stderr_pipe);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (kwb_gdb_parent_class)->dispose (object);
}

static void
kwb_gdb_finalize (GObject *object)
{
  KwbGdb *self = KWB_GDB (object);

  g_free (self->program);
  g_strfreev (self->extra_args);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->parser);
  g_free (self->read_buffer);
  g_byte_array_unref (self->outbox);
  g_clear_pointer (&self->writing, g_bytes_unref);
  g_string_free (self->resume_log, TRUE);
  g_hash_table_unref (self->pending);
  g_string_free (self->stderr_log, TRUE);
  kwb_console_window_free (self->transcript);

  G_OBJECT_CLASS (kwb_gdb_parent_class)->finalize (object);
}

static void
kwb_gdb_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  KwbGdb *self = KWB_GDB (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_value_set_string (value, self->program);
      break;
    case PROP_EXTRA_ARGS:
      g_value_set_boxed (value, self->extra_args);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, kwb_gdb_get_running (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_gdb_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  KwbGdb *self = KWB_GDB (object);

  switch (prop_id)
    {
    case PROP_PROGRAM:
      g_free (self->program);
      self->program = g_value_dup_string (value);
      if (self->program == NULL)
        self->program = g_strdup ("gdb");
      break;
    case PROP_EXTRA_ARGS:
      g_strfreev (self->extra_args);
      self->extra_args = g_value_dup_boxed (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_gdb_class_init (KwbGdbClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_gdb_dispose;
  object_class->finalize = kwb_gdb_finalize;
  object_class->get_property = kwb_gdb_get_property;
  object_class->set_property = kwb_gdb_set_property;

  /* Writing to the pipe of a GDB that just died must give EPIPE, not kill
   * the whole application with SIGPIPE. */
  signal (SIGPIPE, SIG_IGN);

  properties[PROP_PROGRAM] =
    g_param_spec_string ("program", NULL, NULL, "gdb",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXTRA_ARGS] =
    g_param_spec_boxed ("extra-args", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Every record GDB writes, before the specific signals below. */
  signals[RECORD_RECEIVED] =
    g_signal_new ("record-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  KWB_TYPE_MI_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  KWB_TYPE_GDB_STOP | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* thread-id: "all" or a thread number */
  signals[RUNNING] =
    g_signal_new ("running", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* The =breakpoint-created/-modified record: read "bkpt.number" etc. */
  signals[BREAKPOINT_CREATED] =
    g_signal_new ("breakpoint-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  KWB_TYPE_MI_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[BREAKPOINT_MODIFIED] =
    g_signal_new ("breakpoint-modified", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  KWB_TYPE_MI_RECORD | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* The number of the deleted breakpoint */
  signals[BREAKPOINT_DELETED] =
    g_signal_new ("breakpoint-deleted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (KwbGdbStream kind, text) */
  signals[STREAM] =
    g_signal_new ("stream", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, KWB_TYPE_GDB_STREAM, G_TYPE_STRING);
  /* A resume GDB had answered ^running to was aborted and the target
   * stays stopped without a *stopped: GDB's reasons ("Cannot insert
   * breakpoint 2.\n…") and its message. */
  signals[RESUME_FAILED] =
    g_signal_new ("resume-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* GDB is gone: its exit status, or 128 + the signal that killed it. */
  signals[EXITED] =
    g_signal_new ("exited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
kwb_gdb_init (KwbGdb *self)
{
  self->program = g_strdup ("gdb");
  self->cancellable = g_cancellable_new ();
  self->parser = kwb_mi_parser_new ();
  self->read_buffer = g_malloc (READ_SIZE);
  self->outbox = g_byte_array_new ();
  self->next_token = 1;
  self->resume_log = g_string_new (NULL);
  self->pending = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->stderr_log = g_string_new (NULL);
  self->transcript = kwb_console_window_new (256 * 1024);
}
