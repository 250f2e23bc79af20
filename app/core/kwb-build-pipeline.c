/* kwb-build-pipeline.c — build everything a project boots, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The order of the steps lives here, so that `kwb build` and the GUI's
 * Build button do the same thing and report it the same way:
 *
 *   busybox    only when [busybox] source=tree (else the binary is used as is)
 *   kernel     configured when needed; make notices when it is up to date.
 *              Skipped when only initramfs keys changed since a kernel build
 *              that finished (it wrote its manifest).
 *   modules    only when [modules] projects has some; each is rebuilt only
 *              when its sources changed, and the kernel is never relinked
 *   initramfs  takes the kernel's release and the modules
 *
 * Signals carry typed values, never widget state: ::step-started,
 * ::progress-changed (the running step's KwbBuildRunner progress),
 * ::step-status (a sentence: BusyBox's phase, the module being built),
 * ::line-logged, ::step-finished (a sentence: "Up to date", …). On success
 * the project's pending-rebuild goes back to none. On failure
 * kwb_build_pipeline_get_failed_step() and _get_problem() say where.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-build-manifest.h"
#include "kwb-build-pipeline.h"
#include "kwb-busybox.h"
#include "kwb-enums.h"
#include "kwb-initramfs.h"
#include "kwb-kernel-build.h"
#include "kwb-module-build.h"
#include "kwb-setup.h"

struct _KwbBuildPipeline
{
  GObject          parent_instance;

  KwbProject      *project;
  guint            jobs;
  GTask           *task;
  KwbBuildStep     step;
  KwbBuildStep     failed_step;
  KwbBusybox      *busybox;
  KwbKernelBuild  *kernel;
  KwbModuleBuild  *modules;
  KwbInitramfs    *initramfs;
  KwbBuildProblem *problem;
  gboolean         kernel_up_to_date;
};

enum {
  STEP_STARTED,
  STEP_STATUS,
  STEP_FINISHED,
  PROGRESS_CHANGED,
  LINE_LOGGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (KwbBuildPipeline, kwb_build_pipeline, G_TYPE_OBJECT)

static void run_step (KwbBuildPipeline *self, KwbBuildStep step);

static void
disconnect_all (KwbBuildPipeline *self)
{
  if (self->busybox != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->busybox, self);
      g_signal_handlers_disconnect_by_data (kwb_busybox_get_runner (self->busybox), self);
    }
  if (self->kernel != NULL)
    g_signal_handlers_disconnect_by_data (kwb_kernel_build_get_runner (self->kernel), self);
  if (self->modules != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->modules, self);
      g_signal_handlers_disconnect_by_data (kwb_module_build_get_runner (self->modules), self);
    }
}

static void
kwb_build_pipeline_finalize (GObject *object)
{
  KwbBuildPipeline *self = (KwbBuildPipeline *) object;

  disconnect_all (self);
  g_clear_object (&self->project);
  g_clear_object (&self->busybox);
  g_clear_object (&self->kernel);
  g_clear_object (&self->modules);
  g_clear_object (&self->initramfs);
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  G_OBJECT_CLASS (kwb_build_pipeline_parent_class)->finalize (object);
}

static void
kwb_build_pipeline_class_init (KwbBuildPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = kwb_build_pipeline_finalize;

  /**
   * KwbBuildPipeline::step-started:
   * @step: a #KwbBuildStep
   */
  signals[STEP_STARTED] =
    g_signal_new ("step-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, KWB_TYPE_BUILD_STEP);
  /**
   * KwbBuildPipeline::step-status:
   * @step: a #KwbBuildStep
   * @status: what it does now, a sentence
   */
  signals[STEP_STATUS] =
    g_signal_new ("step-status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KWB_TYPE_BUILD_STEP, G_TYPE_STRING);
  /**
   * KwbBuildPipeline::step-finished:
   * @step: a #KwbBuildStep
   * @status: how it ended ("Up to date", "Written: FILE", …)
   */
  signals[STEP_FINISHED] =
    g_signal_new ("step-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, KWB_TYPE_BUILD_STEP, G_TYPE_STRING);
  /**
   * KwbBuildPipeline::progress-changed:
   * @step: a #KwbBuildStep
   * @stage: a #KwbBuildStage
   * @done: done in this stage
   * @total: expected, 0 when unknown
   */
  signals[PROGRESS_CHANGED] =
    g_signal_new ("progress-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, KWB_TYPE_BUILD_STEP, KWB_TYPE_BUILD_STAGE, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * KwbBuildPipeline::line-logged:
   * @line: a line of a build's output
   */
  signals[LINE_LOGGED] =
    g_signal_new ("line-logged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kwb_build_pipeline_init (KwbBuildPipeline *self)
{
}

KwbBuildPipeline *
kwb_build_pipeline_new (KwbProject *project)
{
  KwbBuildPipeline *self;

  g_return_val_if_fail (KWB_IS_PROJECT (project), NULL);
  self = g_object_new (KWB_TYPE_BUILD_PIPELINE, NULL);
  self->project = g_object_ref (project);
  return self;
}

KwbProject *
kwb_build_pipeline_get_project (KwbBuildPipeline *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PIPELINE (self), NULL);
  return self->project;
}

/* 0: the project's [kernel] jobs, or one per CPU. */
void
kwb_build_pipeline_set_jobs (KwbBuildPipeline *self,
                             guint             jobs)
{
  g_return_if_fail (KWB_IS_BUILD_PIPELINE (self));
  self->jobs = jobs;
}

/* A name for scripts and progress lines: busybox, kernel, modules, initramfs. */
const char *
kwb_build_pipeline_step_to_string (KwbBuildStep step)
{
  static const char * const names[] = { "busybox", "kernel", "modules", "initramfs" };

  g_return_val_if_fail (step < KWB_BUILD_N_STEPS, "?");
  return names[step];
}

const char *
kwb_build_pipeline_step_get_title (KwbBuildStep step)
{
  static const char * const titles[] = { N_("BusyBox"), N_("Kernel"), N_("Modules"), N_("Initramfs") };

  g_return_val_if_fail (step < KWB_BUILD_N_STEPS, "?");
  return _(titles[step]);
}

static gboolean
busybox_from_source (KwbBuildPipeline *self)
{
  g_autofree char *source = kwb_project_dup_string (self->project, "busybox", "source");

  return g_strcmp0 (source, "tree") == 0;
}

static gboolean
has_module_projects (KwbBuildPipeline *self)
{
  g_auto(GStrv) projects = kwb_project_dup_string_list (self->project, "modules", "projects");

  return projects != NULL && projects[0] != NULL;
}

/* Only initramfs keys changed since a kernel build that finished. */
static gboolean
initramfs_only (KwbBuildPipeline *self)
{
  g_autofree char *word = kwb_project_dup_string (self->project, "project", "pending-rebuild");
  g_autofree char *build_dir = kwb_project_dup_path (self->project, "kernel", "build-dir");
  g_autoptr(KwbBuildManifest) manifest = NULL;

  if (kwb_rebuild_from_string (word) != KWB_REBUILD_INITRAMFS || build_dir == NULL)
    return FALSE;
  manifest = kwb_build_manifest_new (build_dir);
  return kwb_build_manifest_get_exists (manifest);
}

/* Whether the step has something to do for this project (BusyBox from
 * source, module projects): a step that never runs need not be shown. */
gboolean
kwb_build_pipeline_get_step_shown (KwbBuildPipeline *self,
                                   KwbBuildStep      step)
{
  g_return_val_if_fail (KWB_IS_BUILD_PIPELINE (self), FALSE);
  switch (step)
    {
    case KWB_BUILD_STEP_BUSYBOX:
      return busybox_from_source (self);
    case KWB_BUILD_STEP_MODULES:
      return has_module_projects (self);
    case KWB_BUILD_STEP_KERNEL:
    case KWB_BUILD_STEP_INITRAMFS:
      return TRUE;
    case KWB_BUILD_N_STEPS:
    default:
      return FALSE;
    }
}

KwbBuildStep
kwb_build_pipeline_get_failed_step (KwbBuildPipeline *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PIPELINE (self), KWB_BUILD_N_STEPS);
  return self->failed_step;
}

/* The first compiler or linker error of the failed step, if it had one. */
const KwbBuildProblem *
kwb_build_pipeline_get_problem (KwbBuildPipeline *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PIPELINE (self), NULL);
  return self->problem;
}

gboolean
kwb_build_pipeline_get_kernel_up_to_date (KwbBuildPipeline *self)
{
  g_return_val_if_fail (KWB_IS_BUILD_PIPELINE (self), FALSE);
  return self->kernel_up_to_date;
}

/* ---- forwarding ---- */

static void
on_line (KwbBuildRunner   *runner,
         const char       *line,
         KwbBuildPipeline *self)
{
  g_signal_emit (self, signals[LINE_LOGGED], 0, line);
}

static void
on_progress (KwbBuildRunner   *runner,
             int               stage,
             guint             done,
             guint             total,
             KwbBuildPipeline *self)
{
  g_signal_emit (self, signals[PROGRESS_CHANGED], 0, (int) self->step, stage, done, total);
}

static void
on_warned (KwbBuildRunner   *runner,
           const char       *message,
           KwbBuildPipeline *self)
{
  g_autofree char *status = g_strdup_printf (_("Warning: %s"), message);

  g_signal_emit (self, signals[STEP_STATUS], 0, (int) self->step, status);
}

/* Every build reports through its runner. */
static void
watch_runner (KwbBuildPipeline *self,
              KwbBuildRunner   *runner)
{
  g_signal_connect_object (runner, "line-received", G_CALLBACK (on_line), self, 0);
  g_signal_connect_object (runner, "progress-changed", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (runner, "warned", G_CALLBACK (on_warned), self, 0);
}

static void
on_busybox_phase (KwbBusybox       *busybox,
                  GParamSpec       *pspec,
                  KwbBuildPipeline *self)
{
  const char *phase = kwb_busybox_get_phase (busybox);

  if (phase != NULL)
    g_signal_emit (self, signals[STEP_STATUS], 0, (int) KWB_BUILD_STEP_BUSYBOX, phase);
}

static void
on_module_started (KwbModuleBuild   *build,
                   const char       *source,
                   KwbBuildPipeline *self)
{
  g_autofree char *name = g_path_get_basename (source);
  g_autofree char *status = g_strdup_printf (_("Building %s"), name);

  g_signal_emit (self, signals[STEP_STATUS], 0, (int) KWB_BUILD_STEP_MODULES, status);
}

/* ---- steps ---- */

static void
fail (KwbBuildPipeline      *self,
      const KwbBuildProblem *problem,
      GError                *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  self->failed_step = self->step;
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  if (problem != NULL)
    self->problem = kwb_build_problem_copy (problem);
  disconnect_all (self);
  g_task_return_error (task, error);
}

static void
step_done (KwbBuildPipeline *self,
           const char       *status)
{
  KwbBuildStep step = self->step;

  g_signal_emit (self, signals[STEP_FINISHED], 0, (int) step, status);
  if (self->task == NULL)
    return;
  if (step + 1 < KWB_BUILD_N_STEPS)
    {
      run_step (self, step + 1);
      return;
    }
  {
    g_autoptr(GTask) task = g_steal_pointer (&self->task);
    g_autoptr(GError) error = NULL;

    disconnect_all (self);
    /* What the settings asked to rebuild is built now. */
    kwb_project_set_string (self->project, "project", "pending-rebuild", "none");
    if (!kwb_project_save (self->project, &error))
      g_warning ("Could not save %s: %s", kwb_project_get_directory (self->project), error->message);
    g_task_return_boolean (task, TRUE);
  }
}

static void
on_busybox_built (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbBuildPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = kwb_busybox_build_finish (KWB_BUSYBOX (source), result, &error);
  g_autofree char *status = NULL;

  if (binary == NULL)
    {
      fail (self, kwb_busybox_get_problem (KWB_BUSYBOX (source)), g_steal_pointer (&error));
      return;
    }
  status = g_strdup_printf (_("Built: %s"), binary);
  step_done (self, status);
}

static void
on_kernel_built (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KwbBuildPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  KwbKernelBuild *build = KWB_KERNEL_BUILD (source);

  if (!kwb_kernel_build_build_finish (build, result, &error))
    {
      fail (self, kwb_kernel_build_get_problem (build), g_steal_pointer (&error));
      return;
    }
  self->kernel_up_to_date = kwb_kernel_build_get_up_to_date (build);
  step_done (self, self->kernel_up_to_date ? _("Up to date") : _("Built"));
}

static void
on_modules_built (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbBuildPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  KwbModuleBuild *build = KWB_MODULE_BUILD (source);
  g_autofree char *status = NULL;
  GPtrArray *built;

  if (!kwb_module_build_build_finish (build, result, &error))
    {
      fail (self, kwb_module_build_get_problem (build), g_steal_pointer (&error));
      return;
    }
  built = kwb_module_build_get_modules (build);
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u module ready", "%u modules ready",
                                         built ? built->len : 0),
                            built ? built->len : 0);
  step_done (self, status);
}

static void
on_initramfs_built (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(KwbBuildPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = kwb_initramfs_build_finish (KWB_INITRAMFS (source), result, &error);
  g_autofree char *status = NULL;

  if (output == NULL)
    {
      fail (self, NULL, g_steal_pointer (&error));
      return;
    }
  status = g_strdup_printf (_("Written: %s"), output);
  step_done (self, status);
}

static void
run_step (KwbBuildPipeline *self,
          KwbBuildStep      step)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);
  g_autoptr(GError) error = NULL;

  self->step = step;
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      fail (self, NULL, g_steal_pointer (&error));
      return;
    }
  g_signal_emit (self, signals[STEP_STARTED], 0, (int) step);
  switch (step)
    {
    case KWB_BUILD_STEP_BUSYBOX:
      if (!busybox_from_source (self))
        {
          step_done (self, _("Not needed: the project uses a BusyBox binary"));
          return;
        }
      g_clear_object (&self->busybox);
      self->busybox = kwb_busybox_new (self->project);
      g_signal_connect (self->busybox, "notify::phase", G_CALLBACK (on_busybox_phase), self);
      watch_runner (self, kwb_busybox_get_runner (self->busybox));
      kwb_busybox_build_async (self->busybox, cancellable, on_busybox_built, g_object_ref (self));
      break;

    case KWB_BUILD_STEP_KERNEL:
      if (initramfs_only (self))
        {
          step_done (self, _("Not needed: only the initramfs changed"));
          return;
        }
      g_clear_object (&self->kernel);
      self->kernel = kwb_kernel_build_new (self->project);
      kwb_kernel_build_set_jobs (self->kernel, self->jobs);
      watch_runner (self, kwb_kernel_build_get_runner (self->kernel));
      kwb_kernel_build_build_async (self->kernel, cancellable, on_kernel_built, g_object_ref (self));
      break;

    case KWB_BUILD_STEP_MODULES:
      if (!has_module_projects (self))
        {
          step_done (self, _("No module projects"));
          return;
        }
      g_clear_object (&self->modules);
      self->modules = kwb_module_build_new (self->project);
      kwb_module_build_set_jobs (self->modules, self->jobs);
      g_signal_connect (self->modules, "module-started", G_CALLBACK (on_module_started), self);
      watch_runner (self, kwb_module_build_get_runner (self->modules));
      kwb_module_build_build_async (self->modules, cancellable, on_modules_built, g_object_ref (self));
      break;

    case KWB_BUILD_STEP_INITRAMFS:
      g_clear_object (&self->initramfs);
      self->initramfs = kwb_initramfs_new (self->project);
      kwb_initramfs_build_async (self->initramfs, cancellable, on_initramfs_built, g_object_ref (self));
      break;

    case KWB_BUILD_N_STEPS:
    default:
      g_assert_not_reached ();
    }
}

/**
 * kwb_build_pipeline_run_async:
 *
 * Runs every step in order (see the design note). Call from the main
 * thread: the builds spawn.
 */
void
kwb_build_pipeline_run_async (KwbBuildPipeline    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_BUILD_PIPELINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_build_pipeline_run_async);
  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("A build is already running; wait for it or cancel it"));
      return;
    }
  self->task = g_steal_pointer (&task);
  self->failed_step = KWB_BUILD_N_STEPS;
  self->kernel_up_to_date = FALSE;
  g_clear_pointer (&self->problem, kwb_build_problem_free);
  run_step (self, KWB_BUILD_STEP_BUSYBOX);
}

gboolean
kwb_build_pipeline_run_finish (KwbBuildPipeline  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
