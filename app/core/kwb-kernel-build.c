/* kwb-kernel-build.c — configure and build a debug kernel out of tree, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One operation at a time, a chain of steps on the main loop:
 *
 *   source   the tree, or a tarball extracted once (atomically: into a
 *            temporary sibling, then renamed) with progress from the bytes fed
 *   checks   a kernel tree for the project's machine.arch, the build tools
 *            (a cross compiler for another architecture than the host's),
 *            a writable build dir (kwb-kernel-build-checks.c, also used
 *            alone by the wizard)
 *   config   make O=BUILD tinyconfig|defconfig (or a copy of the
 *            user's .config), merge_config.sh -m of our fragment, make O=BUILD
 *            olddefconfig, then the doctor reads the result back. Skipped when
 *            BUILD/.config was made from the same requests.
 *   make     make O=BUILD -jN IMAGE modules scripts_gdb, progress from
 *            kbuild's "  CC      init/main.o" lines against the count the
 *            last full build recorded (kwb-kernel-build-counts.c)
 *   index    GDB's index cache warmed for vmlinux (see prewarm_index)
 *   manifest BUILD/kwb-manifest.ini
 *
 * Every make names ARCH (and CROSS_COMPILE when cross building, kwb-arch.c).
 * Every command runs through one KwbBuildRunner (own process group, a
 * watchdog that kills the group if we die, SIGTERM then SIGKILL on cancel,
 * progress and the first error parsed from the output), from the main
 * thread. The source tree is only ever read: a build dir inside it is
 * refused before anything runs.
 *
 * The steps share one operation's state (the runner, the stage, the
 * counts), so the chain stays in this one file of about 1200 lines; what
 * takes plain arguments lives beside it.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "kwb-build-manifest.h"
#include "kwb-build-runner.h"
#include "kwb-distcc.h"
#include "kwb-gdb-index.h"
#include "kwb-kconfig.h"
#include "kwb-kernel-build.h"
#include "kwb-kernel-build-private.h"
#include "kwb-spawn.h"

#define LOG_NAME       "kwb-build.log"
#define FRAGMENT_NAME  "kwb-debug.config"

struct _KwbKernelBuild
{
  GObject              parent_instance;

  KwbProject          *project;
  guint                jobs;
  KwbBuildRunner      *runner;     /* every command of every operation */
  GStrv                targets;    /* NULL: the image, modules, scripts_gdb */
  const KwbArch       *arch;       /* the project's, read when an operation starts */

  char                *source_dir;
  char                *build_dir;
  char                *log_path;
  GOutputStream       *log;

  KwbBuildStage        stage;
  guint                objects_done;
  guint                objects_expected;
  gboolean             up_to_date;
  gboolean             configured;  /* this operation ran the configuration */
  GPtrArray           *findings;

  GTask               *task;       /* the running operation */
};

typedef void (*StepFunc) (KwbKernelBuild *self);

typedef struct {
  gboolean      build;       /* configure and build, or only configure */
  StepFunc      next;
  gint64        started;
  char         *tarball;
  char         *extract_tmp;
  char         *extract_target;
  GFileInputStream *tarball_in;
  guint         extract_poll;
  goffset       tarball_size;
  char         *request_hash;
  GPtrArray    *requests;
  gboolean      best_effort;  /* the running step may fail without failing the build */
} Op;

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_STAGE,
  PROP_OBJECTS_DONE,
  PROP_OBJECTS_EXPECTED,
  PROP_UP_TO_DATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (KwbKernelBuild, kwb_kernel_build, G_TYPE_OBJECT)
G_DEFINE_QUARK (kwb-kernel-build-error-quark, kwb_kernel_build_error)

static void
op_free (Op *op)
{
  g_clear_handle_id (&op->extract_poll, g_source_remove);
  g_clear_object (&op->tarball_in);
  g_free (op->tarball);
  g_free (op->extract_tmp);
  g_free (op->extract_target);
  g_free (op->request_hash);
  g_clear_pointer (&op->requests, g_ptr_array_unref);
  g_free (op);
}

static void
kwb_kernel_build_finalize (GObject *object)
{
  KwbKernelBuild *self = (KwbKernelBuild *) object;

  g_clear_object (&self->project);
  if (self->runner != NULL)
    g_signal_handlers_disconnect_by_data (self->runner, self);
  g_clear_object (&self->runner);
  g_clear_pointer (&self->targets, g_strfreev);
  g_clear_pointer (&self->source_dir, g_free);
  g_clear_pointer (&self->build_dir, g_free);
  g_clear_pointer (&self->log_path, g_free);
  g_clear_object (&self->log);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (kwb_kernel_build_parent_class)->finalize (object);
}

static void
kwb_kernel_build_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  KwbKernelBuild *self = KWB_KERNEL_BUILD (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_STAGE:
      g_value_set_int (value, self->stage);
      break;
    case PROP_OBJECTS_DONE:
      g_value_set_uint (value, self->objects_done);
      break;
    case PROP_OBJECTS_EXPECTED:
      g_value_set_uint (value, self->objects_expected);
      break;
    case PROP_UP_TO_DATE:
      g_value_set_boolean (value, self->up_to_date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_kernel_build_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  KwbKernelBuild *self = KWB_KERNEL_BUILD (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_kernel_build_class_init (KwbKernelBuildClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_kernel_build_finalize;
  object_class->get_property = kwb_kernel_build_get_property;
  object_class->set_property = kwb_kernel_build_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, KWB_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAGE] =
    g_param_spec_int ("stage", NULL, NULL, 0, KWB_BUILD_STAGE_DONE, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OBJECTS_DONE] =
    g_param_spec_uint ("objects-done", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_OBJECTS_EXPECTED] =
    g_param_spec_uint ("objects-expected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UP_TO_DATE] =
    g_param_spec_boolean ("up-to-date", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

}

static void
on_runner_progress (KwbBuildRunner *runner,
                    int             stage,
                    guint           done,
                    guint           total,
                    KwbKernelBuild *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->stage != (KwbBuildStage) stage)
    {
      self->stage = stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
    }
  /* Objects made by make (MB fed to tar while extracting); the count
   * stays after make, for the summary. */
  if (stage == KWB_BUILD_STAGE_EXTRACT ||
      (stage >= KWB_BUILD_STAGE_COMPILE && stage <= KWB_BUILD_STAGE_GDB_SCRIPTS))
    {
      if (self->objects_done != done)
        {
          self->objects_done = done;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTS_DONE]);
        }
      if (self->objects_expected != total)
        {
          self->objects_expected = total;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTS_EXPECTED]);
        }
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
kwb_kernel_build_init (KwbKernelBuild *self)
{
  self->runner = kwb_build_runner_new ();
  g_signal_connect (self->runner, "progress-changed", G_CALLBACK (on_runner_progress), self);
  self->arch = kwb_arch_get_default ();
}

KwbKernelBuild *
kwb_kernel_build_new (KwbProject *project)
{
  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  return g_object_new (KWB_TYPE_KERNEL_BUILD, "project", project, NULL);
}

/**
 * kwb_kernel_build_get_runner:
 *
 * Returns: (transfer none): what runs every command of this build: its
 * ::line-received and ::progress-changed are the build's
 */
KwbBuildRunner *
kwb_kernel_build_get_runner (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return self->runner;
}

KwbProject *
kwb_kernel_build_get_project (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return self->project;
}

/* 0: the project's [kernel] jobs, or one per CPU. */
void
kwb_kernel_build_set_jobs (KwbKernelBuild *self,
                           guint           jobs)
{
  g_return_if_fail (KWB_IS_KERNEL_BUILD (self));
  self->jobs = jobs;
}

/* For every child: a different PATH in tests, CCACHE_DIR, … NULL unsets. */
void
kwb_kernel_build_setenv (KwbKernelBuild *self,
                         const char     *variable,
                         const char     *value)
{
  g_return_if_fail (KWB_IS_KERNEL_BUILD (self));
  kwb_build_runner_setenv (self->runner, variable, value);
}

/* Default (NULL): the architecture's image (bzImage, Image), modules and
 * scripts_gdb. Tests build one object. */
void
kwb_kernel_build_set_make_targets (KwbKernelBuild     *self,
                                   const char * const *targets)
{
  g_return_if_fail (KWB_IS_KERNEL_BUILD (self));
  g_strfreev (self->targets);
  self->targets = g_strdupv ((char **) targets);
}

/* Does this operation make the whole kernel (its image among the targets)? */
static gboolean
builds_image (KwbKernelBuild *self)
{
  return self->targets == NULL ||
         g_strv_contains ((const char * const *) self->targets, self->arch->image_target);
}

/* make -C SOURCE O=BUILD ARCH=… [CROSS_COMPILE=…]: every make of the
 * kernel, so that none of them configures or builds for the host. */
static GPtrArray *
make_argv_new (KwbKernelBuild *self)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) variables = kwb_arch_dup_make_variables (self->arch);

  g_ptr_array_add (argv, g_strdup ("make"));
  g_ptr_array_add (argv, g_strdup ("-C"));
  g_ptr_array_add (argv, g_strdup (self->source_dir));
  g_ptr_array_add (argv, g_strdup_printf ("O=%s", self->build_dir));
  for (guint i = 0; variables[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (variables[i]));
  return argv;
}

char *
kwb_kernel_build_dup_build_dir (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return kwb_project_dup_path (self->project, "kernel", "build-dir");
}

const char *
kwb_kernel_build_get_source_dir (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return self->source_dir;
}

const char *
kwb_kernel_build_get_log_path (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return self->log_path;
}

KwbBuildStage
kwb_kernel_build_get_stage (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), 0);
  return self->stage;
}

guint
kwb_kernel_build_get_objects_done (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), 0);
  return self->objects_done;
}

guint
kwb_kernel_build_get_objects_expected (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), 0);
  return self->objects_expected;
}

/* Capped below 1 until the build says it is done: an estimate can be low. */
double
kwb_kernel_build_get_fraction (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), 0);
  return kwb_build_runner_get_fraction (self->runner);
}

gboolean
kwb_kernel_build_get_up_to_date (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), FALSE);
  return self->up_to_date;
}

gboolean
kwb_kernel_build_get_configured (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), FALSE);
  return self->configured;
}

/**
 * kwb_kernel_build_get_findings:
 *
 * Returns: (transfer none) (nullable) (element-type KwbKconfigFinding): the
 * doctor's report of the last configuration
 */
GPtrArray *
kwb_kernel_build_get_findings (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return self->findings;
}

const KwbBuildProblem *
kwb_kernel_build_get_problem (KwbKernelBuild *self)
{
  g_return_val_if_fail (KWB_IS_KERNEL_BUILD (self), NULL);
  return kwb_build_runner_get_problem (self->runner);
}

static void
set_stage (KwbKernelBuild *self,
           KwbBuildStage   stage)
{
  kwb_build_runner_set_stage (self->runner, stage, 0);
}

static void
set_progress (KwbKernelBuild *self,
              guint           done,
              guint           expected)
{
  kwb_build_runner_set_progress (self->runner, done, expected);
}

/* ---- running steps --------------------------------------------------------- */

static void
log_line (KwbKernelBuild *self,
          const char     *line)
{
  kwb_build_runner_log (self->runner, line);
}

static Op *
current_op (KwbKernelBuild *self)
{
  return self->task ? g_task_get_task_data (self->task) : NULL;
}

static void
op_finish (KwbKernelBuild *self,
           GError         *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  kwb_build_runner_set_log (self->runner, NULL);
  if (self->log != NULL)
    {
      g_output_stream_close (self->log, NULL, NULL);
      g_clear_object (&self->log);
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    {
      set_stage (self, KWB_BUILD_STAGE_DONE);
      g_task_return_boolean (task, TRUE);
    }
}

static gboolean
op_check_cancelled (KwbKernelBuild *self)
{
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (self->task), &error))
    {
      op_finish (self, error);
      return TRUE;
    }
  return FALSE;
}

static void remove_tree_quietly (const char *path);

static void
on_step_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  g_autoptr(KwbKernelBuild) self = data;
  Op *op = current_op (self);
  g_autoptr(GError) error = NULL;
  gboolean cancelled = g_cancellable_is_cancelled (g_task_get_cancellable (self->task));
  gboolean ok = kwb_build_runner_run_finish (self->runner, result, &error);
  StepFunc next;

  /* A cancelled or failed extraction leaves nothing behind. */
  if (self->stage == KWB_BUILD_STAGE_EXTRACT && op->extract_tmp != NULL && (!ok || cancelled))
    {
      g_clear_handle_id (&op->extract_poll, g_source_remove);
      g_clear_object (&op->tarball_in);
      remove_tree_quietly (op->extract_tmp);
      if (!cancelled && g_error_matches (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED))
        {
          op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT,
                                        _("Cannot extract %s (tar failed; see %s). Check the file, or set "
                                          "[kernel] source to an extracted tree"), op->tarball, self->log_path));
          return;
        }
    }

  if (op_check_cancelled (self))
    return;

  if (g_error_matches (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED))
    {
      const KwbBuildProblem *problem = kwb_build_runner_get_problem (self->runner);

      g_clear_error (&error);
      if (op->best_effort)
        log_line (self, _("(this step is optional; its failure does not fail the build)"));
      else if (problem != NULL)
        g_set_error (&error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_COMPILE,
                     _("The kernel build failed at %s:%u:%u: %s (full log: %s)"),
                     problem->file ? problem->file : "?", problem->line,
                     problem->column, problem->message, self->log_path);
      else
        g_set_error (&error, KWB_KERNEL_BUILD_ERROR,
                     self->stage == KWB_BUILD_STAGE_CONFIG ? KWB_KERNEL_BUILD_ERROR_CONFIG
                                                           : KWB_KERNEL_BUILD_ERROR_COMPILE,
                     _("The %s step failed (exit status %d). The full log is %s"),
                     kwb_build_stage_to_string (self->stage),
                     kwb_build_runner_get_exit_status (self->runner), self->log_path);
    }
  if (error != NULL)
    {
      op_finish (self, g_steal_pointer (&error));
      return;
    }
  op->best_effort = FALSE;
  next = op->next;
  op->next = NULL;
  next (self);
}

static void
run_step_full (KwbKernelBuild      *self,
               const char * const  *argv,
               const char          *debian_package,
               const char          *cwd,
               GInputStream        *stdin_stream,
               StepFunc             next)
{
  Op *op = current_op (self);

  if (op_check_cancelled (self))
    return;
  op->next = next;
  kwb_build_runner_run_async (self->runner, argv, debian_package, cwd, NULL, stdin_stream,
                              g_task_get_cancellable (self->task), on_step_done, g_object_ref (self));
}

static void
run_step (KwbKernelBuild      *self,
          const char * const  *argv,
          const char          *debian_package,
          const char          *cwd,
          StepFunc             next)
{
  run_step_full (self, argv, debian_package, cwd, NULL, next);
}

/* ---- the operation --------------------------------------------------------- */

static void step_checks (KwbKernelBuild *self);
static void step_config_merge (KwbKernelBuild *self);
static void step_config_olddefconfig (KwbKernelBuild *self);
static void step_config_doctor (KwbKernelBuild *self);
static void step_make (KwbKernelBuild *self);
static void step_index (KwbKernelBuild *self);
static void step_manifest (KwbKernelBuild *self);

static void
remove_tree_quietly (const char *path)
{
  g_autoptr(GSubprocessLauncher) launcher = kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  const char *argv[] = { "rm", "-rf", "--", path, NULL };
  g_autoptr(GSubprocess) rm = kwb_spawn (launcher, argv, "coreutils", NULL);

  if (rm != NULL)
    g_subprocess_wait (rm, NULL, NULL);
}

static gboolean
poll_extract (gpointer data)
{
  KwbKernelBuild *self = data;
  Op *op = current_op (self);

  if (op == NULL || op->tarball_in == NULL)
    return G_SOURCE_REMOVE;
  set_progress (self, (guint) (g_seekable_tell (G_SEEKABLE (op->tarball_in)) / (1024 * 1024)),
                (guint) (op->tarball_size / (1024 * 1024)));
  return G_SOURCE_CONTINUE;
}

static void
extract_done (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autoptr(GDir) dir = NULL;
  g_autofree char *single = NULL;
  const char *name;
  guint n = 0;
  int rename_result;
  int rename_errno;

  g_clear_handle_id (&op->extract_poll, g_source_remove);
  g_clear_object (&op->tarball_in);

  /* The Debian tarball holds one top directory, linux-source-6.1/: that
   * becomes the tree. */
  dir = g_dir_open (op->extract_tmp, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      n++;
      g_free (single);
      single = g_build_filename (op->extract_tmp, name, NULL);
    }
  if (n == 1 && g_file_test (single, G_FILE_TEST_IS_DIR))
    rename_result = g_rename (single, op->extract_target);
  else
    rename_result = g_rename (op->extract_tmp, op->extract_target);
  rename_errno = errno;

  /* Another build extracted the same tarball meanwhile: use theirs. */
  if (rename_result != 0 && (rename_errno == EEXIST || rename_errno == ENOTEMPTY) &&
      g_file_test (op->extract_target, G_FILE_TEST_IS_DIR))
    rename_result = 0;
  /* Whatever is left of ours (nothing, or the unused copy). */
  if (g_file_test (op->extract_tmp, G_FILE_TEST_EXISTS))
    remove_tree_quietly (op->extract_tmp);
  if (rename_result != 0)
    {
      int saved = rename_errno;

      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT,
                                    _("Cannot move the extracted tree to %s: %s"),
                                    op->extract_target, g_strerror (saved)));
      return;
    }
  log_line (self, op->extract_target);
  step_checks (self);
}

static void
on_extract_exited (KwbKernelBuild *self)
{
  extract_done (self);
}

static void
start_extract (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autoptr(GFile) file = g_file_new_for_path (op->tarball);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (op->extract_target);
  g_autofree char *tmpl = NULL;
  const char *flag = g_str_has_suffix (op->tarball, "xz") ? "-J"
                   : g_str_has_suffix (op->tarball, "bz2") ? "-j"
                   : (g_str_has_suffix (op->tarball, "gz") || g_str_has_suffix (op->tarball, ".tgz")) ? "-z"
                   : NULL;

  set_stage (self, KWB_BUILD_STAGE_EXTRACT);
  if (g_mkdir_with_parents (parent, 0755) != 0)
    {
      int saved = errno;

      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT,
                                    _("Cannot create %s to extract the kernel source: %s. "
                                      "Set [kernel] source-dir to a writable place"),
                                    parent, g_strerror (saved)));
      return;
    }
  tmpl = g_build_filename (parent, ".kwb-extract-XXXXXX", NULL);
  if (g_mkdtemp (tmpl) == NULL)
    {
      int saved = errno;

      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT,
                                    _("Cannot write in %s to extract the kernel source: %s. "
                                      "Set [kernel] source-dir to a writable place"),
                                    parent, g_strerror (saved)));
      return;
    }
  op->extract_tmp = g_strdup (tmpl);

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE, G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info != NULL)
    op->tarball_in = g_file_read (file, NULL, &error);
  if (op->tarball_in == NULL)
    {
      g_rmdir (op->extract_tmp);
      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT,
                                    _("Cannot read the kernel source tarball %s: %s"),
                                    op->tarball, error->message));
      return;
    }
  op->tarball_size = g_file_info_get_size (info);

  op->extract_poll = g_timeout_add (250, poll_extract, self);
  {
    const char *argv[] = { "tar", "-x", "--no-same-owner", "-f", "-", "-C", op->extract_tmp, flag, NULL };

    /* tar reads from our pipe, so the bytes fed are the progress. */
    run_step_full (self, argv, "tar", NULL, G_INPUT_STREAM (op->tarball_in), on_extract_exited);
  }
}

static void
step_source (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autofree char *source = kwb_project_dup_path (self->project, "kernel", "source");
  g_autofree char *target = NULL;
  g_autoptr(GError) error = NULL;

  if (source == NULL || !g_file_test (source, G_FILE_TEST_EXISTS))
    {
      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NO_SOURCE,
                                    _("The kernel source %s does not exist. Install Debian's with "
                                      "“sudo apt-get install linux-source-6.1”, or set [kernel] source "
                                      "to a kernel tree"), source ? source : _("(not set)")));
      return;
    }
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    {
      g_free (self->source_dir);
      self->source_dir = g_steal_pointer (&source);
      step_checks (self);
      return;
    }

  /* A tarball: extracted once, to [kernel] source-dir or, when that is
   * empty, to the shared cache. */
  target = kwb_project_dup_path (self->project, "kernel", "source-dir");
  if (target == NULL && (target = kwb_kernel_build_dup_shared_source_dir (source, &error)) == NULL)
    {
      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NO_SOURCE,
                                    _("Cannot read the kernel source %s: %s"), source, error->message));
      return;
    }
  g_free (self->source_dir);
  self->source_dir = g_strdup (target);
  if (g_file_test (target, G_FILE_TEST_IS_DIR))
    {
      step_checks (self);
      return;
    }
  op->tarball = g_steal_pointer (&source);
  op->extract_target = g_steal_pointer (&target);
  start_extract (self);
}

static void
step_checks (KwbKernelBuild *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = kwb_build_runner_dup_environ (self->runner);
  g_autoptr(GFile) log_file = NULL;

  self->arch = kwb_arch_for_project (self->project);
  if (!kwb_kernel_build_check_tree (self->source_dir, self->arch, &error) ||
      !kwb_build_runner_check_out_of_tree (self->source_dir, self->build_dir, "[kernel] build-dir", &error) ||
      !kwb_kernel_build_check_tools ((const char * const *) envp, self->arch, &error) ||
      !kwb_kernel_build_check_build_dir (self->build_dir, &error))
    {
      op_finish (self, g_steal_pointer (&error));
      return;
    }

  /* The log starts now: the build dir exists. */
  log_file = g_file_new_for_path (self->log_path);
  self->log = G_OUTPUT_STREAM (g_file_replace (log_file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
  if (self->log == NULL)
    {
      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR,
                                    _("Cannot write the build log %s: %s"), self->log_path, error->message));
      return;
    }
  kwb_build_runner_set_log (self->runner, self->log);

  {
    Op *op = current_op (self);
    g_autofree char *profile = kwb_project_dup_string (self->project, "kernel", "profile");
    g_autofree char *initramfs_mode = kwb_project_dup_string (self->project, "kernel", "initramfs");
    g_autofree char *initramfs = NULL;
    g_auto(GStrv) extra = kwb_project_dup_string_list (self->project, "kernel", "extra-config");
    g_autofree char *fragment = NULL;
    g_autofree char *config_path = g_build_filename (self->build_dir, ".config", NULL);
    g_autofree char *stamp_path = g_build_filename (self->build_dir, "kwb-config.stamp", NULL);
    g_autofree char *old_stamp = NULL;
    g_autofree char *user_config = NULL;
    g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

    if (g_str_equal (initramfs_mode, "builtin"))
      initramfs = kwb_project_dup_path (self->project, "initramfs", "output");
    op->requests = kwb_kconfig_build_requests (self->arch, profile, kwb_project_get_boolean (self->project, "kernel", "relocatable"),
                                               initramfs, (const char * const *) extra, &error);
    if (op->requests == NULL)
      {
        op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_CONFIG,
                                      "%s", error->message));
        return;
      }
    fragment = kwb_kconfig_requests_to_fragment (op->requests);
    g_checksum_update (sum, (const guchar *) profile, -1);
    g_checksum_update (sum, (const guchar *) fragment, -1);
    g_checksum_update (sum, (const guchar *) self->source_dir, -1);
    if (g_str_equal (profile, "existing"))
      {
        g_autofree char *text = NULL;

        user_config = kwb_project_dup_path (self->project, "kernel", "config");
        if (user_config == NULL || !g_file_get_contents (user_config, &text, NULL, NULL))
          {
            op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_CONFIG,
                                          _("The existing profile needs a readable .config: [kernel] config "
                                            "is “%s”. Set it to your kernel configuration file"),
                                          user_config ? user_config : ""));
            return;
          }
        g_checksum_update (sum, (const guchar *) text, -1);
      }
    op->request_hash = g_strdup (g_checksum_get_string (sum));

    if (g_file_test (config_path, G_FILE_TEST_IS_REGULAR) &&
        g_file_get_contents (stamp_path, &old_stamp, NULL, NULL) &&
        g_str_equal (g_strstrip (old_stamp), op->request_hash) && op->build)
      {
        /* Same requests as the config there: keep it (and make's state). */
        step_make (self);
        return;
      }

    set_stage (self, KWB_BUILD_STAGE_CONFIG);
    self->configured = TRUE;
    {
      g_autofree char *fragment_path = g_build_filename (self->build_dir, FRAGMENT_NAME, NULL);

      if (!g_file_set_contents (fragment_path, fragment, -1, &error))
        {
          op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR,
                                        _("Cannot write %s: %s"), fragment_path, error->message));
          return;
        }
    }
    g_unlink (stamp_path);

    if (g_str_equal (profile, "existing"))
      {
        g_autoptr(GFile) from = g_file_new_for_path (user_config);
        g_autoptr(GFile) to = g_file_new_for_path (config_path);

        /* Copied, never edited: the user's file is theirs. */
        if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
          {
            op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_CONFIG,
                                          _("Cannot copy %s into the build directory: %s"),
                                          user_config, error->message));
            return;
          }
        step_config_merge (self);
      }
    else
      {
        g_autoptr(GPtrArray) argv = make_argv_new (self);

        g_ptr_array_add (argv, g_strdup (kwb_kconfig_profile_make_target (self->arch, profile)));
        g_ptr_array_add (argv, NULL);
        run_step (self, (const char * const *) argv->pdata, "make", NULL, step_config_merge);
      }
  }
}

static void
step_config_merge (KwbKernelBuild *self)
{
  g_autofree char *script = g_build_filename (self->source_dir, "scripts", "kconfig", "merge_config.sh", NULL);
  g_autofree char *fragment = g_build_filename (self->build_dir, FRAGMENT_NAME, NULL);
  const char *argv[] = { "sh", script, "-m", "-O", self->build_dir, ".config", fragment, NULL };

  /* merge_config.sh makes its temporary files in the current directory:
   * run it in the build dir, never in the source tree. */
  run_step (self, argv, "dash", self->build_dir, step_config_olddefconfig);
}

static void
step_config_olddefconfig (KwbKernelBuild *self)
{
  g_autoptr(GPtrArray) argv = make_argv_new (self);

  g_ptr_array_add (argv, g_strdup ("olddefconfig"));
  g_ptr_array_add (argv, NULL);
  run_step (self, (const char * const *) argv->pdata, "make", NULL, step_config_doctor);
}

static void
step_config_doctor (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autofree char *config_path = g_build_filename (self->build_dir, ".config", NULL);
  g_autofree char *stamp_path = g_build_filename (self->build_dir, "kwb-config.stamp", NULL);
  g_autoptr(KwbKconfig) config = NULL;
  g_autoptr(KwbKconfigTree) tree = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  config = kwb_kconfig_new_from_file (config_path, &error);
  if (config == NULL)
    {
      op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_CONFIG,
                                    "%s", error->message));
      return;
    }
  tree = kwb_kconfig_tree_load (self->source_dir, self->arch->kbuild_arch, NULL);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = kwb_kconfig_check_requests (config, op->requests, tree);
  report = kwb_kconfig_format_findings (self->findings, FALSE);
  log_line (self, report);
  g_file_set_contents (stamp_path, op->request_hash, -1, NULL);

  if (op->build)
    step_make (self);
  else
    op_finish (self, NULL);
}

static char *
current_config_hash (KwbKernelBuild *self)
{
  g_autofree char *config_path = g_build_filename (self->build_dir, ".config", NULL);
  g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (config_path, NULL);

  return config ? kwb_kconfig_dup_hash (config) : g_strdup ("none");
}

static void
step_make (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autofree char *profile = kwb_project_dup_string (self->project, "kernel", "profile");
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *config_hash = current_config_hash (self);
  g_autofree char *compiler = kwb_arch_dup_compiler (self->arch);
  g_auto(GStrv) envp = kwb_build_runner_dup_environ (self->runner);

  /* Module signing (sign-file) and the trusted keyring (extract-cert) are
   * host programs built against OpenSSL: distro configs have them. */
  {
    g_autofree char *config_path = g_build_filename (self->build_dir, ".config", NULL);
    g_autoptr(KwbKconfig) config = kwb_kconfig_new_from_file (config_path, NULL);
    g_autofree char *gcc = kwb_kernel_build_find_in_path ("gcc", g_environ_getenv (envp, "PATH"));
    g_autoptr(GError) error = NULL;

    if (config != NULL && gcc != NULL &&
        (kwb_kconfig_is_enabled (config, "MODULE_SIG_FORMAT") ||
         kwb_kconfig_is_enabled (config, "SYSTEM_TRUSTED_KEYRING")) &&
        !kwb_kernel_build_have_header (gcc, (const char * const *) envp, "openssl/opensslv.h"))
      {
        op_finish (self, g_error_new (KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL,
                                      _("This configuration signs modules or has a trusted keyring "
                                        "(CONFIG_MODULE_SIG_FORMAT, CONFIG_SYSTEM_TRUSTED_KEYRING), which "
                                        "needs the OpenSSL headers. Install with: sudo apt-get install "
                                        "libssl-dev, or turn those options off in [kernel] extra-config")));
        return;
      }
    if (config != NULL && !kwb_kernel_build_check_compressor (config, (const char * const *) envp, &error))
      {
        op_finish (self, g_steal_pointer (&error));
        return;
      }
  }

  op->started = g_get_monotonic_time ();
  kwb_build_runner_clear_problem (self->runner);
  /* The stage and its total in one step: no line may show the new count
   * under the old stage's name. */
  kwb_build_runner_set_stage (self->runner, KWB_BUILD_STAGE_COMPILE, kwb_kernel_build_expected_objects (profile, config_hash));
  kwb_build_runner_set_counting (self->runner, TRUE);

  argv = make_argv_new (self);
  if (self->targets != NULL)
    for (guint i = 0; self->targets[i] != NULL; i++)
      g_ptr_array_add (argv, g_strdup (self->targets[i]));
  else
    {
      g_ptr_array_add (argv, g_strdup (self->arch->image_target));
      g_ptr_array_add (argv, g_strdup ("modules"));
      g_ptr_array_add (argv, g_strdup ("scripts_gdb"));
    }
  g_ptr_array_add (argv, NULL);

  if (op_check_cancelled (self))
    return;
  op->next = step_index;
  /* -j and CC (ccache turns a rebuild after `rm -rf build` into minutes
   * saved; distcc hosts when the project lists some). */
  kwb_distcc_run_make_async (self->runner, self->project, (const char * const *) argv->pdata, compiler, TRUE,
                             self->jobs, NULL, g_task_get_cancellable (self->task), on_step_done, g_object_ref (self));
}

/* GDB's index cache over gdb-add-index: both give the same load time
 * (measured with this kernel), but gdb-add-index rewrites vmlinux,
 * which makes the next make relink bzImage; the cache is keyed by build ID
 * and touches nothing. Warming it here moves the one slow load into the
 * build. */
static void
step_index (KwbKernelBuild *self)
{
  g_autofree char *vmlinux = g_build_filename (self->build_dir, "vmlinux", NULL);
  g_autofree char *dir = kwb_gdb_index_dup_cache_dir ();
  g_autofree char *set_dir = g_strdup_printf ("set index-cache directory %s", dir);
  g_autofree char *gdb_name = kwb_arch_dup_gdb_binary (self->arch, NULL);
  g_autofree char *gdb = g_find_program_in_path (gdb_name);
  const char *argv[] = { gdb_name, "-batch", "-nx", "-iex", set_dir, "-iex", "set index-cache enabled on",
                         vmlinux, NULL };

  kwb_build_runner_set_counting (self->runner, FALSE);
  self->up_to_date = (self->objects_done == 0 && !self->configured);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UP_TO_DATE]);

  if (self->up_to_date || gdb == NULL || !g_file_test (vmlinux, G_FILE_TEST_IS_REGULAR) || !builds_image (self))
    {
      step_manifest (self);
      return;
    }
  g_mkdir_with_parents (dir, 0755);
  set_stage (self, KWB_BUILD_STAGE_INDEX);
  /* Only a speed-up: a GDB that cannot read this vmlinux fails later, in
   * the debug session, with its own message. */
  current_op (self)->best_effort = TRUE;
  run_step (self, argv, self->arch->gdb_package, NULL, step_manifest);
}

static void
collect_modules (const char *dir,
                 GPtrArray  *out,
                 guint       depth)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL || depth > 12)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_str_has_suffix (name, ".ko") && g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (out, g_steal_pointer (&path));
      else if (name[0] != '.' && g_file_test (path, G_FILE_TEST_IS_DIR) &&
               !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        collect_modules (path, out, depth + 1);
    }
}

static void
git_state (const char  *srctree,
           char       **commit,
           gboolean    *dirty)
{
  git_repository *repo = NULL;
  git_oid oid;
  git_status_list *status = NULL;
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;

  *commit = NULL;
  *dirty = FALSE;
  git_libgit2_init ();
  /* NO_SEARCH: a tree extracted inside some other checkout is not that
   * checkout's. */
  if (git_repository_open_ext (&repo, srctree, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
    {
      if (git_reference_name_to_id (&oid, repo, "HEAD") == 0)
        {
          char hex[GIT_OID_HEXSZ + 1];

          git_oid_tostr (hex, sizeof hex, &oid);
          *commit = g_strdup (hex);
        }
      opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
      if (git_status_list_new (&status, repo, &opts) == 0)
        {
          *dirty = git_status_list_entrycount (status) > 0;
          git_status_list_free (status);
        }
      git_repository_free (repo);
    }
  git_libgit2_shutdown ();
}

static void
step_manifest (KwbKernelBuild *self)
{
  Op *op = current_op (self);
  g_autofree char *profile = kwb_project_dup_string (self->project, "kernel", "profile");
  g_autoptr(KwbBuildManifest) manifest = kwb_build_manifest_new (self->build_dir);
  g_autofree char *release_path = g_build_filename (self->build_dir, "include", "config", "kernel.release", NULL);
  g_autofree char *release = NULL;
  g_autofree char *config_hash = current_config_hash (self);
  g_autofree char *commit = NULL;
  g_autoptr(GPtrArray) modules = g_ptr_array_new_with_free_func (g_free);
  gboolean dirty = FALSE;
  double seconds = (g_get_monotonic_time () - op->started) / (double) G_USEC_PER_SEC;
  const char *files[][2] = {
    { self->arch->image_target, self->arch->image_path },
    { "vmlinux", "vmlinux" },
    { "vmlinux-gdb.py", "vmlinux-gdb.py" },
    { "config", ".config" },
    { "log", LOG_NAME },
  };

  if (g_file_get_contents (release_path, &release, NULL, NULL))
    g_strstrip (release);
  git_state (self->source_dir, &commit, &dirty);
  kwb_build_manifest_set_kernel (manifest, release, config_hash, self->source_dir, commit, dirty);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *file = g_build_filename (self->build_dir, files[i][1], NULL);

      kwb_build_manifest_set_file (manifest, files[i][0],
                                   g_file_test (file, G_FILE_TEST_EXISTS) ? file : NULL);
    }
  collect_modules (self->build_dir, modules, 0);
  kwb_build_manifest_set_modules (manifest, (const char * const *) modules->pdata, modules->len);
  kwb_build_manifest_set_build (manifest, seconds, self->up_to_date, self->objects_done);

  /* Only a build that compiled from scratch tells how many objects a
   * config has; a partial one would make the next estimate low. */
  if (!self->up_to_date && self->objects_done > 0 &&
      (self->configured || kwb_build_manifest_get_full_objects (manifest) == 0) && builds_image (self))
    {
      kwb_build_manifest_set_full_objects (manifest, self->objects_done);
      kwb_kernel_build_record_objects (profile, config_hash, self->objects_done);
    }
  kwb_build_manifest_save (manifest, NULL);
  op_finish (self, NULL);
}

static void
start_operation (KwbKernelBuild      *self,
                 gboolean             build,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data,
                 gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Op *op;

  g_task_set_source_tag (task, source_tag);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUSY,
                               _("A kernel build is already running; wait for it or cancel it"));
      return;
    }
  op = g_new0 (Op, 1);
  op->build = build;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  self->task = g_steal_pointer (&task);

  g_free (self->build_dir);
  self->build_dir = kwb_kernel_build_dup_build_dir (self);
  g_free (self->log_path);
  self->log_path = g_build_filename (self->build_dir, LOG_NAME, NULL);
  self->configured = FALSE;
  self->up_to_date = FALSE;
  kwb_build_runner_set_counting (self->runner, FALSE);
  kwb_build_runner_set_problem_dir (self->runner, self->build_dir);
  kwb_build_runner_reset (self->runner);
  if (self->objects_done != 0 || self->objects_expected != 0)
    {
      self->objects_done = self->objects_expected = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTS_DONE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OBJECTS_EXPECTED]);
    }

  step_source (self);
}

/**
 * kwb_kernel_build_configure_async:
 *
 * Writes BUILD/.config from the project's profile and debug layer, then
 * runs the doctor (kwb_kernel_build_get_findings()). Always reconfigures.
 */
void
kwb_kernel_build_configure_async (KwbKernelBuild      *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (KWB_IS_KERNEL_BUILD (self));
  start_operation (self, FALSE, cancellable, callback, user_data, kwb_kernel_build_configure_async);
}

gboolean
kwb_kernel_build_configure_finish (KwbKernelBuild  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * kwb_kernel_build_build_async:
 *
 * Configures when the requests changed (or there is no .config yet), then
 * builds the image, modules and the GDB scripts, and writes the manifest.
 */
void
kwb_kernel_build_build_async (KwbKernelBuild      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KWB_IS_KERNEL_BUILD (self));
  start_operation (self, TRUE, cancellable, callback, user_data, kwb_kernel_build_build_async);
}

gboolean
kwb_kernel_build_build_finish (KwbKernelBuild  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
