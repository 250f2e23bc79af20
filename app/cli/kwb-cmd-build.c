/* kwb-cmd-build.c — kwb build: BusyBox, the kernel, modules and the initramfs, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The command-line face of KwbBuildPipeline, the same steps as the GUI's
 * Build button with the same progress words (kwb_build_stage_format_progress),
 * each line prefixed with the step: "kernel: compile: 345/1147 objects (30%)".
 */
#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-cli-progress.h"
#include "kwb-cli-run.h"
#include "kwb-core.h"

typedef struct {
  KwbCliProgress *progress;
  gboolean        verbose;
} Run;

static void
on_step_started (KwbBuildPipeline *pipeline,
                 int               step,
                 Run              *run)
{
  if (!kwb_build_pipeline_get_step_shown (pipeline, step))
    return;
  kwb_cli_progress_end (run->progress);
  printf ("%s: %s\n", kwb_build_pipeline_step_to_string (step), _("Starting…"));
  fflush (stdout);
}

static void
on_step_status (KwbBuildPipeline *pipeline,
                int               step,
                const char       *status,
                Run              *run)
{
  kwb_cli_progress_end (run->progress);
  printf ("%s: %s\n", kwb_build_pipeline_step_to_string (step), status);
  fflush (stdout);
}

static void
on_progress (KwbBuildPipeline *pipeline,
             int               step,
             int               stage,
             guint             done,
             guint             total,
             Run              *run)
{
  kwb_cli_progress_update (run->progress, kwb_build_pipeline_step_to_string (step), stage, done, total);
}

static void
on_line (KwbBuildPipeline *pipeline,
         const char       *line,
         Run              *run)
{
  if (run->verbose)
    {
      kwb_cli_progress_end (run->progress);
      printf ("%s\n", line);
    }
}

static void
on_step_finished (KwbBuildPipeline *pipeline,
                  int               step,
                  const char       *status,
                  Run              *run)
{
  if (!kwb_build_pipeline_get_step_shown (pipeline, step))
    return;
  kwb_cli_progress_end (run->progress);
  printf ("%s: %s\n", kwb_build_pipeline_step_to_string (step), status);
  fflush (stdout);
}

int
kwb_cmd_build (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbBuildPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbCliProgress) progress = NULL;
  int jobs = 0;
  gboolean verbose = FALSE;
  gboolean trust = FALSE;
  int status;
  gboolean ok;
  KwbCliRun wait = { 0 };
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, N_("Parallel jobs (default: [kernel] jobs, or one per CPU)"), "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Print every line of the builds’ output"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — build everything the project boots"));
  g_option_context_set_summary (context,
    _("Runs what the Build button of the application runs, in the same order: BusyBox\n"
      "(when [busybox] source=tree), the kernel (configured when needed), the module\n"
      "projects (when there are some), then the initramfs. Ctrl+C stops the running\n"
      "build and every compiler it started."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("build takes one project folder"));
  if (jobs < 0)
    return kwb_cli_usage_error (context, _("--jobs must be a positive number"));
  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  if ((status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return status;

  pipeline = kwb_build_pipeline_new (project);
  kwb_build_pipeline_set_jobs (pipeline, (guint) jobs);
  progress = kwb_cli_progress_new ();
  run.progress = progress;
  run.verbose = verbose;

  kwb_cli_run_start (&wait);
  g_signal_connect (pipeline, "step-started", G_CALLBACK (on_step_started), &run);
  g_signal_connect (pipeline, "step-status", G_CALLBACK (on_step_status), &run);
  g_signal_connect (pipeline, "step-finished", G_CALLBACK (on_step_finished), &run);
  g_signal_connect (pipeline, "progress-changed", G_CALLBACK (on_progress), &run);
  g_signal_connect (pipeline, "line-logged", G_CALLBACK (on_line), &run);
  kwb_build_pipeline_run_async (pipeline, wait.cancellable, kwb_cli_run_done, &wait);
  kwb_cli_run_wait (&wait);
  ok = kwb_build_pipeline_run_finish (pipeline, wait.result, &error);
  kwb_cli_run_clear (&wait);
  g_signal_handlers_disconnect_by_data (pipeline, &run);
  kwb_cli_progress_end (progress);

  if (!ok)
    {
      const KwbBuildProblem *problem = kwb_build_pipeline_get_problem (pipeline);
      KwbBuildStep step = kwb_build_pipeline_get_failed_step (pipeline);

      if (step < KWB_BUILD_N_STEPS)
        printf ("%s: %s\n", kwb_build_pipeline_step_to_string (step), _("Failed"));
      if (problem != NULL)
        {
          g_autofree char *shown = kwb_build_problem_to_string (problem);

          fprintf (stderr, "%s\n", shown);
        }
      return kwb_cli_fail (error);
    }
  printf (_("Everything is built: the kernel is ready to debug.\n"));
  return KWB_EXIT_OK;
}
