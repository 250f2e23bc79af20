/* kwb-build-runner.c — run one build command (make, tar, …) with progress, problems and cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel, BusyBox and module builds are chains of commands (make
 * defconfig, make, make install, …). Each build keeps one runner for its
 * whole operation and runs its commands through it, so all of them:
 *
 *   - start guarded in their own process group (kwb_spawn_launcher_new_guarded:
 *     nothing of the build outlives us, even after a SIGKILL);
 *   - stop the same way on cancel: SIGTERM to the group (make deletes the
 *     targets it was writing), SIGKILL after a grace period; the run ends
 *     only when the output pipe reaches EOF, that is when make, cc1, as and
 *     ld are all gone;
 *   - are read as bytes, line by line, without pause (a full pipe would
 *     block make), each line made valid UTF-8 before it is logged and given
 *     to ::line-received;
 *   - report one progress, (stage, done, total), through ::progress-changed.
 *     The stage only moves forward and done only goes up during one
 *     operation (until kwb_build_runner_reset()): the stage is what make is
 *     doing now (kwb_build_runner_classify_line()), and one signal carries
 *     all three values, so no reader sees a new count with an old stage;
 *   - keep the first compiler or linker error as a KwbBuildProblem.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-build-runner.h"
#include "kwb-enums.h"
#include "kwb-spawn.h"

#define KILL_GRACE_SECONDS 5
#define TAIL_LINES         8

struct _KwbBuildRunner
{
  GObject           parent_instance;

  GHashTable       *env;          /* variable → value, NULL value = unset */
  char             *problem_dir;
  GOutputStream    *log;
  gboolean          counting;

  KwbBuildStage     stage;
  guint             done;
  guint             total;
  KwbBuildProblem  *problem;
  GQueue            tail;
  int               exit_status;

  GTask            *task;         /* the running command */
  GSubprocess      *process;
  int               guard_fd;
  gulong            cancel_id;
  guint             kill_source;
};

enum {
  LINE_RECEIVED,
  PROGRESS_CHANGED,
  WARNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KwbBuildRunner, kwb_build_runner, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-build-runner-error-quark, kwb_build_runner_error)

static void
kwb_build_runner_finalize (GObject *object)
{
  KwbBuildRunner *self = (KwbBuildRunner *) object;

  g_clear_pointer (&self->env, g_hash_table_unref);
  g_clear_pointer (&self->problem_dir, g_free);
  g_clear_object (&self->log);
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  g_queue_clear_full (&self->tail, g_free);
  g_clear_object (&self->process);
  if (self->guard_fd >= 0)
    close (self->guard_fd);

  G_OBJECT_CLASS (kwb_build_runner_parent_class)->finalize (object);
}

static void
kwb_build_runner_class_init (KwbBuildRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_build_runner_finalize;

  /**
   * KwbBuildRunner::line-received:
   * @line: one line of the command's output (valid UTF-8), as logged
   */
  signals[LINE_RECEIVED] =
    g_signal_new ("line-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * KwbBuildRunner::progress-changed:
   * @stage: a #KwbBuildStage
   * @done: what is done in this stage (objects, MB)
   * @total: what is expected, 0 when unknown; never below @done
   */
  signals[PROGRESS_CHANGED] =
    g_signal_new ("progress-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, KWB_TYPE_BUILD_STAGE, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * KwbBuildRunner::warned:
   * @message: something the user should know that does not stop the build
   */
  signals[WARNED] =
    g_signal_new ("warned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kwb_build_runner_init (KwbBuildRunner *self)
{
  self->env = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->guard_fd = -1;
  g_queue_init (&self->tail);
}

KwbBuildRunner *
kwb_build_runner_new (void)
{
  return g_object_new (KWB_TYPE_BUILD_RUNNER, NULL);
}

/* For every command: a different PATH in tests, CCACHE_DIR, … NULL unsets. */
void
kwb_build_runner_setenv (KwbBuildRunner *self,
                         const char     *variable,
                         const char     *value)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  g_hash_table_replace (self->env, g_strdup (variable), g_strdup (value));
}

/* Ours with the runner's changes: what the commands will see. */
char **
kwb_build_runner_dup_environ (KwbBuildRunner *self)
{
  char **envp = g_get_environ ();
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), NULL);
  g_hash_table_iter_init (&iter, self->env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    envp = value ? g_environ_setenv (envp, key, value, TRUE) : g_environ_unsetenv (envp, key);
  return envp;
}

/* Every line (commands and their output) is appended to @log. */
void
kwb_build_runner_set_log (KwbBuildRunner *self,
                          GOutputStream  *log)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  g_set_object (&self->log, log);
}

/* Relative file names in compiler messages are relative to @dir. */
void
kwb_build_runner_set_problem_dir (KwbBuildRunner *self,
                                  const char     *dir)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  g_free (self->problem_dir);
  self->problem_dir = g_strdup (dir);
}

/* Whether kbuild's object lines count and move the stage (a make of
 * objects), or not (configuration, tar). */
void
kwb_build_runner_set_counting (KwbBuildRunner *self,
                               gboolean        counting)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  self->counting = counting;
}

static void
emit_progress (KwbBuildRunner *self)
{
  g_signal_emit (self, signals[PROGRESS_CHANGED], 0, (int) self->stage, self->done, self->total);
}

void
kwb_build_runner_reset (KwbBuildRunner *self)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  self->stage = KWB_BUILD_STAGE_IDLE;
  self->done = 0;
  self->total = 0;
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  g_queue_clear_full (&self->tail, g_free);
  emit_progress (self);
}

/**
 * kwb_build_runner_set_stage:
 * @total: what the new stage expects (0: unknown)
 *
 * Moves to @stage, with done back at 0. A stage behind the current one is
 * ignored: a story told out of order is no progress. Only
 * kwb_build_runner_reset() starts over.
 */
void
kwb_build_runner_set_stage (KwbBuildRunner *self,
                            KwbBuildStage   stage,
                            guint           total)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  if (stage <= self->stage && !(stage == self->stage && self->done == 0))
    return;
  self->stage = stage;
  self->done = 0;
  self->total = total;
  emit_progress (self);
}

/* Within the stage: done only goes up, total never falls below it. */
void
kwb_build_runner_set_progress (KwbBuildRunner *self,
                               guint           done,
                               guint           total)
{
  guint new_done, new_total;

  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  new_done = MAX (self->done, done);
  new_total = MAX (total, new_done);
  if (new_done == self->done && new_total == self->total)
    return;
  self->done = new_done;
  self->total = new_total;
  emit_progress (self);
}

KwbBuildStage
kwb_build_runner_get_stage (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), KWB_BUILD_STAGE_IDLE);
  return self->stage;
}

guint
kwb_build_runner_get_done (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), 0);
  return self->done;
}

guint
kwb_build_runner_get_total (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), 0);
  return self->total;
}

/* Capped below 1 until the stage is DONE: an estimate can be low. */
double
kwb_build_runner_get_fraction (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), 0);
  if (self->stage == KWB_BUILD_STAGE_DONE)
    return 1.0;
  if (self->total == 0)
    return 0.0;
  return MIN (0.99, (double) self->done / self->total);
}

const KwbBuildProblem *
kwb_build_runner_get_problem (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), NULL);
  return self->problem;
}

void
kwb_build_runner_clear_problem (KwbBuildRunner *self)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  g_queue_clear_full (&self->tail, g_free);
}

/* The last lines of output, indented, for a failure with no error line. */
char *
kwb_build_runner_dup_tail (KwbBuildRunner *self)
{
  GString *tail = g_string_new (NULL);

  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), NULL);
  for (GList *l = self->tail.head; l != NULL; l = l->next)
    g_string_append_printf (tail, "\n  %s", (const char *) l->data);
  return g_string_free (tail, FALSE);
}

/* Of the last command: its exit status, -1 when a signal ended it. */
int
kwb_build_runner_get_exit_status (KwbBuildRunner *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_RUNNER (self), -1);
  return self->exit_status;
}

/**
 * kwb_build_runner_log:
 *
 * A line of our own (a command line, a note) into the log and to
 * ::line-received, not parsed.
 */
void
kwb_build_runner_log (KwbBuildRunner *self,
                      const char     *line)
{
  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  if (self->log != NULL)
    {
      g_output_stream_write_all (self->log, line, strlen (line), NULL, NULL, NULL);
      g_output_stream_write_all (self->log, "\n", 1, NULL, NULL, NULL);
    }
  g_signal_emit (self, signals[LINE_RECEIVED], 0, line);
}

/* A warning line in the log, and ::warned for progress displays. */
void
kwb_build_runner_warn (KwbBuildRunner *self,
                       const char     *message)
{
  g_autofree char *line = NULL;

  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  line = g_strdup_printf (_("Warning: %s"), message);
  kwb_build_runner_log (self, line);
  g_signal_emit (self, signals[WARNED], 0, message);
}

/**
 * kwb_build_runner_classify_line:
 * @stage: (out) (optional): the stage this line belongs to
 *
 * kbuild's quiet output, which the kernel, BusyBox and module builds all
 * print: "  CC      init/main.o", "  LD [M]  fs/x.ko". Counted: CC, AS, AR,
 * LD and their HOST and [M] forms — one per object. The link stage is the
 * final binary only (vmlinux, busybox): OBJCOPY of the vDSO, objtool's
 * LINK and arch/x86/boot/'s objects come early, in parallel with the
 * compiling.
 */
gboolean
kwb_build_runner_classify_line (const char    *line,
                                KwbBuildStage *stage)
{
  gsize n = 0;
  g_autofree char *word = NULL;
  gboolean module = FALSE;
  const char *p;
  const char *target;

  if (!g_str_has_prefix (line, "  ") || line[2] == ' ')
    return FALSE;
  p = line + 2;
  while (g_ascii_isupper (p[n]) || g_ascii_isdigit (p[n]) || p[n] == '_')
    n++;
  if (n == 0 || (p[n] != ' ' && p[n] != '\0'))
    return FALSE;
  word = g_strndup (p, n);
  target = p + n;
  if (g_str_has_prefix (target, " [M]"))
    {
      module = TRUE;
      target += 4;
    }
  while (*target == ' ')
    target++;

  if (stage != NULL)
    {
      /* modpost of the kernel runs while vmlinux links; modules-only.symvers
       * is an external module build's. */
      if (g_str_equal (word, "MODPOST") && !g_str_equal (target, "modules-only.symvers"))
        *stage = KWB_BUILD_STAGE_LINK;
      else if (module || g_str_equal (word, "MODPOST"))
        *stage = KWB_BUILD_STAGE_MODULES;
      else if (strstr (target, "scripts/gdb") != NULL || strstr (target, "vmlinux-gdb.py") != NULL)
        *stage = KWB_BUILD_STAGE_GDB_SCRIPTS;
      else if ((g_str_equal (word, "LD") && (g_str_equal (target, "vmlinux") ||
                                             g_str_equal (target, "vmlinux.o") ||
                                             g_str_has_prefix (target, ".tmp_vmlinux"))) ||
               g_str_equal (word, "KSYMS") || g_str_equal (word, "SORTTAB") ||
               g_str_equal (word, "SYSMAP") ||
               /* BusyBox's final link; the kernel's tools/ LINK paths. */
               (g_str_equal (word, "LINK") && strchr (target, '/') == NULL))
        *stage = KWB_BUILD_STAGE_LINK;
      else
        *stage = KWB_BUILD_STAGE_COMPILE;
    }

  return g_str_equal (word, "CC") || g_str_equal (word, "AS") || g_str_equal (word, "AR") ||
         g_str_equal (word, "LD") || g_str_equal (word, "HOSTCC") || g_str_equal (word, "HOSTLD");
}

/**
 * kwb_build_runner_feed_line:
 *
 * One line of a command's output: logged, searched for the first error,
 * counted. The runner calls it for every line it reads; tests feed
 * recorded output.
 */
void
kwb_build_runner_feed_line (KwbBuildRunner *self,
                            const char     *line)
{
  KwbBuildStage stage = KWB_BUILD_STAGE_COMPILE;
  KwbBuildStage before;
  gboolean counted;

  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));

  kwb_build_runner_log (self, line);
  g_queue_push_tail (&self->tail, g_strdup (line));
  if (self->tail.length > TAIL_LINES)
    g_free (g_queue_pop_head (&self->tail));
  if (self->problem == NULL)
    self->problem = kwb_build_problem_parse (line, self->problem_dir);

  if (!self->counting)
    return;
  counted = kwb_build_runner_classify_line (line, &stage);
  /* Module objects and the GDB scripts are made alongside the built-in
   * objects; they become the stage only once the final link has begun. */
  if ((stage == KWB_BUILD_STAGE_MODULES || stage == KWB_BUILD_STAGE_GDB_SCRIPTS) &&
      self->stage < KWB_BUILD_STAGE_LINK)
    stage = self->stage;
  if (self->stage < KWB_BUILD_STAGE_COMPILE)
    stage = MAX (stage, KWB_BUILD_STAGE_COMPILE);
  /* The count is one story from the first object to the last: a stage
   * change inside make keeps it. */
  before = self->stage;
  if (stage > self->stage)
    self->stage = stage;
  if (counted)
    {
      self->done++;
      self->total = MAX (self->total, self->done);
    }
  if (counted || self->stage != before)
    emit_progress (self);
}

/* ---- running --------------------------------------------------------- */

typedef struct {
  GDataInputStream *lines;
  GInputStream     *stdin_stream;
  char             *program;
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->lines);
  g_clear_object (&run->stdin_stream);
  g_free (run->program);
  g_free (run);
}

static gboolean
kill_hard (gpointer data)
{
  KwbBuildRunner *self = data;

  self->kill_source = 0;
  if (self->process != NULL)
    kwb_spawn_kill_group (self->process, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
kill_soft (gpointer data)
{
  KwbBuildRunner *self = data;

  if (self->process == NULL)
    return G_SOURCE_REMOVE;
  /* SIGTERM first: make then deletes the targets it was writing. */
  kwb_spawn_kill_group (self->process, SIGTERM);
  if (self->kill_source == 0)
    self->kill_source = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, KILL_GRACE_SECONDS, kill_hard,
                                                    g_object_ref (self), g_object_unref);
  return G_SOURCE_REMOVE;
}

/* May run in any thread: the kill happens on the main context. */
static void
on_cancelled (GCancellable   *cancellable,
              KwbBuildRunner *self)
{
  g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, kill_soft, g_object_ref (self), g_object_unref);
}

static void
run_done (KwbBuildRunner *self,
          GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (self->cancel_id != 0)
    g_cancellable_disconnect (g_task_get_cancellable (task), self->cancel_id);
  self->cancel_id = 0;
  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_object (&self->process);
  /* The watchdog now sees EOF and takes anything left in the group. */
  if (self->guard_fd >= 0)
    {
      close (self->guard_fd);
      self->guard_fd = -1;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(KwbBuildRunner) self = data;
  GSubprocess *process = G_SUBPROCESS (source);
  Run *run = g_task_get_task_data (self->task);
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (process, result, &error);
  self->exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (self->task)))
    {
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The build was cancelled"));
    }
  else if (error == NULL && !g_subprocess_get_successful (process))
    g_set_error (&error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED,
                 _("%s failed (exit status %d)"), run->program, self->exit_status);
  run_done (self, g_steal_pointer (&error));
}

static void on_line (GObject *source, GAsyncResult *result, gpointer data);

static void
read_next (KwbBuildRunner *self,
           Run            *run)
{
  /* Never cancellable: after a kill we read on to EOF, so that the run
   * ends only when every process holding the pipe is gone. */
  g_data_input_stream_read_line_async (run->lines, G_PRIORITY_DEFAULT, NULL, on_line, g_object_ref (self));
}

static void
on_line (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(KwbBuildRunner) self = data;
  Run *run = g_task_get_task_data (self->task);
  g_autofree char *raw = NULL;
  g_autofree char *line = NULL;
  gsize len;

  /* Bytes, not _utf8: a stray byte must not end the reading while make
   * still writes (it would block on a full pipe). */
  raw = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (source), result, &len, NULL);
  if (raw == NULL)
    {
      g_subprocess_wait_async (self->process, NULL, on_exited, g_object_ref (self));
      return;
    }
  line = g_utf8_make_valid (raw, len);
  kwb_build_runner_feed_line (self, line);
  read_next (self, run);
}

static void
on_stdin_spliced (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(KwbBuildRunner) self = data;
  g_autoptr(GError) error = NULL;

  /* The command's exit status says whether it got what it needed; a write
   * error means it died, or must: it would wait for input forever. */
  g_output_stream_splice_finish (G_OUTPUT_STREAM (source), result, &error);
  if (error != NULL && self->process != NULL)
    kill_soft (self);
}

/**
 * kwb_build_runner_run_async:
 * @debian_package: (nullable): named in the error when the program is missing
 * @cwd: (nullable): where it runs
 * @stdin_path: (nullable): a file for its standard input (else /dev/null)
 * @stdin_stream: (nullable): or a stream copied to it
 *
 * Runs one command; ends when its output reached EOF and it exited. Call
 * from the main thread (see kwb-spawn.c).
 */
void
kwb_build_runner_run_async (KwbBuildRunner      *self,
                            const char * const  *argv,
                            const char          *debian_package,
                            const char          *cwd,
                            const char          *stdin_path,
                            GInputStream        *stdin_stream,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE;
  GHashTableIter iter;
  gpointer key, value;
  Run *run;

  g_return_if_fail (KWB_IS_BUILD_RUNNER (self));
  g_return_if_fail (argv != NULL && argv[0] != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_build_runner_run_async);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_BUSY,
                               _("A build command is already running; wait for it or cancel it"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  run = g_new0 (Run, 1);
  run->program = g_path_get_basename (argv[0]);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  /* As it could be typed, so that the log can be replayed by hand. */
  {
    g_autofree char *joined = g_strjoinv (" ", (char **) argv);

    shown = cwd ? g_strdup_printf ("$ cd %s && %s", cwd, joined) : g_strdup_printf ("$ %s", joined);
  }
  kwb_build_runner_log (self, shown);

  if (stdin_stream != NULL)
    flags |= G_SUBPROCESS_FLAGS_STDIN_PIPE;
  launcher = kwb_spawn_launcher_new_guarded (flags, &self->guard_fd, &error);
  if (launcher == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A jobserver of an outer make (meson, a CI script) must not leak in. */
  g_subprocess_launcher_unsetenv (launcher, "MAKEFLAGS");
  g_subprocess_launcher_unsetenv (launcher, "MFLAGS");
  g_subprocess_launcher_unsetenv (launcher, "MAKELEVEL");
  /* Error lines and kbuild's words are parsed: keep them in English. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  g_hash_table_iter_init (&iter, self->env);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (value == NULL)
        g_subprocess_launcher_unsetenv (launcher, key);
      else
        g_subprocess_launcher_setenv (launcher, key, value, TRUE);
    }
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (stdin_path != NULL && stdin_stream == NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);

  self->process = kwb_spawn (launcher, argv, debian_package, &error);
  g_clear_object (&launcher);
  if (self->process == NULL)
    {
      close (self->guard_fd);
      self->guard_fd = -1;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);

  if (stdin_stream != NULL)
    {
      run->stdin_stream = g_object_ref (stdin_stream);
      g_output_stream_splice_async (g_subprocess_get_stdin_pipe (self->process), stdin_stream,
                                    G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT,
                                    cancellable, on_stdin_spliced, g_object_ref (self));
    }
  run->lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_set_newline_type (run->lines, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  read_next (self, run);
}

/**
 * kwb_build_runner_run_finish:
 *
 * Returns: TRUE when the command exited with status 0; else
 * %G_IO_ERROR_CANCELLED, a spawn error, or %KWB_BUILD_RUNNER_ERROR_FAILED
 * (see kwb_build_runner_get_exit_status(), kwb_build_runner_get_problem())
 */
gboolean
kwb_build_runner_run_finish (KwbBuildRunner  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- shared by every build ----------------------------------------- */

/* 0: the project's [kernel] jobs, or one per CPU. */
guint
kwb_build_runner_resolve_jobs (KwbProject *project,
                               guint       jobs)
{
  gint64 n = jobs;

  if (n == 0 && project != NULL)
    n = kwb_project_get_int (project, "kernel", "jobs");
  if (n <= 0)
    n = g_get_num_processors ();
  return (guint) CLAMP (n, 1, 1024);
}

static char *
dup_real_path (const char *path)
{
  char *real = realpath (path, NULL);
  char *result;

  if (real == NULL)
    return g_canonicalize_filename (path, NULL);
  result = g_strdup (real);
  free (real);
  return result;
}

/* A build folder with parents not yet made: resolve what exists of it. */
static char *
dup_real_future_path (const char *path)
{
  g_autofree char *canonical = g_canonicalize_filename (path, NULL);
  g_autofree char *parent = NULL;
  g_autofree char *base = NULL;
  g_autofree char *real_parent = NULL;

  if (g_file_test (canonical, G_FILE_TEST_EXISTS) || g_str_equal (canonical, "/"))
    return dup_real_path (canonical);
  parent = g_path_get_dirname (canonical);
  base = g_path_get_basename (canonical);
  real_parent = dup_real_future_path (parent);
  return g_build_filename (real_parent, base, NULL);
}

/**
 * kwb_build_runner_check_out_of_tree:
 * @setting: the project key that sets @build_dir, for the message
 *
 * A build writes only into its build folder; one equal to or inside the
 * source tree would write into the tree, which must stay untouched.
 */
gboolean
kwb_build_runner_check_out_of_tree (const char  *source_dir,
                                    const char  *build_dir,
                                    const char  *setting,
                                    GError     **error)
{
  g_autofree char *src = NULL;
  g_autofree char *build = NULL;
  gsize n;

  if (source_dir == NULL || build_dir == NULL)
    return TRUE;
  src = dup_real_path (source_dir);
  build = dup_real_future_path (build_dir);
  n = strlen (src);
  if (g_str_equal (build, src) ||
      (g_str_has_prefix (build, src) && (build[n] == '/' || g_str_equal (src, "/"))))
    {
      g_set_error (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_INSIDE_SOURCE,
                   _("The build folder %s is inside the source tree %s, which must stay "
                     "untouched. Set %s to a folder outside it."), build_dir, source_dir, setting);
      return FALSE;
    }
  return TRUE;
}
