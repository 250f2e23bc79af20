/* kwb-session.c — one debug session: a QEMU guest and the GDB attached to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The manual way's QEMU + GDB steps, with their pitfalls handled here once:
 * - QEMU always starts frozen (-S) with its stub on a private unix socket, so
 *   every breakpoint is in place before the first instruction runs.
 * - GDB loads vmlinux before `target remote` (its architecture is then
 *   x86-64, as QEMU's 64-bit 'g' packets need, or aarch64); if "Remote 'g'
 *   packet reply is too long" still comes, we recover the manual way:
 *   disconnect, set architecture i386:x86-64:intel (the project's
 *   architecture's name, kwb-arch.c), reconnect — and log that we did.
 * - `-iex add-auto-load-safe-path BUILD` so vmlinux-gdb.py (lx-dmesg, …) loads.
 * - Under KVM a breakpoint set before the kernel runs must be a hardware one.
 * - QEMU's stub has no non-stop mode: changing a breakpoint (or reading
 *   frames, registers, …) while the guest runs interrupts it (a stop nobody
 *   sees), does the work, continues: see Halt below.
 * Either process dying ends the session in FAILED with the reason, and takes
 * the other one down: nothing is left running.
 *
 * Longer than most files on purpose: the start sequence, the halt protocol
 * and the op queue are one state machine over one instance (a stop means
 * something different in each phase), and every typed call is a short
 * entry into that queue. Split, the files would share all of their state.
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-enums.h"
#include "kwb-frame.h"
#include "kwb-gdb-index.h"
#include "kwb-instruction.h"
#include "kwb-register.h"
#include "kwb-session-private.h"
#include "kwb-spawn.h"
#include "kwb-variable.h"

/* Everything the session asks of GDB on the user's behalf is an Op: it
 * waits in the queue for a halted guest, so the same call works whether
 * the guest is stopped or running. */
typedef enum {
  OP_INSERT,
  OP_DELETE,
  OP_ENABLE,
  OP_CONSOLE,
  OP_LIST_FRAMES,
  OP_SELECT_FRAME,
  OP_LIST_VARIABLES,
  OP_LIST_REGISTERS,
  OP_DISASSEMBLE,
  OP_DISASSEMBLE_FUNCTION,
  OP_EVALUATE,
  OP_READ_MEMORY,
  OP_WATCH,
} OpKind;

typedef struct {
  OpKind            kind;
  char             *arg;
  char             *condition;
  KwbGdbBreakFlags  flags;
  KwbGdbWatchKind   watch_kind;
  gboolean          enabled;
  guint             level;
  guint64           start;
  guint64           end;
  GStrv             names;
} Op;

/* Who holds the guest while ops run (QEMU's stub has no non-stop mode, so
 * a running guest is halted for them):
 * - NONE: the user; the guest is stopped or running as GDB says.
 * - INTERRUPTING: our -exec-interrupt is on its way; the next *stopped
 *   that is not a real event is ours and nobody sees it.
 * - HALTED: we halted it; the queued ops run, then it continues.
 * - DRAINING: a stop the user sees beat our interrupt (or the interrupt
 *   found the guest stopped); the ops run and the guest stays stopped.
 * - INTERNAL: one of the session's own breakpoints was hit and its handler
 *   has the guest until kwb_session_internal_done(); then HALTED.
 * - PREPARING: a step backwards the user asked for waits while the
 *   replay's reverse function moves the guest (its stops are its own) and
 *   brings it back; ops wait too (see kwb_session_set_reverse_func()), and
 *   run at that stop before the step.
 * - WAITING: a step backwards runs; QEMU would take an interrupt in the
 *   middle of the replay it makes for the step, from where the step could
 *   not be taken up again: the ops wait for its stop. (A reverse-continue
 *   is interrupted as any run, and taken up again afterwards.) */
typedef enum {
  HALT_NONE,
  HALT_INTERRUPTING,
  HALT_HALTED,
  HALT_DRAINING,
  HALT_INTERNAL,
  HALT_PREPARING,
  HALT_WAITING,
} Halt;

typedef struct _Entering Entering;

struct _KwbSession
{
  GObject           parent_instance;

  KwbSessionConfig *config;
  KwbQemu          *qemu;
  KwbGdb           *gdb;
  KwbGdbIndex      *gdb_index;  /* NULL: debug.index-cache is off */
  gboolean          index_to_write; /* none kept for this vmlinux yet */
  KwbBreakpoints   *breakpoints;
  GListStore       *frames;
  KwbGdbStop       *last_stop;
  char             *last_watch;  /* the last stop's watchpoint expression */
  KwbSessionState   state;
  char             *failure_reason;
  GPtrArray        *initial_breakpoints;
  GHashTable       *initial_hardware; /* those of them to set as hardware ones */
  GPtrArray        *initial_watches;  /* InitialWatch */
  guint             next_watch;
  GPtrArray        *path_maps;  /* pairs: from, to */
  gboolean          stay_frozen;
  gboolean          pending_allowed;
  gboolean          retrying_pending; /* the initial breakpoint at hand, as a pending one */
  gboolean          console_unwatched; /* a terminal widget reads the PTY */

  GTask            *start_task;
  guint             start_pending;
  guint             next_initial;
  gboolean          tried_arch_recovery;
  KwbGdbExec        resume_what;
  gboolean          start_continued;

  GQueue            ops;        /* GTask of Op, waiting for a halted guest */
  gboolean          op_running;
  Halt              halt;
  KwbGdbExec        halted_resume; /* what a HALTED guest is resumed with */

  /* The user's resume from a breakpoint stop (last_stop, until the next
   * stop is reported): the registers there, to tell a step QEMU lost from
   * a hit (see "lost steps"). */
  GPtrArray        *resume_registers;
  char             *resume_progress; /* and the guest's PROGRESS_EXPRESSION there */
  char             *symbol_file; /* what GDB was given for vmlinux: it, or the kept copy */
  guint             lost_steps;

  GQueue            stop_tasks;
  gboolean          stopping;
  guint             frames_id;
  guint             stop_serial; /* drops a backtrace read for an older stop */

  GHashTable       *internal;   /* breakpoint number → Internal */
  Entering         *entering;   /* a stop in user space, on its way to the kernel */
  guint             interrupt_again_id;

  GArray           *setup_funcs; /* Setup: run once attached, before the first continue */
  guint             next_setup;

  /* Replaying: work before each step backwards (HALT_PREPARING), and the
   * user's resume that waits for it. */
  KwbSessionReverseFunc reverse_func;
  gpointer          reverse_data;
  GTask            *reverse_task;
  KwbGdbExec        reverse_what;

  /* A crash stop (kwb-session-crash.c): what crashed, the command that puts
   * the CPU's own registers back before the guest runs, and the first
   * frame of the backtrace that is not the crash path's own. */
  KwbCrash         *crash;
  char             *crash_restore;
  guint             crash_first_level;
};

typedef struct {
  KwbSessionSetupFunc func;
  gpointer            user_data;
} Setup;

typedef struct {
  char            *expression;
  KwbGdbWatchKind  kind;
} InitialWatch;

typedef struct {
  KwbSessionInternalFunc func;
  gpointer               user_data;
} Internal;

/* See "stops in user space" below. */
struct _Entering {
  gboolean    for_user;   /* the user's pause, not the session's own halt */
  guint       next;       /* the next of the architecture's entries to break on */
  GPtrArray  *numbers;    /* the temporary breakpoints on them */
  guint       timeout_id;
  gboolean    giving_up;  /* the guest stayed in user space: our interrupt is on its way */
};

G_DEFINE_FINAL_TYPE (KwbSession, kwb_session, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-session-error-quark, kwb_session_error)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FAILURE_REASON,
  N_PROPS
};

enum {
  STATE_CHANGED,
  STOPPED,
  LOG,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void run_next_op (KwbSession *self);
static void entering_free (Entering *entering);
static void interrupt_guest (KwbSession          *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data);
static void start_step_breakpoints (KwbSession *self);
static void start_step_setup (KwbSession *self);
static void start_step_watches (KwbSession *self);
static void start_done (KwbSession *self);

static void
op_free (gpointer data)
{
  Op *op = data;

  g_free (op->arg);
  g_free (op->condition);
  g_strfreev (op->names);
  g_free (op);
}

static void
initial_watch_free (gpointer data)
{
  InitialWatch *watch = data;

  g_free (watch->expression);
  g_free (watch);
}

/* The enum's nick ("idle", "running", …): the GType names the values once. */
const char *
kwb_session_state_to_string (KwbSessionState state)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (KWB_TYPE_SESSION_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  return value != NULL ? value->value_nick : "?";
}

static gboolean
state_is_live (KwbSessionState state)
{
  return state == KWB_SESSION_STATE_STARTING || state == KWB_SESSION_STATE_RUNNING ||
         state == KWB_SESSION_STATE_STOPPED;
}

static void
set_state (KwbSession      *self,
           KwbSessionState  state)
{
  KwbSessionState old = self->state;

  if (old == state)
    return;
  /* EXITED and FAILED are final. */
  if (old == KWB_SESSION_STATE_EXITED || old == KWB_SESSION_STATE_FAILED)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[STATE_CHANGED], 0, old, state);
}

static void
session_log (KwbSession *self,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
session_log (KwbSession *self,
             const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  kwb_session_log_message (self, message);
}

/* ::log, for the session's parts in other files. */
void
kwb_session_log_message (KwbSession *self,
                         const char *message)
{
  g_debug ("%s", message);
  g_signal_emit (self, signals[LOG], 0, message);
}

static void
fail_all_ops (KwbSession *self,
              const char *why)
{
  GTask *task;

  if (self->reverse_task != NULL)
    {
      g_autoptr(GTask) reverse = g_steal_pointer (&self->reverse_task);

      g_task_return_new_error (reverse, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED, "%s", why);
    }

  while ((task = g_queue_pop_head (&self->ops)) != NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED, "%s", why);
      g_object_unref (task);
    }
}

static void
finish_stop_tasks (KwbSession *self)
{
  GTask *task;

  while ((task = g_queue_pop_head (&self->stop_tasks)) != NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
qemu_stopped_for_failure_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;

  kwb_qemu_stop_finish (KWB_QEMU (object), result, NULL);
  finish_stop_tasks (self);
}

/* The end of a session that did not end by request: record why, bring the
 * other process down, fail whatever waits. */
static void
session_fail (KwbSession *self,
              const char *reason)
{
  if (!state_is_live (self->state) && self->state != KWB_SESSION_STATE_IDLE)
    return;

  g_free (self->failure_reason);
  self->failure_reason = g_strdup (reason);
  g_debug ("session failed: %s", reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE_REASON]);

  if (self->gdb != NULL)
    kwb_gdb_kill (self->gdb);
  if (self->qemu != NULL && kwb_qemu_get_pid (self->qemu) != 0)
    kwb_qemu_stop_async (self->qemu, NULL, qemu_stopped_for_failure_cb, g_object_ref (self));

  fail_all_ops (self, reason);
  if (self->start_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED, "%s", reason);
    }
  set_state (self, KWB_SESSION_STATE_FAILED);
}

/* ---- GObject ---- */

static void
kwb_session_dispose (GObject *object)
{
  KwbSession *self = (KwbSession *) object;

  /* Never orphan a VM or a debugger. */
  if (self->gdb != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->gdb, self);
      kwb_gdb_kill (self->gdb);
    }
  if (self->qemu != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->qemu, self);
      kwb_qemu_kill (self->qemu);
    }
  fail_all_ops (self, _("The session was closed"));
  g_clear_pointer (&self->entering, entering_free);
  g_clear_handle_id (&self->interrupt_again_id, g_source_remove);
  g_clear_handle_id (&self->frames_id, g_source_remove);
  g_clear_object (&self->gdb);
  g_clear_object (&self->gdb_index);
  g_clear_object (&self->qemu);
  G_OBJECT_CLASS (kwb_session_parent_class)->dispose (object);
}

static void
kwb_session_finalize (GObject *object)
{
  KwbSession *self = (KwbSession *) object;

  g_clear_object (&self->config);
  g_clear_object (&self->breakpoints);
  g_clear_object (&self->frames);
  g_clear_pointer (&self->last_stop, kwb_gdb_stop_free);
  g_clear_pointer (&self->resume_registers, g_ptr_array_unref);
  g_clear_pointer (&self->resume_progress, g_free);
  g_free (self->symbol_file);
  g_free (self->last_watch);
  g_free (self->failure_reason);
  g_clear_object (&self->crash);
  g_free (self->crash_restore);
  g_ptr_array_unref (self->initial_breakpoints);
  g_hash_table_unref (self->initial_hardware);
  g_ptr_array_unref (self->initial_watches);
  g_ptr_array_unref (self->path_maps);
  g_hash_table_unref (self->internal);
  g_array_unref (self->setup_funcs);
  G_OBJECT_CLASS (kwb_session_parent_class)->finalize (object);
}

static void
kwb_session_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KwbSession *self = KWB_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FAILURE_REASON:
      g_value_set_string (value, self->failure_reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_session_class_init (KwbSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_session_dispose;
  object_class->finalize = kwb_session_finalize;
  object_class->get_property = kwb_session_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KWB_TYPE_SESSION_STATE, KWB_SESSION_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FAILURE_REASON] =
    g_param_spec_string ("failure-reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KwbSession::state-changed:
   * @old_state: the #KwbSessionState left
   * @new_state: the #KwbSessionState entered
   */
  signals[STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KWB_TYPE_SESSION_STATE, KWB_TYPE_SESSION_STATE);
  /**
   * KwbSession::stopped:
   * @stop: where and why the guest stopped (a user-visible stop; the
   *   session's own interrupts are never reported)
   */
  signals[STOPPED] =
    g_signal_new ("stopped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_GDB_STOP | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * KwbSession::log:
   * @message: something the session did on its own that the user may want
   *   to know (e.g. the 'g' packet recovery)
   */
  signals[LOG] =
    g_signal_new ("log", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kwb_session_init (KwbSession *self)
{
  self->halted_resume = KWB_GDB_EXEC_CONTINUE;
  self->breakpoints = kwb_breakpoints_new ();
  self->frames = g_list_store_new (KWB_TYPE_FRAME);
  self->initial_breakpoints = g_ptr_array_new_with_free_func (g_free);
  self->initial_hardware = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->initial_watches = g_ptr_array_new_with_free_func (initial_watch_free);
  self->path_maps = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&self->ops);
  g_queue_init (&self->stop_tasks);
  self->internal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->setup_funcs = g_array_new (FALSE, FALSE, sizeof (Setup));
}

KwbSession *
kwb_session_new (KwbSessionConfig *config)
{
  KwbSession *self;

  g_return_val_if_fail (KWB_IS_SESSION_CONFIG (config), NULL);

  self = g_object_new (KWB_TYPE_SESSION, NULL);
  self->config = g_object_ref (config);
  return self;
}

/* ---- source paths ---- */

static gboolean
file_exists (const char *path)
{
  return path != NULL && g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

static void
ignore_console_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree char *out = kwb_session_console_finish (KWB_SESSION (object), result, NULL);
}

char *
kwb_session_map_source_path (KwbSession *self,
                             const char *path)
{
  const char *source_dir;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (KWB_IS_SESSION (self), NULL);

  if (path == NULL)
    return NULL;
  if (file_exists (path))
    return g_strdup (path);

  for (guint i = 0; i + 1 < self->path_maps->len; i += 2)
    {
      const char *from = g_ptr_array_index (self->path_maps, i);
      const char *to = g_ptr_array_index (self->path_maps, i + 1);

      if (g_str_has_prefix (path, from))
        {
          g_autofree char *mapped = g_build_filename (to, path + strlen (from), NULL);

          if (file_exists (mapped))
            return g_steal_pointer (&mapped);
        }
    }

  /* A distro kernel's DWARF names its build machine's tree
   * (/build/reproducible-path/linux-6.1.x/init/main.c): find the longest tail
   * of the path that exists in our source tree, and remember the prefix. */
  source_dir = kwb_session_config_get_source_dir (self->config);
  if (source_dir == NULL)
    return NULL;
  if (!g_path_is_absolute (path))
    {
      /* Relative to a compilation directory that was itself recorded
       * relative (Debian's vmlinux: "debian/build/build_amd64_none_cloud-amd64"
       * + "init/main.c"): the longest tail that is in our tree. */
      g_auto(GStrv) rel = g_strsplit (path, "/", -1);

      for (guint i = 0; rel[i] != NULL; i++)
        {
          g_autofree char *tail = g_strjoinv ("/", rel + i);
          g_autofree char *joined = g_build_filename (source_dir, tail, NULL);

          if (*tail != '\0' && file_exists (joined))
            return g_steal_pointer (&joined);
        }
      return NULL;
    }

  parts = g_strsplit (path + 1, "/", -1);
  for (guint i = 1; parts[i] != NULL; i++)
    {
      g_autofree char *tail = g_strjoinv ("/", parts + i);
      g_autofree char *candidate = g_build_filename (source_dir, tail, NULL);

      if (file_exists (candidate))
        {
          g_autofree char *prefix_rel = NULL;
          g_autofree char *prefix = NULL;
          g_autofree char *command = NULL;
          char *saved = parts[i];

          parts[i] = NULL;
          prefix_rel = g_strjoinv ("/", parts);
          parts[i] = saved;
          prefix = g_strconcat ("/", prefix_rel, NULL);
          g_ptr_array_add (self->path_maps, g_strdup (prefix));
          g_ptr_array_add (self->path_maps, g_strdup (source_dir));
          session_log (self, _("Source paths under %s are mapped to %s"), prefix, source_dir);

          /* Tell GDB too, so `list` and breakpoints by file work. */
          if (state_is_live (self->state))
            {
              command = kwb_gdb_dup_substitute_path_command (prefix, source_dir);
              kwb_session_console_async (self, command, NULL, ignore_console_cb, NULL);
            }
          return g_steal_pointer (&candidate);
        }
    }
  return NULL;
}

/* ---- stops and frames ---- */

static void
frames_listed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KwbSession *self = KWB_SESSION (object);
  g_autoptr(GListModel) frames = kwb_session_list_frames_finish (self, result, NULL);
  guint serial = GPOINTER_TO_UINT (user_data);
  g_autoptr(GPtrArray) items = NULL;

  if (frames == NULL || serial != self->stop_serial || self->state != KWB_SESSION_STATE_STOPPED)
    return;
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    g_ptr_array_add (items, g_list_model_get_item (frames, i));
  g_list_store_splice (self->frames, 0, g_list_model_get_n_items (G_LIST_MODEL (self->frames)),
                       items->pdata, items->len);
}

/* The backtrace is read a moment after a stop, not at once: while the user
 * steps quickly each `next` would otherwise wait behind a -stack-list-frames
 * (a deep kernel stack costs GDB several times a step). */
#define FRAMES_DELAY_MS 40

static gboolean
refresh_frames (gpointer user_data)
{
  KwbSession *self = user_data;

  self->frames_id = 0;
  if (self->state == KWB_SESSION_STATE_STOPPED && self->gdb != NULL)
    kwb_session_list_frames_async (self, NULL, frames_listed_cb,
                                   GUINT_TO_POINTER (self->stop_serial));
  return G_SOURCE_REMOVE;
}

static void
report_stop (KwbSession *self,
             KwbGdbStop *stop)
{
  g_clear_pointer (&self->last_stop, kwb_gdb_stop_free);
  self->last_stop = kwb_gdb_stop_copy (stop);
  g_clear_pointer (&self->resume_registers, g_ptr_array_unref);
  g_clear_pointer (&self->resume_progress, g_free);
  g_clear_pointer (&self->last_watch, g_free);
  if (kwb_gdb_stop_is_watchpoint (stop))
    {
      /* A scope stop names only the number, and GDB deletes the
       * watchpoint right after: keep its expression now. */
      g_autofree char *number = g_strdup_printf ("%d", stop->watch_number);
      KwbBreakpoint *bp = kwb_breakpoints_lookup (self->breakpoints, number);

      self->last_watch = g_strdup (stop->watch_expression ? stop->watch_expression
                                   : bp ? kwb_breakpoint_get_expression (bp) : NULL);
      if (bp != NULL && stop->value_new != NULL)
        kwb_breakpoint_set_value (bp, stop->value_new);
    }
  self->stop_serial++;
  set_state (self, KWB_SESSION_STATE_STOPPED);
  g_list_store_remove_all (self->frames);
  g_clear_handle_id (&self->frames_id, g_source_remove);
  self->frames_id = g_timeout_add (FRAMES_DELAY_MS, refresh_frames, self);
  g_signal_emit (self, signals[STOPPED], 0, stop);
}

/* ---- stops in user space ----
 *
 * An interrupt lands wherever the guest is; on an architecture whose stub
 * reads memory with the interrupted mode's rights (arm64), a stop in user
 * space cannot read a single kernel variable, so nothing the session halts
 * for (module lists, panels, the user's expressions) would work there. Such
 * a stop is not shown: temporary hardware breakpoints go on the kernel's
 * entries from user space and the guest runs on to the next one, a timer
 * tick away at most. The user's pause then shows that stop, as a pause; the
 * session's own halt does its work there. Hardware breakpoints, because a
 * software one is memory the stub cannot write from user space either. A
 * guest that stays in user space (no tick for ENTERING_TIMEOUT_S) is
 * interrupted again and its stop taken as it is. */

#define ENTERING_TIMEOUT_S 5

static void
entering_free (Entering *entering)
{
  g_clear_handle_id (&entering->timeout_id, g_source_remove);
  g_ptr_array_unref (entering->numbers);
  g_free (entering);
}

static gboolean
stop_is_interrupt (const KwbGdbStop *stop)
{
  return stop->reason == NULL || g_strcmp0 (stop->reason, "signal-received") == 0;
}

/* A user address has the top bit clear on every architecture we run. */
static gboolean
stop_needs_kernel_entry (KwbSession       *self,
                         const KwbGdbStop *stop)
{
  return kwb_session_config_get_arch (self->config)->user_entries != NULL && stop_is_interrupt (stop) &&
         stop->addr != 0 && (stop->addr >> 63) == 0;
}

static void entering_insert_next (KwbSession *self);

static gboolean
entering_timeout_cb (gpointer user_data)
{
  KwbSession *self = user_data;

  self->entering->timeout_id = 0;
  self->entering->giving_up = TRUE;
  session_log (self, _("The guest stayed in user space, where the kernel’s memory cannot be read; "
                       "stopped there"));
  interrupt_guest (self, NULL, NULL);
  return G_SOURCE_REMOVE;
}

static void
entering_continue_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL && self->entering != NULL && state_is_live (self->state))
    session_log (self, _("Could not run the guest on to the kernel: %s"), error->message);
}

static void
entering_insert_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  const char *number;

  /* An entry this kernel does not have is simply not among them. */
  record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
  if (self->entering == NULL || !state_is_live (self->state))
    return;
  number = record != NULL ? kwb_mi_record_get_string (record, "bkpt.number") : NULL;
  if (number != NULL)
    {
      kwb_breakpoints_add_internal (self->breakpoints, number);
      g_ptr_array_add (self->entering->numbers, g_strdup (number));
    }
  entering_insert_next (self);
}

static void
entering_insert_next (KwbSession *self)
{
  const KwbArch *arch = kwb_session_config_get_arch (self->config);
  const char *entry = arch->user_entries[self->entering->next];

  if (entry != NULL)
    {
      self->entering->next++;
      kwb_gdb_break_insert_async (self->gdb, entry, KWB_GDB_BREAK_HARDWARE | KWB_GDB_BREAK_TEMPORARY, NULL,
                                  NULL, entering_insert_cb, g_object_ref (self));
      return;
    }
  if (self->entering->numbers->len == 0)
    {
      /* A kernel with none of them: stay in user space, as GDB would. */
      self->entering->giving_up = TRUE;
      interrupt_guest (self, NULL, NULL);
      return;
    }
  self->entering->timeout_id = g_timeout_add_seconds (ENTERING_TIMEOUT_S, entering_timeout_cb, self);
  kwb_gdb_exec_async (self->gdb, KWB_GDB_EXEC_CONTINUE, NULL, entering_continue_cb, g_object_ref (self));
}

/* A stop in user space, from the user's pause (FOR_USER) or our own halt:
 * nobody sees it; the ops stay queued until the guest is in the kernel. */
static void
entering_begin (KwbSession *self,
                gboolean    for_user)
{
  g_assert (self->entering == NULL);

  self->entering = g_new0 (Entering, 1);
  self->entering->for_user = for_user;
  self->entering->numbers = g_ptr_array_new_with_free_func (g_free);
  self->halt = HALT_INTERRUPTING;
  entering_insert_next (self);
}

/* The stop that ends the way to the kernel. TRUE when it is fully handled
 * here; FALSE when it is another event (a breakpoint, a crash, the module
 * loader's) that on_gdb_stopped handles as it handles any. */
static gboolean
entering_stop (KwbSession       *self,
               const KwbGdbStop *stop)
{
  g_autoptr(KwbGdbStop) pause = NULL;
  g_autofree char *number = g_strdup_printf ("%d", stop->bkptno);
  Entering *entering = self->entering;
  gboolean for_user = entering->for_user;
  gboolean ours = stop->bkptno > 0 && g_ptr_array_find_with_equal_func (entering->numbers, number,
                                                                        g_str_equal, NULL);
  gboolean gave_up = entering->giving_up && stop_is_interrupt (stop);

  /* The one hit is gone (temporary); the others go now, before any op. */
  for (guint i = 0; i < entering->numbers->len; i++)
    if (!g_str_equal (entering->numbers->pdata[i], number))
      kwb_gdb_break_delete_async (self->gdb, entering->numbers->pdata[i], NULL, NULL, NULL);
  self->entering = NULL;
  entering_free (entering);

  if (!ours && !gave_up)
    {
      /* As the event that beat our interrupt, which it is. */
      if (for_user)
        self->halt = HALT_NONE;
      return FALSE;
    }
  if (!for_user)
    {
      self->halt = HALT_HALTED;
      run_next_op (self);
      return TRUE;
    }
  /* The user's pause, where it ended: a pause, not a breakpoint. */
  pause = kwb_gdb_stop_copy (stop);
  pause->reason = "signal-received";
  pause->signal_name = "SIGINT";
  pause->bkptno = -1;
  self->halt = HALT_DRAINING;
  report_stop (self, pause);
  run_next_op (self);
  return TRUE;
}

/* ---- lost steps ----
 *
 * To resume from a breakpoint GDB first single-steps the CPU off it. Under
 * TCG (seen with two CPUs) QEMU 7.2 now and then answers that step
 * without having run the instruction; GDB, back at the breakpoint's
 * address, reports the same breakpoint hit again, and the user's continue
 * seems to do nothing. A real second hit at once (a function called in a
 * loop) has run code in between; a lost step has changed no register at
 * all. So a resume from a breakpoint stop keeps that stop's registers, a
 * stop at the same breakpoint, thread and address compares them, and an
 * unchanged CPU is resumed again with the same command, unseen. A few
 * times at most: a breakpoint in a loop whose turn changes no register (a
 * spin on memory, a jump to itself) looks the same, and its stop comes a
 * few turns later.
 *
 * Registers alone are not enough: a command typed again can reach the
 * same function with every register alike (measured: 3 of 30 `uname`
 * stops in a row, a forked shell child on the recycled task and stacks of
 * the one before), and taking that for a lost step swallowed the stop.
 * So the kernel's tick and fork counters are compared too: a step that
 * ran nothing has moved neither. */

#define PROGRESS_EXPRESSION "(unsigned long) jiffies_64 + (unsigned long) total_forks"

#define MAX_LOST_STEPS 3

typedef struct {
  KwbSession *self;
  KwbGdbStop *stop;
} LostStep;

static void
lost_step_free (LostStep *lost)
{
  g_object_unref (lost->self);
  g_clear_pointer (&lost->stop, kwb_gdb_stop_free);
  g_free (lost);
}

typedef struct {
  KwbSession   *self;
  KwbGdbExec    what;
  GCancellable *cancellable;
  GTask        *task;
} Resume;

static void exec_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
resume_progress_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Resume *resume = user_data;
  KwbSession *self = resume->self;

  /* NULL (no such symbols): the registers decide alone. */
  g_free (self->resume_progress);
  self->resume_progress = object != NULL ? kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL) : NULL;
  if (self->gdb != NULL)
    kwb_gdb_exec_async (self->gdb, resume->what, resume->cancellable, exec_cb, resume->task);
  else
    {
      g_task_return_new_error (resume->task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("No session is running"));
      g_object_unref (resume->task);
    }
  g_clear_object (&resume->cancellable);
  g_object_unref (self);
  g_free (resume);
}

static void
resume_registers_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Resume *resume = user_data;
  KwbSession *self = resume->self;
  g_autoptr(GPtrArray) registers = kwb_gdb_list_registers_finish (KWB_GDB (object), result, NULL);

  if (registers != NULL && registers->len > 0)
    self->resume_registers = g_steal_pointer (&registers);
  if (self->gdb != NULL)
    kwb_gdb_evaluate_async (self->gdb, PROGRESS_EXPRESSION, NULL, resume_progress_cb, resume);
  else
    resume_progress_cb (NULL, NULL, resume);
}

/* The user's resume (TASK, taken): from a breakpoint stop, that stop's
 * registers first, from GDB's cache (no traffic to the guest); they must
 * be known before the guest can stop again. */
static void
resume_guest (KwbSession   *self,
              KwbGdbExec    what,
              GCancellable *cancellable,
              GTask        *task)
{
  const KwbArch *arch = kwb_session_config_get_arch (self->config);
  Resume *resume;

  g_clear_pointer (&self->resume_registers, g_ptr_array_unref);
  g_clear_pointer (&self->resume_progress, g_free);
  self->lost_steps = 0;
  /* Going backwards, QEMU replays forward to just before the stop: no
   * step off the breakpoint to lose. */
  if (self->last_stop == NULL || self->last_stop->bkptno <= 0 || kwb_gdb_exec_is_reverse (what) ||
      g_strcmp0 (self->last_stop->reason, "breakpoint-hit") != 0)
    {
      kwb_gdb_exec_async (self->gdb, what, cancellable, exec_cb, task);
      return;
    }
  resume = g_new0 (Resume, 1);
  resume->self = g_object_ref (self);
  resume->what = what;
  resume->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  resume->task = task;
  kwb_gdb_list_registers_async (self->gdb, arch->registers, NULL, resume_registers_cb, resume);
}

static gboolean
may_be_lost_step (KwbSession       *self,
                  const KwbGdbStop *stop)
{
  const KwbGdbStop *from = self->last_stop;

  return self->resume_registers != NULL && from != NULL && self->state == KWB_SESSION_STATE_RUNNING &&
         self->lost_steps < MAX_LOST_STEPS && g_strcmp0 (stop->reason, "breakpoint-hit") == 0 &&
         stop->bkptno == from->bkptno && stop->addr == from->addr &&
         g_strcmp0 (stop->thread_id, from->thread_id) == 0;
}

static gboolean
same_registers (GPtrArray *a,
                GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      KwbRegister *ra = g_ptr_array_index (a, i);
      KwbRegister *rb = g_ptr_array_index (b, i);

      if (g_strcmp0 (kwb_register_get_name (ra), kwb_register_get_name (rb)) != 0 ||
          g_strcmp0 (kwb_register_get_value (ra), kwb_register_get_value (rb)) != 0)
        return FALSE;
    }
  return TRUE;
}

/* LOST's stop made no progress (LOST_STEP) or is a real one: resume
 * unseen, or report it. */
static void
lost_step_decide (LostStep *lost,
                  gboolean  lost_step)
{
  KwbSession *self = lost->self;

  if (lost_step)
    {
      g_autofree char *number = g_strdup_printf ("%d", lost->stop->bkptno);
      KwbBreakpoint *bp = kwb_breakpoints_lookup (self->breakpoints, number);

      g_debug ("the step off breakpoint %s made no progress: resuming again", number);
      if (bp != NULL)
        kwb_breakpoint_discount_hit (bp);
      self->lost_steps++;
      self->halted_resume = self->resume_what;
      self->halt = HALT_HALTED;
      run_next_op (self);
    }
  else
    {
      self->halt = HALT_NONE;
      report_stop (self, lost->stop);
      run_next_op (self);
    }
  lost_step_free (lost);
}

static gboolean
lost_step_gone (LostStep *lost)
{
  KwbSession *self = lost->self;

  if (self->halt != HALT_INTERNAL || !state_is_live (self->state))
    {
      lost_step_free (lost);
      return TRUE;
    }
  return FALSE;
}

static void
stop_progress_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  LostStep *lost = user_data;
  g_autofree char *progress = kwb_gdb_evaluate_finish (KWB_GDB (object), result, NULL);

  if (lost_step_gone (lost))
    return;
  lost_step_decide (lost, progress == NULL || g_strcmp0 (progress, lost->self->resume_progress) == 0);
}

static void
stop_registers_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  LostStep *lost = user_data;
  KwbSession *self = lost->self;
  g_autoptr(GPtrArray) registers = kwb_gdb_list_registers_finish (KWB_GDB (object), result, NULL);

  if (lost_step_gone (lost))
    return;
  if (registers == NULL || self->resume_registers == NULL || !same_registers (registers, self->resume_registers))
    lost_step_decide (lost, FALSE);
  else if (self->resume_progress != NULL)
    kwb_gdb_evaluate_async (KWB_GDB (object), PROGRESS_EXPRESSION, NULL, stop_progress_cb, lost);
  else
    lost_step_decide (lost, TRUE);
}

/* Held like an internal stop while the registers are read: the state stays
 * "running", and ops queued meanwhile run on the halted guest. */
static void
check_lost_step (KwbSession       *self,
                 const KwbGdbStop *stop)
{
  const KwbArch *arch = kwb_session_config_get_arch (self->config);
  LostStep *lost = g_new0 (LostStep, 1);

  lost->self = g_object_ref (self);
  lost->stop = kwb_gdb_stop_copy (stop);
  self->halt = HALT_INTERNAL;
  kwb_gdb_list_registers_async (self->gdb, arch->registers, NULL, stop_registers_cb, lost);
}

static void
on_gdb_stopped (KwbGdb     *gdb,
                KwbGdbStop *stop,
                KwbSession *self)
{
  g_debug ("GDB stopped: reason=%s func=%s halt=%d state=%s", stop->reason, stop->func,
           self->halt, kwb_session_state_to_string (self->state));
  g_clear_handle_id (&self->interrupt_again_id, g_source_remove);
  if (self->state == KWB_SESSION_STATE_STARTING)
    {
      /* The frozen guest as GDB first sees it is not a stop to report; a
       * breakpoint hit right after our first continue is. */
      if (!self->start_continued)
        return;
      report_stop (self, stop);
      start_done (self);
      return;
    }

  if (self->entering != NULL && entering_stop (self, stop))
    return;

  /* The reverse function's own runs of the guest. */
  if (self->halt == HALT_PREPARING)
    return;
  /* The step backwards is over: the ops that waited run at its stop. */
  if (self->halt == HALT_WAITING)
    self->halt = HALT_NONE;

  /* The session's own breakpoints (the module loader's): the handler works
   * on the halted guest and calls kwb_session_internal_done(); nobody else
   * sees the stop. */
  if ((stop->bkptno > 0 || stop->watch_number > 0) && state_is_live (self->state))
    {
      g_autofree char *number = g_strdup_printf ("%d", stop->bkptno > 0 ? stop->bkptno : stop->watch_number);
      Internal *internal = g_hash_table_lookup (self->internal, number);

      if (internal != NULL)
        {
          /* Had we interrupted, our interrupt will not come now: the
           * queued ops run once the handler is done. A search backwards
           * goes on backwards from here. */
          self->halt = HALT_INTERNAL;
          if (self->resume_what == KWB_GDB_EXEC_REVERSE_CONTINUE)
            self->halted_resume = KWB_GDB_EXEC_REVERSE_CONTINUE;
          internal->func (self, stop, internal->user_data);
          return;
        }
    }

  if (self->halt == HALT_NONE && may_be_lost_step (self, stop))
    {
      check_lost_step (self, stop);
      return;
    }

  if (self->halt == HALT_INTERRUPTING)
    {
      /* Our interrupt can land before GDB has stepped off the breakpoint
       * the guest was just continued from: GDB then reports that same
       * breakpoint again, at the same address. That is our stop too. */
      gboolean same_place = g_strcmp0 (stop->reason, "breakpoint-hit") == 0 && self->last_stop != NULL &&
                            stop->bkptno == self->last_stop->bkptno && stop->addr == self->last_stop->addr;

      if (stop_needs_kernel_entry (self, stop))
        {
          entering_begin (self, FALSE);
          return;
        }
      if (stop_is_interrupt (stop) || same_place)
        {
          self->halt = HALT_HALTED;
          /* A search backwards goes on backwards after our changes (from
           * here: QEMU replays up to this point again). */
          if (kwb_gdb_exec_is_reverse (self->resume_what))
            self->halted_resume = KWB_GDB_EXEC_REVERSE_CONTINUE;
          run_next_op (self);
          return;
        }
      /* A real stop (a breakpoint) beat our interrupt: show it, stay stopped. */
      self->halt = HALT_DRAINING;
      report_stop (self, stop);
      run_next_op (self);
      return;
    }

  if (g_strcmp0 (stop->reason, "exited") == 0 || g_strcmp0 (stop->reason, "exited-normally") == 0 ||
      g_strcmp0 (stop->reason, "exited-signalled") == 0)
    return; /* the VM's end arrives through QEMU's exit */

  if (self->halt == HALT_NONE && stop_needs_kernel_entry (self, stop))
    {
      entering_begin (self, TRUE);
      return;
    }
  report_stop (self, stop);
  if (self->halt == HALT_NONE && !g_queue_is_empty (&self->ops))
    run_next_op (self);
}

/* GDB has resumed the guest: its ^running (a resume we sent) or *running. */
static void
guest_resumed (KwbSession *self)
{
  g_clear_handle_id (&self->frames_id, g_source_remove);
  g_clear_object (&self->crash);
  g_clear_pointer (&self->crash_restore, g_free);
  self->crash_first_level = 0;
  if (state_is_live (self->state))
    set_state (self, KWB_SESSION_STATE_RUNNING);
}

static void
on_gdb_running (KwbGdb     *gdb,
                const char *thread_id,
                KwbSession *self)
{
  if (self->state == KWB_SESSION_STATE_STARTING && self->start_task != NULL)
    return; /* start completes the transition itself */
  guest_resumed (self);
}

static void
retried_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_retry_with_hardware_finish (self, result, &error) && state_is_live (self->state))
    {
      session_log (self, _("GDB could not resume the guest: %s"), error->message);
      set_state (self, KWB_SESSION_STATE_STOPPED);
    }
}

/* GDB said ^running, then aborted the resume (a breakpoint it could not
 * insert) and left the guest stopped, without a *stopped: software
 * breakpoints the guest's memory refused are set again in hardware and the
 * resume retried; anything else leaves the session stopped, saying why. */
static void
on_resume_failed (KwbGdb     *gdb,
                  const char *message,
                  KwbSession *self)
{
  if (!state_is_live (self->state))
    return;
  if (kwb_session_retry_with_hardware_async (self, self->resume_what, message, retried_cb, g_object_ref (self)))
    return;
  g_object_unref (self);
  session_log (self, _("GDB could not resume the guest: %s"), message);
  set_state (self, KWB_SESSION_STATE_STOPPED);
}

static void
on_breakpoint_record (KwbGdb      *gdb,
                      KwbMiRecord *record,
                      KwbSession  *self)
{
  const KwbMiValue *bkpt = kwb_mi_record_get (record, "bkpt");

  if (bkpt != NULL)
    kwb_breakpoints_update (self->breakpoints, bkpt);
}

static void
on_breakpoint_deleted (KwbGdb     *gdb,
                       const char *number,
                       KwbSession *self)
{
  kwb_breakpoints_remove (self->breakpoints, number);
}

static void
on_gdb_exited (KwbGdb     *gdb,
               int         status,
               KwbSession *self)
{
  g_autofree char *log = kwb_gdb_dup_stderr_log (gdb);
  g_autofree char *reason = NULL;

  if (self->stopping || !state_is_live (self->state))
    return;
  if (status > 128)
    reason = g_strdup_printf (_("GDB was killed by signal %d (%s)%s%s"), status - 128,
                              g_strsignal (status - 128), log && *log ? ": " : "", log ? log : "");
  else
    reason = g_strdup_printf (_("GDB exited with status %d%s%s"), status,
                              log && *log ? ": " : "", log ? log : "");
  session_fail (self, reason);
}

static void
on_qemu_exited (KwbQemu    *qemu,
                gboolean    requested,
                const char *why,
                KwbSession *self)
{
  g_autofree char *tail = NULL;
  g_autofree char *reason = NULL;

  if (self->stopping || requested)
    return;
  tail = kwb_qemu_dup_console_tail (qemu, 8);
  if (tail != NULL && *tail != '\0')
    reason = g_strdup_printf (_("The virtual machine ended. %s\nLast console lines:\n%s"), why, tail);
  else
    reason = g_strdup_printf (_("The virtual machine ended. %s"), why);
  session_fail (self, reason);
}

/* ---- start ---- */

static void write_index (KwbSession *self);

static void
start_done (KwbSession *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->start_task);

  write_index (self);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
start_continue_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (self->start_task == NULL)
    return;
  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      g_autofree char *reason = NULL;

      if (kwb_qemu_get_killed_for_hang (self->qemu))
        return;
      reason = g_strdup_printf (_("Cannot start the guest: %s"), error->message);
      session_fail (self, reason);
      return;
    }
  if (self->state == KWB_SESSION_STATE_STARTING)
    set_state (self, KWB_SESSION_STATE_RUNNING);
  start_done (self);
}

static void
start_step_run (KwbSession *self)
{
  KwbProject *project = kwb_session_config_get_project (self->config);
  gboolean freeze = kwb_project_get_boolean (project, "qemu", "freeze");

  if (self->stay_frozen || (freeze && self->initial_breakpoints->len == 0 && self->initial_watches->len == 0 &&
                            !kwb_project_get_boolean (project, "debug", "break-at-start")))
    {
      set_state (self, KWB_SESSION_STATE_STOPPED);
      start_done (self);
      return;
    }
  self->start_continued = TRUE;
  kwb_gdb_exec_async (self->gdb, KWB_GDB_EXEC_CONTINUE, NULL, start_continue_cb, g_object_ref (self));
}

static void
initial_break_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (self->start_task == NULL)
    return;
  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL && self->pending_allowed && !self->retrying_pending &&
      strstr (error->message, "not defined") != NULL)
    {
      /* Perhaps a module's, not loaded yet: GDB sets it when the module's
       * symbols come (kwb-modules.c), before its init runs. */
      const char *location = g_ptr_array_index (self->initial_breakpoints, self->next_initial - 1);

      session_log (self, _("Breakpoint at %s is pending: it is set when a module that defines it is loaded"),
                   location);
      self->retrying_pending = TRUE;
      kwb_gdb_break_insert_async (self->gdb, location, KWB_GDB_BREAK_PENDING, NULL, NULL, initial_break_cb,
                                  g_object_ref (self));
      return;
    }
  self->retrying_pending = FALSE;
  if (record == NULL)
    session_log (self, _("Breakpoint at %s not set: %s"),
                 (const char *) g_ptr_array_index (self->initial_breakpoints, self->next_initial - 1),
                 error->message);
  else if (kwb_mi_record_get (record, "bkpt") != NULL)
    kwb_breakpoints_update (self->breakpoints, kwb_mi_record_get (record, "bkpt"));
  start_step_breakpoints (self);
}

static void
start_step_breakpoints (KwbSession *self)
{
  KwbGdbBreakFlags flags = KWB_GDB_BREAK_NONE;
  const char *location;

  if (self->next_initial >= self->initial_breakpoints->len)
    {
      start_step_watches (self);
      return;
    }
  /* Under KVM a software breakpoint written before the kernel has set up
   * its page tables is lost: early ones must be hardware breakpoints. */
  location = g_ptr_array_index (self->initial_breakpoints, self->next_initial++);
  if (g_strcmp0 (kwb_qemu_get_accelerator (self->qemu), "kvm") == 0 ||
      g_hash_table_contains (self->initial_hardware, location))
    {
      g_autofree char *what = g_strdup_printf (_("a hardware breakpoint at %s"), location);
      g_autoptr(GError) error = NULL;

      if (!kwb_session_check_hardware_slots (self, 1, what, &error))
        {
          session_log (self, _("Breakpoint at %s not set: %s"), location, error->message);
          start_step_breakpoints (self);
          return;
        }
      flags |= KWB_GDB_BREAK_HARDWARE;
    }
  kwb_gdb_break_insert_async (self->gdb, location, flags, NULL, NULL, initial_break_cb, g_object_ref (self));
}

static void
initial_watch_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbBreakpoint) bp = NULL;
  g_autoptr(GError) error = NULL;

  if (self->start_task == NULL)
    return;
  bp = kwb_session_insert_watch_finish (self, result, &error);
  if (bp == NULL)
    session_log (self, "%s", error->message);
  start_step_watches (self);
}

static void
start_step_watches (KwbSession *self)
{
  InitialWatch *watch;

  if (self->next_watch >= self->initial_watches->len)
    {
      start_step_run (self);
      return;
    }
  watch = g_ptr_array_index (self->initial_watches, self->next_watch++);
  kwb_session_insert_watch_async (self, watch->expression, watch->kind, initial_watch_cb, g_object_ref (self));
}

static void target_remote_cb (GObject *object, GAsyncResult *result, gpointer user_data);

static void
arch_set_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, NULL);
  g_autofree char *target = kwb_qemu_dup_gdb_target (self->qemu);

  kwb_gdb_target_remote_async (self->gdb, target, NULL, target_remote_cb, g_object_ref (self));
}

static void
disconnect_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);

  g_autofree char *command = g_strdup_printf ("set architecture %s",
                                              kwb_session_config_get_arch (self->config)->gdb_architecture);

  kwb_gdb_console_async (self->gdb, command, NULL, arch_set_cb, g_object_ref (self));
}

static void
target_remote_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  if (self->start_task == NULL)
    return;
  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      if (strstr (error->message, "'g' packet reply is too long") != NULL && !self->tried_arch_recovery)
        {
          self->tried_arch_recovery = TRUE;
          session_log (self, _("GDB said “%s”; recovering the manual way: disconnect, "
                               "set architecture %s, reconnect"), error->message,
                       kwb_session_config_get_arch (self->config)->gdb_architecture);
          kwb_gdb_command_async (self->gdb, NULL, disconnect_cb, g_object_ref (self), "-target-disconnect");
          return;
        }
      /* GDB's connection broke because QEMU is being killed for hanging:
       * QEMU's exit, which is on its way, fails the session with the cause. */
      if (kwb_qemu_get_killed_for_hang (self->qemu))
        return;
      {
        g_autofree char *reason = g_strdup_printf (_("GDB could not attach to the guest: %s"), error->message);

        session_fail (self, reason);
      }
      return;
    }
  start_step_setup (self);
}

static void
start_step_connect (KwbSession *self)
{
  KwbProject *project = kwb_session_config_get_project (self->config);
  g_auto(GStrv) maps = kwb_project_dup_string_list (project, "debug", "substitute-path");
  g_autofree char *target = kwb_qemu_dup_gdb_target (self->qemu);

  /* The project's own mappings (FROM=TO), for prebuilt kernels. */
  for (guint i = 0; maps[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (maps[i], "=", 2);

      if (g_strv_length (pair) == 2)
        {
          g_autofree char *command = kwb_gdb_dup_substitute_path_command (pair[0], pair[1]);

          g_ptr_array_add (self->path_maps, g_strdup (pair[0]));
          g_ptr_array_add (self->path_maps, g_strdup (pair[1]));
          kwb_gdb_console_async (self->gdb, command, NULL, NULL, NULL);
        }
    }
  kwb_gdb_target_remote_async (self->gdb, target, NULL, target_remote_cb, g_object_ref (self));
}

static void
start_part_done (KwbSession *self)
{
  if (--self->start_pending == 0 && self->start_task != NULL)
    start_step_connect (self);
}

static void
qemu_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_qemu_start_finish (KWB_QEMU (object), result, &error))
    {
      session_fail (self, error->message);
      return;
    }
  if (kwb_qemu_get_accel_note (self->qemu) != NULL)
    session_log (self, "%s", kwb_qemu_get_accel_note (self->qemu));
  session_log (self, _("QEMU started under %s; GDB stub at %s"),
               kwb_qemu_get_accelerator (self->qemu),
               kwb_qemu_get_gdb_socket (self->qemu) ? kwb_qemu_get_gdb_socket (self->qemu) : "127.0.0.1");
  start_part_done (self);
}

static void
file_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      g_autofree char *reason = g_strdup_printf (_("GDB cannot load %s: %s"),
                                                 kwb_session_config_get_vmlinux (self->config),
                                                 error->message);
      session_fail (self, reason);
      return;
    }
  /* GDB auto-loads OBJFILE-gdb.py beside the file it read: for the kept
   * copy (kwb_gdb_index_dup_symbol_file()) that is not where the kernel's
   * build put its helpers. Queued before anything else is asked. */
  {
    const char *vmlinux = kwb_session_config_get_vmlinux (self->config);
    g_autofree char *script = g_strconcat (vmlinux, "-gdb.py", NULL);

    if (g_strcmp0 (self->symbol_file, vmlinux) != 0 &&
        g_file_test (script, G_FILE_TEST_IS_REGULAR))
      {
        /* `source` takes the rest of the line as the file's name, verbatim. */
        g_autofree char *command = g_strdup_printf ("source %s", script);

        kwb_gdb_console_async (self->gdb, command, NULL, NULL, NULL);
      }
  }
  start_part_done (self);
}

/* Reading a big vmlinux's symbols is the slow part of a start: say so, and
 * why the first session after a new vmlinux is slower than the next. */
static void
announce_symbols (KwbSession *self)
{
  const char *vmlinux = kwb_session_config_get_vmlinux (self->config);
  GStatBuf st;
  guint mb;

  if (vmlinux == NULL || g_stat (vmlinux, &st) != 0)
    return;
  mb = (guint) (st.st_size >> 20);
  if (self->index_to_write)
    {
      g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();

      session_log (self, _("First session with this vmlinux (%u MB): GDB reads all of its debug information "
                           "once; an index of it is then written in the background to %s, so the next "
                           "sessions start faster"), mb, dir);
      return;
    }
  if (mb >= 100)
    session_log (self, _("Loading the symbols of %s (%u MB)…"), vmlinux, mb);
}

static void
index_written_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (kwb_gdb_index_write_finish (KWB_GDB_INDEX (object), result, &error))
    session_log (self, _("GDB’s index of this vmlinux is written: the next sessions start faster"));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    session_log (self, _("GDB’s index of this vmlinux could not be written (%s): the next sessions read "
                         "its debug information again"), error->message);
}

/* Once the guest runs: the writer takes the CPU the session leaves. */
static void
write_index (KwbSession *self)
{
  if (!self->index_to_write)
    return;
  self->index_to_write = FALSE;
  kwb_gdb_index_write_async (self->gdb_index, NULL, index_written_cb, g_object_ref (self));
}

static GStrv
gdb_extra_args (KwbSession *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  const char *build_dir = kwb_session_config_get_build_dir (self->config);
  const char *source_dir = kwb_session_config_get_source_dir (self->config);
  g_autofree char *vmlinux_dir = g_path_get_dirname (kwb_session_config_get_vmlinux (self->config));
  /* Not kwb_gdb_quote_cli_argument(): add-auto-load-safe-path and
   * `set index-cache directory` take the rest of the line verbatim, so
   * quotes would become part of the folder's name. */
  g_autofree char *safe = g_strdup_printf ("add-auto-load-safe-path %s", build_dir ? build_dir : vmlinux_dir);

  /* remotetimeout: whether QEMU hangs is KwbQemu's watchdog's call (at most
   * 7.5 s), and it names the cause; GDB's own 2 s default could give up
   * first, on a stub that is only slow under a busy TCG guest, with a
   * vaguer message. */
  g_strv_builder_add_many (b, "-iex", "set pagination off", "-iex", "set confirm off",
                           "-iex", "set width 0", "-iex", "set remotetimeout 20", "-iex", safe, NULL);
  /* The source tree on GDB's search path: a distribution's vmlinux records
   * relative compilation directories that no substitute-path can match,
   * and `list` and breakpoints by file then work there too. `directory`
   * splits its line at blanks and colons: such a folder is left to our
   * own mapping (kwb_session_map_source_path). */
  if (source_dir != NULL && strpbrk (source_dir, " \t:") == NULL)
    {
      g_autofree char *directory = g_strdup_printf ("directory %s", source_dir);

      g_strv_builder_add_many (b, "-iex", directory, NULL);
    }
  /* Only to read one: writing it would hold up the first stop
   * (KwbGdbIndex writes it meanwhile instead). */
  if (self->gdb_index != NULL && kwb_gdb_index_is_kept (self->gdb_index))
    {
      g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
      g_autofree char *set_dir = g_strdup_printf ("set index-cache directory %s", dir);

      /* GDB 13 spells it "set index-cache on" (14 adds "enabled"). */
      g_strv_builder_add_many (b, "-iex", set_dir, "-iex", "set index-cache on", NULL);
    }
  return g_strv_builder_end (b);
}

void
kwb_session_start_async (KwbSession          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *gdb_program = NULL;
  g_autofree char *gdb_path = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) project_breakpoints = NULL;
  KwbProject *project;

  g_return_if_fail (KWB_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_session_start_async);

  if (self->state != KWB_SESSION_STATE_IDLE)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("This session was started already; start a new one"));
      return;
    }
  if (!kwb_session_config_check_versions (self->config, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  project = kwb_session_config_get_project (self->config);
  {
    const KwbArch *arch = kwb_session_config_get_arch (self->config);
    g_autofree char *configured = kwb_project_dup_string (project, "debug", "gdb");

    gdb_program = kwb_arch_dup_gdb_binary (arch, configured);
    gdb_path = kwb_spawn_find_program (gdb_program, arch->gdb_package, &error);
  }
  if (gdb_path == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Where to stop first, then the project's saved breakpoints, then those
   * the caller added (the window's, set before booting). */
  if (kwb_project_get_boolean (project, "debug", "break-at-start"))
    {
      g_autofree char *start = kwb_project_dup_string (project, "debug", "start-function");

      if (start != NULL && *start != '\0')
        g_ptr_array_insert (self->initial_breakpoints, 0, g_steal_pointer (&start));
    }
  project_breakpoints = kwb_project_dup_string_list (project, "debug", "breakpoints");
  for (guint i = 0; project_breakpoints[i] != NULL; i++)
    g_ptr_array_add (self->initial_breakpoints, g_strdup (project_breakpoints[i]));
  if (kwb_project_get_boolean (project, "debug", "stop-on-crash"))
    kwb_session_add_setup_func (self, kwb_session_crash_setup, NULL);

  self->qemu = kwb_session_config_create_qemu (self->config);
  if (kwb_session_config_get_boot_vmlinux (self->config))
    session_log (self, _("QEMU boots the vmlinux itself through its PVH entry, without the kernel image’s "
                         "decompressor (qemu.boot=image boots the image)"));
  kwb_qemu_set_freeze (self->qemu, TRUE);
  kwb_qemu_set_watch_console (self->qemu, !self->console_unwatched);
  g_signal_connect (self->qemu, "exited", G_CALLBACK (on_qemu_exited), self);

  if (kwb_project_get_boolean (project, "debug", "index-cache"))
    {
      self->gdb_index = kwb_gdb_index_new (gdb_program, kwb_session_config_get_vmlinux (self->config));
      self->index_to_write = kwb_gdb_index_get_build_id (self->gdb_index) != NULL &&
                             !kwb_gdb_index_is_kept (self->gdb_index);
    }
  args = gdb_extra_args (self);
  self->gdb = kwb_gdb_new (gdb_program, (const char * const *) args);
  g_signal_connect (self->gdb, "stopped", G_CALLBACK (on_gdb_stopped), self);
  g_signal_connect (self->gdb, "running", G_CALLBACK (on_gdb_running), self);
  g_signal_connect (self->gdb, "breakpoint-created", G_CALLBACK (on_breakpoint_record), self);
  g_signal_connect (self->gdb, "breakpoint-modified", G_CALLBACK (on_breakpoint_record), self);
  g_signal_connect (self->gdb, "breakpoint-deleted", G_CALLBACK (on_breakpoint_deleted), self);
  g_signal_connect (self->gdb, "exited", G_CALLBACK (on_gdb_exited), self);
  g_signal_connect (self->gdb, "resume-failed", G_CALLBACK (on_resume_failed), self);

  if (!kwb_gdb_start (self->gdb, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->start_task = g_steal_pointer (&task);
  set_state (self, KWB_SESSION_STATE_STARTING);

  /* Symbols load while QEMU starts: the slower of the two sets the pace. */
  self->start_pending = 2;
  kwb_qemu_start_async (self->qemu, NULL, qemu_started_cb, g_object_ref (self));
  announce_symbols (self);
  g_free (self->symbol_file);
  self->symbol_file = self->gdb_index ? kwb_gdb_index_dup_symbol_file (self->gdb_index)
                                      : g_strdup (kwb_session_config_get_vmlinux (self->config));
  kwb_gdb_file_load_async (self->gdb, self->symbol_file, NULL, file_loaded_cb, g_object_ref (self));
}

gboolean
kwb_session_start_finish (KwbSession    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- stop ---- */

static void
qemu_stop_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;

  kwb_qemu_stop_finish (KWB_QEMU (object), result, NULL);
  set_state (self, KWB_SESSION_STATE_EXITED);
  finish_stop_tasks (self);
}

void
kwb_session_stop_async (KwbSession          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_session_stop_async);

  if (self->qemu == NULL || kwb_qemu_get_pid (self->qemu) == 0)
    {
      if (self->gdb != NULL)
        kwb_gdb_kill (self->gdb);
      if (state_is_live (self->state))
        set_state (self, KWB_SESSION_STATE_EXITED);
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_queue_push_tail (&self->stop_tasks, g_steal_pointer (&task));
  if (self->stopping)
    return;
  self->stopping = TRUE;
  fail_all_ops (self, _("The session is stopping"));
  if (self->start_task != NULL)
    {
      g_autoptr(GTask) start = g_steal_pointer (&self->start_task);

      g_task_return_new_error (start, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The session was stopped"));
    }
  /* GDB first, so it does not report the stub's disappearance as an error. */
  if (self->gdb != NULL)
    kwb_gdb_kill (self->gdb);
  kwb_qemu_stop_async (self->qemu, NULL, qemu_stop_cb, g_object_ref (self));
}

gboolean
kwb_session_stop_finish (KwbSession    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- run control ---- */

static void
exec_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  GError *error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      /* A pause GDB refused is not sent again. */
      g_clear_handle_id (&((KwbSession *) g_task_get_source_object (task))->interrupt_again_id, g_source_remove);
      g_task_return_error (task, error);
      return;
    }
  /* GDB's *running comes after its ^running: the caller, answered now, may
   * already queue reads, which must find a running guest to halt rather
   * than send GDB commands it refuses while the guest runs. */
  if (g_strcmp0 (kwb_mi_record_get_class (record), "running") == 0)
    guest_resumed (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

static void
restored_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = kwb_gdb_console_finish (KWB_GDB (object), result, &error);

  if (out == NULL && state_is_live (self->state))
    session_log (self, _("The CPU's registers could not be put back after the crash stop: %s"), error->message);
}

/* Before the guest runs from a crash stop: the CPU gets its own registers
 * back, so the kernel's crash path goes on where it was stopped. GDB
 * answers commands in order, so the resume that follows runs after it. */
static void
restore_crash_registers (KwbSession *self)
{
  g_autofree char *restore = g_steal_pointer (&self->crash_restore);

  if (restore != NULL)
    kwb_gdb_console_async (self->gdb, restore, NULL, restored_cb, g_object_ref (self));
}

static gboolean
check_state (KwbSession       *self,
             GTask            *task,
             KwbSessionState   wanted,
             const char       *what)
{
  /* While the session runs its own ops, GDB's answer would interleave. */
  if (self->state == wanted && (self->halt == HALT_NONE || self->halt == HALT_INTERNAL))
    return TRUE;
  g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                           _("Cannot %s: the guest is %s"), what,
                           kwb_session_state_to_string (self->state));
  return FALSE;
}

void
kwb_session_exec_async (KwbSession          *self,
                        KwbGdbExec           what,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_session_exec_async);

  if (what == KWB_GDB_EXEC_INTERRUPT)
    {
      if (!check_state (self, task, KWB_SESSION_STATE_RUNNING, _("pause")))
        return;
    }
  else if (!check_state (self, task, KWB_SESSION_STATE_STOPPED, _("resume")))
    return;
  if (kwb_gdb_exec_is_reverse (what) && kwb_qemu_get_replay (self->qemu) != KWB_QEMU_REPLAY_PLAY)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("Going backwards needs a replay: record a run, then replay the recording"));
      return;
    }
  /* What to resume with again if GDB aborts it: see on_resume_failed. */
  if (what != KWB_GDB_EXEC_INTERRUPT)
    self->resume_what = what;
  if (what == KWB_GDB_EXEC_INTERRUPT)
    {
      interrupt_guest (self, exec_cb, g_steal_pointer (&task));
      return;
    }
  restore_crash_registers (self);
  if (kwb_gdb_exec_is_reverse (what) && self->reverse_func != NULL && self->halt == HALT_NONE)
    {
      self->halt = HALT_PREPARING;
      self->reverse_what = what;
      self->reverse_task = g_steal_pointer (&task);
      /* The function looks at the stop first; it may be ready at once. */
      self->reverse_func (self, what, self->reverse_data);
      if (self->halt == HALT_PREPARING)
        set_state (self, KWB_SESSION_STATE_RUNNING);
      return;
    }
  resume_guest (self, what, cancellable, g_steal_pointer (&task));
}

/**
 * kwb_session_set_reverse_func:
 * @func: called when the user asks for a step backwards (the session is
 *   then RUNNING for everybody else); it may run the guest through the
 *   session's GDB, whose stops the session leaves to it, and must bring
 *   the guest back to the stop it was at, then call
 *   kwb_session_reverse_ready()
 *
 * The replay keeps a snapshot close behind the stop with it, so that QEMU,
 * which goes backwards by loading the nearest snapshot and replaying from
 * it, has little to replay.
 */
void
kwb_session_set_reverse_func (KwbSession            *self,
                              KwbSessionReverseFunc  func,
                              gpointer               user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  self->reverse_func = func;
  self->reverse_data = user_data;
}

/* The guest is back where it stopped: the step backwards now. Ops that
 * came in the meantime run first, there. (A pause meanwhile is refused,
 * as during any step backwards: see kwb_replay_is_going_back().) ERROR: the
 * guest could not be brought back, and GDB's idea of where it is would be
 * wrong: the session ends with it. */
void
kwb_session_reverse_ready (KwbSession   *self,
                           const GError *error)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));

  if (self->halt != HALT_PREPARING)
    return;
  self->halt = HALT_NONE;
  if (error != NULL)
    {
      session_fail (self, error->message);
      return;
    }
  task = g_steal_pointer (&self->reverse_task);
  if (task == NULL || !state_is_live (self->state))
    return;
  if (!g_queue_is_empty (&self->ops))
    {
      /* First the ops that came meanwhile, at the stop (run_next_op()
       * then sends the step). */
      self->reverse_task = g_steal_pointer (&task);
      self->halt = HALT_DRAINING;
      run_next_op (self);
      return;
    }
  resume_guest (self, self->reverse_what, g_task_get_cancellable (task), g_object_ref (task));
}

KwbGdbExec
kwb_session_get_resume_what (KwbSession *self)
{
  g_return_val_if_fail (KWB_IS_SESSION (self), KWB_GDB_EXEC_CONTINUE);
  return self->resume_what;
}

void
kwb_session_run_to_async (KwbSession          *self,
                          const char          *location,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_session_exec_async);
  if (!check_state (self, task, KWB_SESSION_STATE_STOPPED, _("run to a location")))
    return;
  restore_crash_registers (self);
  kwb_gdb_exec_until_async (self->gdb, location, cancellable, exec_cb, g_steal_pointer (&task));
}

gboolean
kwb_session_exec_finish (KwbSession    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- operations that need a halted guest ---- */

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL && state_is_live (self->state))
    session_log (self, _("Could not resume the guest after changing breakpoints: %s"), error->message);
}

static void
op_done (KwbSession *self)
{
  self->op_running = FALSE;
  run_next_op (self);
}

/* The typed answer of a read op, as a list model of ITEM_TYPE. */
static GListModel *
store_new (GType      item_type,
           GPtrArray *items)
{
  GListStore *store = g_list_store_new (item_type);

  g_list_store_splice (store, 0, 0, items->pdata, items->len);
  return G_LIST_MODEL (store);
}

/* Frames name their files as the debug information does; the GUI wants the
 * file on this machine. */
static GListModel *
frames_store_new (KwbSession *self,
                  GPtrArray  *frames)
{
  g_autoptr(GPtrArray) local = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < frames->len; i++)
    {
      KwbFrame *frame = g_ptr_array_index (frames, i);
      g_autofree char *mapped = NULL;

      /* GDB unwinds one frame past where a kernel stack starts (after
       * secondary_startup_64, ret_from_fork): a return address of 0 with no
       * symbol. It is the stack's end, not a frame, and not user space. */
      if (i > 0 && i == frames->len - 1 && kwb_frame_get_address (frame) == 0 &&
          !kwb_frame_has_symbol (frame))
        break;
      if (self->crash != NULL && kwb_frame_get_level (frame) < self->crash_first_level)
        continue;
      mapped = kwb_session_map_source_path (self, kwb_frame_get_fullname (frame));

      g_ptr_array_add (local, kwb_frame_new (kwb_frame_get_level (frame), kwb_frame_get_function (frame),
                                             kwb_frame_get_file (frame),
                                             mapped ? mapped : kwb_frame_get_fullname (frame),
                                             kwb_frame_get_line (frame), kwb_frame_get_address (frame)));
    }
  return store_new (KWB_TYPE_FRAME, local);
}

static void
return_list (GTask     *task,
             GPtrArray *items,
             GType      item_type,
             GError    *error)
{
  if (items == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store_new (item_type, items), g_object_unref);
}

/* -data-read-memory-bytes answers with blocks of hex digits; the caller
 * asked for LENGTH bytes at ADDRESS and gets all of them or an error (GDB
 * splits the answer where a page cannot be read). */
static void
return_memory (GTask       *task,
               KwbMiRecord *record,
               guint64      address,
               guint64      length,
               GError      *error)
{
  const KwbMiValue *block;
  const char *hex;
  guint64 begin = 0;
  gsize hex_len = 0;
  g_autofree guint8 *data = NULL;

  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  block = kwb_mi_record_get (record, "memory.0");
  hex = block ? kwb_mi_value_get_string_len (block, "contents", &hex_len) : NULL;
  if (hex == NULL || !kwb_mi_value_get_uint64 (block, "begin", &begin) || begin != address ||
      hex_len != length * 2 || kwb_mi_value_get_n_children (kwb_mi_record_get (record, "memory")) != 1)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("Could not read %llu bytes of guest memory at 0x%llx: part of it is not mapped"),
                               (unsigned long long) length, (unsigned long long) address);
      return;
    }
  data = g_malloc (length > 0 ? length : 1);
  for (guint64 i = 0; i < length; i++)
    {
      int hi = g_ascii_xdigit_value (hex[2 * i]);
      int lo = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                                   _("GDB returned guest memory that is not hexadecimal"));
          return;
        }
      data[i] = (guint8) (hi << 4 | lo);
    }
  g_task_return_pointer (task, g_bytes_new_take (g_steal_pointer (&data), length),
                         (GDestroyNotify) g_bytes_unref);
}

static void
op_gdb_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  KwbGdb *gdb = KWB_GDB (object);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(KwbMiRecord) record = NULL;
  char *text;
  GError *error = NULL;

  switch (op->kind)
    {
    case OP_CONSOLE:
    case OP_EVALUATE:
      text = op->kind == OP_CONSOLE ? kwb_gdb_console_finish (gdb, result, &error)
                                    : kwb_gdb_evaluate_finish (gdb, result, &error);
      if (text == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, text, g_free);
      break;

    case OP_LIST_FRAMES:
      if ((items = kwb_gdb_list_frames_finish (gdb, result, &error)) == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, frames_store_new (self, items), g_object_unref);
      break;
    case OP_LIST_VARIABLES:
      items = kwb_gdb_list_variables_finish (gdb, result, &error);
      return_list (task, items, KWB_TYPE_VARIABLE, error);
      break;
    case OP_LIST_REGISTERS:
      items = kwb_gdb_list_registers_finish (gdb, result, &error);
      return_list (task, items, KWB_TYPE_REGISTER, error);
      break;
    case OP_DISASSEMBLE:
    case OP_DISASSEMBLE_FUNCTION:
      items = kwb_gdb_disassemble_finish (gdb, result, &error);
      return_list (task, items, KWB_TYPE_INSTRUCTION, error);
      break;

    case OP_READ_MEMORY:
      record = kwb_gdb_command_finish (gdb, result, &error);
      return_memory (task, record, op->start, op->end, error);
      break;

    case OP_INSERT:
    case OP_DELETE:
    case OP_ENABLE:
    case OP_SELECT_FRAME:
    case OP_WATCH: /* answered in op_watch_cb */
    default:
      record = kwb_gdb_command_finish (gdb, result, &error);
      if (record == NULL)
        g_task_return_error (task, error);
      else if (op->kind == OP_INSERT)
        {
          const KwbMiValue *bkpt = kwb_mi_record_get (record, "bkpt");
          KwbBreakpoint *bp = bkpt ? kwb_breakpoints_update (self->breakpoints, bkpt) : NULL;

          if (bp != NULL)
            g_task_return_pointer (task, g_object_ref (bp), g_object_unref);
          else
            g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                                     _("GDB did not report the new breakpoint"));
        }
      else
        {
          if (op->kind == OP_DELETE)
            kwb_breakpoints_remove (self->breakpoints, op->arg);
          else if (op->kind == OP_ENABLE && kwb_breakpoints_lookup (self->breakpoints, op->arg) != NULL)
            kwb_breakpoint_set_enabled (kwb_breakpoints_lookup (self->breakpoints, op->arg), op->enabled);
          g_task_return_boolean (task, TRUE);
        }
      break;
    }
  op_done (self);
}

static void
op_watch_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = KWB_SESSION (object);
  GError *error = NULL;
  KwbBreakpoint *bp = kwb_session_insert_watch_finish (self, result, &error);

  if (bp == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bp, g_object_unref);
  op_done (self);
}

/* A hardware breakpoint inserted, or a hardware one enabled again, needs
 * a free debug register: refused here rather than by the next continue. */
static gboolean
op_check_slots (KwbSession *self,
                GTask      *task)
{
  Op *op = g_task_get_task_data (task);
  g_autofree char *what = NULL;
  GError *error = NULL;
  guint needed = 0;

  if (op->kind == OP_INSERT && (op->flags & KWB_GDB_BREAK_HARDWARE) && !(op->flags & KWB_GDB_BREAK_DISABLED))
    {
      needed = 1;
      what = g_strdup_printf (_("a hardware breakpoint at %s"), op->arg);
    }
  else if (op->kind == OP_ENABLE && op->enabled)
    {
      KwbBreakpoint *bp = kwb_breakpoints_lookup (self->breakpoints, op->arg);

      if (bp != NULL && !kwb_breakpoint_get_enabled (bp))
        needed = kwb_breakpoint_get_hardware_slots (bp);
      what = g_strdup_printf (_("breakpoint %s"), op->arg);
    }
  if (needed == 0 || kwb_session_check_hardware_slots (self, needed, what, &error))
    return TRUE;
  g_task_return_error (task, error);
  g_object_unref (task);
  op_done (self);
  return FALSE;
}

static void
run_op (KwbSession *self,
        GTask      *task)
{
  Op *op = g_task_get_task_data (task);
  /* Breakpoint changes always complete: the model must follow GDB even if
   * the caller gave up. Reads stop when their caller does. */
  GCancellable *cancellable = g_task_get_cancellable (task);

  self->op_running = TRUE;
  switch (op->kind)
    {
    case OP_INSERT:
      if (!op_check_slots (self, task))
        return;
      kwb_gdb_break_insert_async (self->gdb, op->arg, op->flags, op->condition, NULL, op_gdb_cb, task);
      break;
    case OP_DELETE:
      kwb_gdb_break_delete_async (self->gdb, op->arg, NULL, op_gdb_cb, task);
      break;
    case OP_ENABLE:
      if (!op_check_slots (self, task))
        return;
      kwb_gdb_break_enable_async (self->gdb, op->arg, op->enabled, NULL, op_gdb_cb, task);
      break;
    case OP_WATCH:
      kwb_session_insert_watch_async (self, op->arg, op->watch_kind, op_watch_cb, task);
      break;
    case OP_CONSOLE:
      kwb_gdb_console_async (self->gdb, op->arg, NULL, op_gdb_cb, task);
      break;
    case OP_LIST_FRAMES:
      kwb_gdb_list_frames_async (self->gdb, cancellable, op_gdb_cb, task);
      break;
    case OP_SELECT_FRAME:
      kwb_gdb_select_frame_async (self->gdb, op->level, cancellable, op_gdb_cb, task);
      break;
    case OP_LIST_VARIABLES:
      kwb_gdb_list_variables_async (self->gdb, cancellable, op_gdb_cb, task);
      break;
    case OP_LIST_REGISTERS:
      kwb_gdb_list_registers_async (self->gdb, (const char * const *) op->names, cancellable, op_gdb_cb, task);
      break;
    case OP_DISASSEMBLE:
      kwb_gdb_disassemble_async (self->gdb, op->start, op->end, cancellable, op_gdb_cb, task);
      break;
    case OP_DISASSEMBLE_FUNCTION:
      kwb_gdb_disassemble_function_async (self->gdb, op->start, cancellable, op_gdb_cb, task);
      break;
    case OP_EVALUATE:
      kwb_gdb_evaluate_async (self->gdb, op->arg, cancellable, op_gdb_cb, task);
      break;
    case OP_READ_MEMORY:
      kwb_gdb_command_async (self->gdb, cancellable, op_gdb_cb, task,
                             "-data-read-memory-bytes 0x%" G_GINT64_MODIFIER "x %" G_GUINT64_FORMAT,
                             op->start, op->end);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
run_next_op (KwbSession *self)
{
  GTask *task;
  KwbGdbExec what;
  gboolean resume;

  if (self->op_running)
    return;
  if (self->halt == HALT_INTERRUPTING || self->halt == HALT_PREPARING || self->halt == HALT_WAITING)
    return; /* still waiting for our interrupt to land, the guest to come back, a step to end */

  while ((task = g_queue_pop_head (&self->ops)) != NULL)
    {
      /* A caller that gave up while its op waited (a panel whose stop is
       * gone) costs GDB nothing. */
      if (g_task_return_error_if_cancelled (task))
        {
          g_object_unref (task);
          continue;
        }
      run_op (self, task);
      return;
    }

  if (self->halt == HALT_INTERNAL)
    return; /* kwb_session_internal_done() resumes */
  /* The step backwards that waited for these ops (kwb_session_reverse_ready()). */
  if (self->reverse_task != NULL)
    {
      g_autoptr(GTask) step = g_steal_pointer (&self->reverse_task);

      self->halt = HALT_NONE;
      resume_guest (self, self->reverse_what, g_task_get_cancellable (step), g_object_ref (step));
      return;
    }
  resume = self->halt == HALT_HALTED;
  self->halt = HALT_NONE;
  what = self->halted_resume;
  self->halted_resume = KWB_GDB_EXEC_CONTINUE;
  if (resume && state_is_live (self->state))
    kwb_gdb_exec_async (self->gdb, what, NULL, resume_cb, g_object_ref (self));
}

/* GDB's all-stop remote target loses an interrupt that comes while it
 * steps the guest off a breakpoint it was resumed from: the stub, stopped
 * for that step, ignores the ^C, and GDB resumes the guest as if nobody had
 * asked. An interrupt that has brought no stop after INTERRUPT_AGAIN_MS is
 * sent again; a second ^C to a stub that is stopping anyway is ignored. */
#define INTERRUPT_AGAIN_MS 1000

static gboolean
interrupt_again_cb (gpointer user_data)
{
  KwbSession *self = user_data;

  if (self->state != KWB_SESSION_STATE_RUNNING || self->gdb == NULL)
    {
      self->interrupt_again_id = 0;
      return G_SOURCE_REMOVE;
    }
  g_debug ("no stop %d ms after the interrupt: interrupting again", INTERRUPT_AGAIN_MS);
  kwb_gdb_exec_async (self->gdb, KWB_GDB_EXEC_INTERRUPT, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
interrupt_guest (KwbSession          *self,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  kwb_gdb_exec_async (self->gdb, KWB_GDB_EXEC_INTERRUPT, NULL, callback, user_data);
  if (self->interrupt_again_id == 0)
    self->interrupt_again_id = g_timeout_add (INTERRUPT_AGAIN_MS, interrupt_again_cb, self);
}

static void
interrupt_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KwbSession) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    g_clear_handle_id (&self->interrupt_again_id, g_source_remove);
  if (record == NULL && self->halt == HALT_INTERRUPTING)
    {
      /* GDB says the target is not running after all: do the work now. */
      self->halt = HALT_DRAINING;
      run_next_op (self);
    }
}

static void
queue_op (KwbSession *self,
          GTask      *task)
{
  if (!state_is_live (self->state) || self->stopping)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("No session is running"));
      g_object_unref (task);
      return;
    }

  g_queue_push_tail (&self->ops, task);
  if (self->state == KWB_SESSION_STATE_RUNNING && self->halt == HALT_NONE &&
      kwb_gdb_exec_is_reverse (self->resume_what) && self->resume_what != KWB_GDB_EXEC_REVERSE_CONTINUE)
    {
      self->halt = HALT_WAITING;
      return;
    }
  if (self->state == KWB_SESSION_STATE_RUNNING && self->halt == HALT_NONE)
    {
      self->halt = HALT_INTERRUPTING;
      interrupt_guest (self, interrupt_cb, g_object_ref (self));
      return;
    }
  run_next_op (self);
}

static GTask *
new_op_task (KwbSession          *self,
             OpKind               kind,
             const char          *arg,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data,
             gpointer             source_tag)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  op->kind = kind;
  op->arg = g_strdup (arg);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, op_free);
  return task;
}

void
kwb_session_break_insert_async (KwbSession          *self,
                                const char          *location,
                                KwbGdbBreakFlags     flags,
                                const char          *condition,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (location != NULL);

  task = new_op_task (self, OP_INSERT, location, cancellable, callback, user_data,
                      kwb_session_break_insert_async);
  op = g_task_get_task_data (task);
  /* Pending only when asked (a module not loaded yet): a kernel function
   * that does not exist must be an error the user sees. */
  op->flags = flags;
  op->condition = g_strdup (condition);
  queue_op (self, task);
}

KwbBreakpoint *
kwb_session_break_insert_finish (KwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer propagate_op_pointer (KwbSession *self, GAsyncResult *result, gpointer source_tag, GError **error);

void
kwb_session_watch_async (KwbSession          *self,
                         const char          *expression,
                         KwbGdbWatchKind      kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (expression != NULL);

  task = new_op_task (self, OP_WATCH, expression, cancellable, callback, user_data,
                      kwb_session_watch_async);
  ((Op *) g_task_get_task_data (task))->watch_kind = kind;
  queue_op (self, task);
}

KwbBreakpoint *
kwb_session_watch_finish (KwbSession    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_watch_async, error);
}

void
kwb_session_break_delete_async (KwbSession          *self,
                                const char          *number,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  queue_op (self, new_op_task (self, OP_DELETE, number, cancellable, callback, user_data,
                               kwb_session_break_delete_async));
}

void
kwb_session_break_enable_async (KwbSession          *self,
                                const char          *number,
                                gboolean             enabled,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  task = new_op_task (self, OP_ENABLE, number, cancellable, callback, user_data,
                      kwb_session_break_enable_async);
  ((Op *) g_task_get_task_data (task))->enabled = enabled;
  queue_op (self, task);
}

gboolean
kwb_session_break_change_finish (KwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kwb_session_console_async (KwbSession          *self,
                           const char          *command,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (command != NULL);
  if (self->crash_restore != NULL && kwb_session_crash_is_resume_command (command))
    {
      g_autofree char *restore = g_steal_pointer (&self->crash_restore);

      queue_op (self, new_op_task (self, OP_CONSOLE, restore, NULL, ignore_console_cb, NULL,
                                   kwb_session_console_async));
    }
  queue_op (self, new_op_task (self, OP_CONSOLE, command, cancellable, callback, user_data,
                               kwb_session_console_async));
}

char *
kwb_session_console_finish (KwbSession    *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- what the stopped guest looks like ---- */

/* What a queued op returned, checked to come from SOURCE_TAG. */
static gpointer
propagate_op_pointer (KwbSession    *self,
                      GAsyncResult  *result,
                      gpointer       source_tag,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kwb_session_list_frames_async (KwbSession          *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  queue_op (self, new_op_task (self, OP_LIST_FRAMES, NULL, cancellable, callback, user_data,
                               kwb_session_list_frames_async));
}

GListModel *
kwb_session_list_frames_finish (KwbSession    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_list_frames_async, error);
}

void
kwb_session_select_frame_async (KwbSession          *self,
                                guint                level,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  task = new_op_task (self, OP_SELECT_FRAME, NULL, cancellable, callback, user_data,
                      kwb_session_select_frame_async);
  ((Op *) g_task_get_task_data (task))->level = level;
  queue_op (self, task);
}

gboolean
kwb_session_select_frame_finish (KwbSession    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kwb_session_select_frame_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
kwb_session_list_variables_async (KwbSession          *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  queue_op (self, new_op_task (self, OP_LIST_VARIABLES, NULL, cancellable, callback, user_data,
                               kwb_session_list_variables_async));
}

GListModel *
kwb_session_list_variables_finish (KwbSession    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_list_variables_async, error);
}

void
kwb_session_list_registers_async (KwbSession          *self,
                                  const char * const  *names,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  task = new_op_task (self, OP_LIST_REGISTERS, NULL, cancellable, callback, user_data,
                      kwb_session_list_registers_async);
  ((Op *) g_task_get_task_data (task))->names = g_strdupv ((char **) names);
  queue_op (self, task);
}

GListModel *
kwb_session_list_registers_finish (KwbSession    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_list_registers_async, error);
}

/* An op on a range of guest addresses: [START, END) for disassembly,
 * START and a length for memory reads. */
static GTask *
new_range_op_task (KwbSession          *self,
                   OpKind               kind,
                   guint64              start,
                   guint64              end,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data,
                   gpointer             source_tag)
{
  GTask *task = new_op_task (self, kind, NULL, cancellable, callback, user_data, source_tag);
  Op *op = g_task_get_task_data (task);

  op->start = start;
  op->end = end;
  return task;
}

void
kwb_session_disassemble_async (KwbSession          *self,
                               guint64              start,
                               guint64              end,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  queue_op (self, new_range_op_task (self, OP_DISASSEMBLE, start, end, cancellable, callback, user_data,
                                     kwb_session_disassemble_async));
}

void
kwb_session_disassemble_function_async (KwbSession          *self,
                                        guint64              address,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  task = new_op_task (self, OP_DISASSEMBLE_FUNCTION, NULL, cancellable, callback, user_data,
                      kwb_session_disassemble_async);
  ((Op *) g_task_get_task_data (task))->start = address;
  queue_op (self, task);
}

GListModel *
kwb_session_disassemble_finish (KwbSession    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_disassemble_async, error);
}

void
kwb_session_evaluate_async (KwbSession          *self,
                            const char          *expression,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (expression != NULL);
  queue_op (self, new_op_task (self, OP_EVALUATE, expression, cancellable, callback, user_data,
                               kwb_session_evaluate_async));
}

char *
kwb_session_evaluate_finish (KwbSession    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_evaluate_async, error);
}

void
kwb_session_read_memory_async (KwbSession          *self,
                               guint64              address,
                               gsize                length,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KWB_IS_SESSION (self));
  task = new_range_op_task (self, OP_READ_MEMORY, address, length, cancellable, callback, user_data,
                            kwb_session_read_memory_async);
  if (length == 0 || length > KWB_SESSION_READ_MEMORY_MAX || address + length < address)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Cannot read %llu bytes of guest memory at 0x%llx"),
                               (unsigned long long) length, (unsigned long long) address);
      g_object_unref (task);
      return;
    }
  queue_op (self, task);
}

GBytes *
kwb_session_read_memory_finish (KwbSession    *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return propagate_op_pointer (self, result, kwb_session_read_memory_async, error);
}

/* ---- accessors ---- */

void
kwb_session_add_initial_breakpoint (KwbSession *self,
                                    const char *location)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (self->state == KWB_SESSION_STATE_IDLE);
  g_ptr_array_add (self->initial_breakpoints, g_strdup (location));
}

void
kwb_session_add_initial_hardware_breakpoint (KwbSession *self,
                                             const char *location)
{
  kwb_session_add_initial_breakpoint (self, location);
  g_hash_table_add (self->initial_hardware, g_strdup (location));
}

void
kwb_session_add_initial_watchpoint (KwbSession      *self,
                                    const char      *expression,
                                    KwbGdbWatchKind  kind)
{
  InitialWatch *watch;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (self->state == KWB_SESSION_STATE_IDLE);
  g_return_if_fail (expression != NULL);

  watch = g_new0 (InitialWatch, 1);
  watch->expression = g_strdup (expression);
  watch->kind = kind;
  g_ptr_array_add (self->initial_watches, watch);
}

void
kwb_session_set_console_watched (KwbSession *self,
                                 gboolean    watched)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  self->console_unwatched = !watched;
}

void
kwb_session_set_stay_frozen (KwbSession *self,
                             gboolean    stay_frozen)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  self->stay_frozen = !!stay_frozen;
}

KwbSessionConfig *kwb_session_get_config (KwbSession *self) { return self->config; }
KwbSessionState kwb_session_get_state (KwbSession *self) { return self->state; }
const char *kwb_session_get_failure_reason (KwbSession *self) { return self->failure_reason; }
KwbQemu *kwb_session_get_qemu (KwbSession *self) { return self->qemu; }
KwbGdb *kwb_session_get_gdb (KwbSession *self) { return self->gdb; }
KwbGdbIndex *kwb_session_get_gdb_index (KwbSession *self) { return self->gdb_index; }
KwbBreakpoints *kwb_session_get_breakpoints (KwbSession *self) { return self->breakpoints; }
const char *kwb_session_get_last_watch_expression (KwbSession *self) { return self->last_watch; }
const KwbGdbStop *kwb_session_get_last_stop (KwbSession *self) { return self->last_stop; }
GListModel *kwb_session_get_frames (KwbSession *self) { return G_LIST_MODEL (self->frames); }

/* "Running — TCG", "Stopped at start_kernel (init/main.c:941)", … */
/* What the watchpoint saw, which the stop's place alone does not say. */
static char *
dup_watch_status (KwbSession       *self,
                  const KwbGdbStop *stop)
{
  const char *expression = self->last_watch;
  const char *func = stop->func ? stop->func : "??";

  if (g_strcmp0 (stop->reason, "watchpoint-scope") == 0)
    return g_strdup_printf (_("Watchpoint on %s deleted: it went out of scope, in %s"),
                            expression ? expression : "?", func);
  if (stop->value_old != NULL)
    return g_strdup_printf (_("Watchpoint %s: %s → %s, in %s (%s:%d)"), expression ? expression : "?",
                            stop->value_old, stop->value_new ? stop->value_new : "?", func,
                            stop->file ? stop->file : "??", stop->line);
  return g_strdup_printf (_("Watchpoint %s = %s, in %s (%s:%d)"), expression ? expression : "?",
                          stop->value_new ? stop->value_new : "?", func, stop->file ? stop->file : "??", stop->line);
}

char *
kwb_session_dup_status_text (KwbSession *self)
{
  const char *accel;

  g_return_val_if_fail (KWB_IS_SESSION (self), NULL);

  accel = self->qemu ? kwb_qemu_get_accelerator (self->qemu) : NULL;
  switch (self->state)
    {
    case KWB_SESSION_STATE_IDLE:
      return g_strdup (_("No session"));
    case KWB_SESSION_STATE_STARTING:
      return g_strdup (_("Starting…"));
    case KWB_SESSION_STATE_RUNNING:
      return g_strdup_printf (_("Running — %s"), accel ? (g_str_equal (accel, "kvm") ? "KVM" : "TCG") : "?");
    case KWB_SESSION_STATE_STOPPED:
      if (self->last_stop != NULL && kwb_gdb_stop_is_watchpoint (self->last_stop))
        return dup_watch_status (self, self->last_stop);
      if (self->last_stop != NULL && self->last_stop->func != NULL)
        {
          if (self->last_stop->file != NULL)
            return g_strdup_printf (_("Stopped at %s (%s:%d)"), self->last_stop->func,
                                    self->last_stop->file, self->last_stop->line);
          return g_strdup_printf (_("Stopped at %s"), self->last_stop->func);
        }
      return g_strdup (_("Stopped"));
    case KWB_SESSION_STATE_EXITED:
      return g_strdup (_("The virtual machine was stopped"));
    case KWB_SESSION_STATE_FAILED:
      return g_strdup_printf (_("Failed: %s"), self->failure_reason ? self->failure_reason : "?");
    default:
      return g_strdup ("?");
    }
}

/* ---- internal breakpoints ---- */

static void
internal_insert_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbSession *self = g_task_get_source_object (task);
  Internal *internal = g_task_get_task_data (task);
  g_autoptr(KwbMiRecord) record = NULL;
  GError *error = NULL;
  const char *number = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* bkpt={number…} for a breakpoint, wpt={number…} for a watchpoint. */
  if (kwb_mi_value_get_n_children (kwb_mi_record_get_results (record)) > 0)
    number = kwb_mi_value_get_string (kwb_mi_value_get_nth (kwb_mi_record_get_results (record), 0), "number");
  if (number == NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                               _("GDB did not report the new breakpoint"));
      return;
    }
  kwb_breakpoints_add_internal (self->breakpoints, number);
  g_hash_table_insert (self->internal, g_strdup (number), g_memdup2 (internal, sizeof *internal));
  g_task_return_pointer (task, g_strdup (number), g_free);
}

/* The task of an internal insert, holding FUNC; NULL (the error returned)
 * when there is no live session to insert into. */
static GTask *
internal_task_new (KwbSession             *self,
                   gpointer                source_tag,
                   KwbSessionInternalFunc  func,
                   gpointer                func_data,
                   GCancellable           *cancellable,
                   GAsyncReadyCallback     callback,
                   gpointer                user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Internal *internal;

  g_task_set_source_tag (task, source_tag);
  if (self->gdb == NULL || !state_is_live (self->state))
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("No session is running"));
      return NULL;
    }
  internal = g_new0 (Internal, 1);
  internal->func = func;
  internal->user_data = func_data;
  g_task_set_task_data (task, internal, g_free);
  return g_steal_pointer (&task);
}

/**
 * kwb_session_add_internal_breakpoint_async:
 * @func: called on the halted guest each time the breakpoint is hit; it must
 *   call kwb_session_internal_done() when it has finished (it may use the
 *   session's GDB directly meanwhile)
 *
 * A breakpoint for the session's own use (the module loader's silent one in
 * do_init_module): never in the breakpoints model, never a reported stop.
 * Must be called while the guest is halted (before start completes, or from
 * a handler) — it goes straight to GDB.
 */
void
kwb_session_add_internal_breakpoint_async (KwbSession             *self,
                                           const char             *location,
                                           KwbGdbBreakFlags        flags,
                                           KwbSessionInternalFunc  func,
                                           gpointer                func_data,
                                           GCancellable           *cancellable,
                                           GAsyncReadyCallback     callback,
                                           gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (func != NULL);

  task = internal_task_new (self, kwb_session_add_internal_breakpoint_async, func, func_data,
                            cancellable, callback, user_data);
  if (task == NULL)
    return;
  kwb_gdb_break_insert_async (self->gdb, location, flags, NULL, cancellable,
                              internal_insert_cb, g_steal_pointer (&task));
}

char *
kwb_session_add_internal_breakpoint_finish (KwbSession    *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * kwb_session_add_internal_watch_async:
 * @expression: what to watch for writes, e.g. "*(unsigned long *) 0x…"
 *
 * Like kwb_session_add_internal_breakpoint_async(), for a write watchpoint;
 * finish with kwb_session_add_internal_breakpoint_finish(). The stop's
 * value_new is what was written. Under TCG a watchpoint stop costs the
 * guest far less than a breakpoint stop: QEMU drops all its translated
 * code at a breakpoint or single-step stop, not at a watchpoint's.
 */
void
kwb_session_add_internal_watch_async (KwbSession             *self,
                                      const char             *expression,
                                      KwbSessionInternalFunc  func,
                                      gpointer                func_data,
                                      GCancellable           *cancellable,
                                      GAsyncReadyCallback     callback,
                                      gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (func != NULL);

  task = internal_task_new (self, kwb_session_add_internal_watch_async, func, func_data,
                            cancellable, callback, user_data);
  if (task == NULL)
    return;
  kwb_gdb_break_watch_async (self->gdb, expression, KWB_GDB_WATCH_WRITE, cancellable,
                             internal_insert_cb, g_steal_pointer (&task));
}

static void
internal_delete_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autofree char *number = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GError) error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    g_debug ("Cannot delete internal breakpoint %s: %s", number, error->message);
}

/**
 * kwb_session_remove_internal:
 * @number: what kwb_session_add_internal_breakpoint_finish() returned
 *
 * Deletes one of the session's own breakpoints or watchpoints. Like adding
 * one, only while the guest is halted.
 */
void
kwb_session_remove_internal (KwbSession *self,
                             const char *number)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (number != NULL);

  if (!g_hash_table_remove (self->internal, number))
    return;
  kwb_breakpoints_remove (self->breakpoints, number);
  if (self->gdb != NULL)
    kwb_gdb_break_delete_async (self->gdb, number, NULL, internal_delete_cb, g_strdup (number));
}

void
kwb_session_set_pending_allowed (KwbSession *self,
                                 gboolean    allowed)
{
  g_return_if_fail (KWB_IS_SESSION (self));
  self->pending_allowed = allowed;
}

/**
 * kwb_session_report_crash:
 * @stop: the stop as the user sees it (at the faulting line)
 * @restore: (nullable): the GDB command that puts the CPU's registers back
 * @first_level: frames above it are the crash path's, not shown
 *
 * Ends an internal stop as a crash stop the user sees.
 */
void
kwb_session_report_crash (KwbSession       *self,
                          const KwbGdbStop *stop,
                          KwbCrash         *crash,
                          const char       *restore,
                          guint             first_level)
{
  g_autoptr(KwbGdbStop) copy = kwb_gdb_stop_copy (stop);

  g_return_if_fail (KWB_IS_SESSION (self));

  if (self->halt != HALT_INTERNAL || !state_is_live (self->state))
    return;
  g_set_object (&self->crash, crash);
  g_free (self->crash_restore);
  self->crash_restore = g_strdup (restore);
  self->crash_first_level = first_level;
  /* As a stop that beat our interrupt: queued ops run, the guest stays. */
  self->halt = HALT_DRAINING;
  report_stop (self, copy);
  run_next_op (self);
}

KwbCrash *
kwb_session_get_crash (KwbSession *self)
{
  g_return_val_if_fail (KWB_IS_SESSION (self), NULL);
  return self->crash;
}

/* The internal handler has finished: run what the user queued meanwhile,
 * then let the guest go on. */
void
kwb_session_internal_done (KwbSession *self)
{
  g_return_if_fail (KWB_IS_SESSION (self));

  if (self->halt != HALT_INTERNAL)
    return;
  self->halt = HALT_HALTED;
  run_next_op (self);
}

gboolean
kwb_session_get_in_internal (KwbSession *self)
{
  g_return_val_if_fail (KWB_IS_SESSION (self), FALSE);
  return self->halt == HALT_INTERNAL;
}

/* ---- setup functions ---- */

/* The attached, still frozen guest goes to each setup function in turn
 * (the module loader adds its internal breakpoints there), then to the
 * initial breakpoints and the first continue. */
static void
start_step_setup (KwbSession *self)
{
  Setup *setup;

  if (self->next_setup >= self->setup_funcs->len)
    {
      start_step_breakpoints (self);
      return;
    }
  setup = &g_array_index (self->setup_funcs, Setup, self->next_setup++);
  setup->func (self, setup->user_data);
}

/**
 * kwb_session_add_setup_func:
 * @func: called once GDB is attached and before the guest first runs; it
 *   may use the session's GDB directly and add internal breakpoints, and
 *   must call kwb_session_setup_done() when it has finished
 *
 * Call before kwb_session_start_async().
 */
void
kwb_session_add_setup_func (KwbSession          *self,
                            KwbSessionSetupFunc  func,
                            gpointer             user_data)
{
  Setup setup = { func, user_data };

  g_return_if_fail (KWB_IS_SESSION (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (self->state == KWB_SESSION_STATE_IDLE);
  g_array_append_val (self->setup_funcs, setup);
}

void
kwb_session_setup_done (KwbSession *self)
{
  g_return_if_fail (KWB_IS_SESSION (self));

  /* The session may have failed or been stopped meanwhile. */
  if (self->start_task == NULL || self->state != KWB_SESSION_STATE_STARTING)
    return;
  start_step_setup (self);
}
