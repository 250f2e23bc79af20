/* kwb-cmd-kernel.c — kwb kernel clone|configure|build|doctor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "kwb-cli.h"
#include "kwb-cli-trust.h"
#include "kwb-cli-progress.h"
#include "kwb-cli-run.h"
#include "kwb-core.h"

typedef struct {
  KwbCliRun            run;
  GError              *error;
  KwbCliProgress      *progress;
} Run;

static void
on_progress (KwbBuildRunner *runner,
             int             stage,
             guint           done,
             guint           total,
             Run            *run)
{
  kwb_cli_progress_update (run->progress, NULL, stage, done, total);
}

static void
on_warned (KwbBuildRunner *runner,
           const char     *message,
           Run            *run)
{
  g_autofree char *line = g_strdup_printf (_("Warning: %s"), message);

  kwb_cli_progress_end (run->progress);
  printf ("%s\n", line);
  fflush (stdout);
}

/* NULL with *status set when the project cannot be loaded or is not trusted. */
static KwbKernelBuild *
open_build (const char *directory,
            gboolean    trust,
            int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_load (directory, &error);

  if (project == NULL)
    {
      *status = kwb_cli_fail (error);
      return NULL;
    }
  if ((*status = kwb_cli_check_trust (project, trust)) != KWB_EXIT_OK)
    return NULL;
  return kwb_kernel_build_new (project);
}

static void
run_operation (KwbKernelBuild *build,
               gboolean        do_build,
               Run            *run)
{
  run->progress = kwb_cli_progress_new ();
  kwb_cli_run_start (&run->run);
  g_signal_connect (kwb_kernel_build_get_runner (build), "progress-changed", G_CALLBACK (on_progress), run);
  g_signal_connect (kwb_kernel_build_get_runner (build), "warned", G_CALLBACK (on_warned), run);

  if (do_build)
    kwb_kernel_build_build_async (build, run->run.cancellable, kwb_cli_run_done, &run->run);
  else
    kwb_kernel_build_configure_async (build, run->run.cancellable, kwb_cli_run_done, &run->run);
  kwb_cli_run_wait (&run->run);
  if (do_build)
    kwb_kernel_build_build_finish (build, run->run.result, &run->error);
  else
    kwb_kernel_build_configure_finish (build, run->run.result, &run->error);

  g_signal_handlers_disconnect_by_data (kwb_kernel_build_get_runner (build), run);
  kwb_cli_run_clear (&run->run);
  kwb_cli_progress_end (run->progress);
  g_clear_pointer (&run->progress, kwb_cli_progress_free);
}

static void
print_findings (GPtrArray *findings,
                gboolean   only_problems)
{
  g_autofree char *text = NULL;

  if (findings == NULL)
    return;
  text = kwb_kconfig_format_findings (findings, only_problems);
  fputs (text, stdout);
}

static int
cmd_configure (int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  gboolean print_fragment = FALSE;
  gboolean quiet = FALSE;
  gboolean trust = FALSE;
  int status;
  Run run = { 0 };
  const GOptionEntry entries[] = {
    { "print-fragment", 0, 0, G_OPTION_ARG_NONE, &print_fragment,
      N_("Print the options that would be requested, and do nothing"), NULL },
    { "problems-only", 'q', 0, G_OPTION_ARG_NONE, &quiet, N_("Print only the options that did not stick"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — write the build dir's .config"));
  g_option_context_set_summary (context,
    _("Makes BUILD/.config from the project's profile (fast: tinyconfig, standard:\n"
      "the architecture's defconfig, existing: a copy of your .config), the debug layer and\n"
      "[kernel] extra-config, with make O=BUILD and merge_config.sh; then reports every\n"
      "requested option and why one did not stick. The source tree is not written to.\n"
      "Exit status 1 when a requested option did not stick."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("configure takes one project folder"));

  if (print_fragment)
    {
      g_autoptr(KwbProject) project = kwb_project_load (argv[1], &error);
      g_autofree char *profile = NULL;
      g_autofree char *mode = NULL;
      g_autofree char *initramfs = NULL;
      g_auto(GStrv) extra = NULL;
      g_autoptr(GPtrArray) requests = NULL;
      g_autofree char *fragment = NULL;
      const char *target;

      if (project == NULL)
        return kwb_cli_fail (error);
      profile = kwb_project_dup_string (project, "kernel", "profile");
      mode = kwb_project_dup_string (project, "kernel", "initramfs");
      if (g_str_equal (mode, "builtin"))
        initramfs = kwb_project_dup_path (project, "initramfs", "output");
      extra = kwb_project_dup_string_list (project, "kernel", "extra-config");
      requests = kwb_kconfig_build_requests (kwb_arch_for_project (project), profile,
                                             kwb_project_get_boolean (project, "kernel", "relocatable"),
                                             initramfs, (const char * const *) extra, &error);
      if (requests == NULL)
        return kwb_cli_fail (error);
      fragment = kwb_kconfig_requests_to_fragment (requests);
      target = kwb_kconfig_profile_make_target (kwb_arch_for_project (project), profile);
      printf ("# base: %s\n%s", target ? target : "copy of [kernel] config", fragment);
      return KWB_EXIT_OK;
    }

  if ((build = open_build (argv[1], trust, &status)) == NULL)
    return status;
  run_operation (build, FALSE, &run);
  if (run.error != NULL)
    return kwb_cli_fail (run.error);
  print_findings (kwb_kernel_build_get_findings (build), quiet);
  if (!kwb_kconfig_findings_ok (kwb_kernel_build_get_findings (build)))
    {
      fprintf (stderr, _("kwb: some requested options did not stick (see above)\n"));
      return KWB_EXIT_FAILED;
    }
  return KWB_EXIT_OK;
}

static int
cmd_build (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) targets = NULL;
  int jobs = 0;
  gboolean trust = FALSE;
  int status;
  Run run = { 0 };
  const KwbBuildProblem *problem;
  const GOptionEntry entries[] = {
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, N_("Parallel jobs (default: [kernel] jobs, or one per CPU)"), "N" },
    { "target", 't', 0, G_OPTION_ARG_STRING_ARRAY, &targets,
      N_("Make this target instead of the image (bzImage, arm64: Image), modules and scripts_gdb (repeatable)"), "TARGET" },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT — build the debug kernel"));
  g_option_context_set_summary (context,
    _("Configures when needed, then runs make O=BUILD ARCH=… IMAGE modules scripts_gdb,\n"
      "with a progress bar on a terminal and plain lines otherwise. Ctrl+C stops make\n"
      "and every compiler it started. The full log is BUILD/kwb-build.log, the results\n"
      "are listed in BUILD/kwb-manifest.ini."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  kwb_cli_add_trust_option (context, &trust);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("build takes one project folder"));
  if (jobs < 0)
    return kwb_cli_usage_error (context, _("--jobs must be a positive number"));

  if ((build = open_build (argv[1], trust, &status)) == NULL)
    return status;
  kwb_kernel_build_set_jobs (build, (guint) jobs);
  if (targets != NULL)
    kwb_kernel_build_set_make_targets (build, (const char * const *) targets);

  run_operation (build, TRUE, &run);

  if (kwb_kernel_build_get_configured (build))
    print_findings (kwb_kernel_build_get_findings (build), TRUE);

  if (run.error != NULL)
    {
      problem = kwb_kernel_build_get_problem (build);
      if (problem != NULL)
        {
          g_autofree char *shown = kwb_build_problem_to_string (problem);

          fprintf (stderr, "%s\n", shown);
        }
      return kwb_cli_fail (run.error);
    }

  {
    g_autofree char *dir = kwb_kernel_build_dup_build_dir (build);
    g_autofree char *manifest = kwb_build_manifest_dup_path_for (dir);

    if (kwb_kernel_build_get_up_to_date (build))
      printf (_("Kernel up to date in %s\n"), dir);
    else
      printf (_("Built %u objects in %s\n"), kwb_kernel_build_get_objects_done (build), dir);
    printf (_("Manifest: %s\n"), manifest);
  }
  return KWB_EXIT_OK;
}

static int
cmd_doctor (int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(KwbKconfig) config = NULL;
  g_autofree char *project_file = NULL;
  int status;

  context = g_option_context_new (_("PROJECT|CONFIG — check a kernel configuration for debugging"));
  g_option_context_set_summary (context,
    _("For a project: every requested option in the build dir's .config, and why one\n"
      "did not stick. For a config file (a .config, /boot/config-*, Debian's\n"
      "/usr/src/linux-config-*/*.xz, /proc/config.gz): what stands in the way of\n"
      "debugging it under QEMU — KASLR, no or reduced debug info, no GDB scripts.\n"
      "Exit status 1 when there is a problem."));
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return kwb_cli_usage_error (context, _("doctor takes one project folder or one config file"));

  project_file = g_build_filename (argv[1], KWB_PROJECT_FILE_NAME, NULL);
  if (g_file_test (argv[1], G_FILE_TEST_IS_DIR) && g_file_test (project_file, G_FILE_TEST_EXISTS))
    {
      g_autoptr(KwbProject) project = kwb_project_load (argv[1], &error);
      g_autofree char *build_dir = NULL;
      g_autofree char *config_path = NULL;
      g_autofree char *profile = NULL;
      g_autofree char *mode = NULL;
      g_autofree char *initramfs = NULL;
      g_autofree char *source = NULL;
      g_auto(GStrv) extra = NULL;
      g_autoptr(GPtrArray) requests = NULL;
      g_autoptr(KwbKconfigTree) tree = NULL;
      g_autoptr(GPtrArray) diagnosis = NULL;
      g_autofree char *stamp = NULL;

      if (project == NULL)
        return kwb_cli_fail (error);
      build_dir = kwb_project_dup_path (project, "kernel", "build-dir");
      config_path = g_build_filename (build_dir, ".config", NULL);
      if (!g_file_test (config_path, G_FILE_TEST_IS_REGULAR))
        {
          fprintf (stderr, _("kwb: %s has no .config yet. Run “kwb kernel configure %s” first\n"),
                   build_dir, argv[1]);
          return KWB_EXIT_FAILED;
        }
      if ((config = kwb_kconfig_new_from_file (config_path, &error)) == NULL)
        return kwb_cli_fail (error);
      profile = kwb_project_dup_string (project, "kernel", "profile");
      mode = kwb_project_dup_string (project, "kernel", "initramfs");
      if (g_str_equal (mode, "builtin"))
        initramfs = kwb_project_dup_path (project, "initramfs", "output");
      extra = kwb_project_dup_string_list (project, "kernel", "extra-config");
      requests = kwb_kconfig_build_requests (kwb_arch_for_project (project), profile,
                                             kwb_project_get_boolean (project, "kernel", "relocatable"),
                                             initramfs, (const char * const *) extra, &error);
      if (requests == NULL)
        return kwb_cli_fail (error);

      /* The tree the config was made from: a tree source, or where the
       * tarball was extracted. */
      source = kwb_project_dup_path (project, "kernel", "source");
      if (source != NULL && !g_file_test (source, G_FILE_TEST_IS_DIR))
        {
          g_free (source);
          source = kwb_project_dup_path (project, "kernel", "source-dir");
          if (source == NULL)
            {
              g_autofree char *tarball = kwb_project_dup_path (project, "kernel", "source");
              source = kwb_kernel_build_dup_shared_source_dir (tarball, NULL);
            }
        }
      if (source != NULL)
        tree = kwb_kconfig_tree_load (source, kwb_arch_for_project (project)->kbuild_arch, NULL);

      findings = kwb_kconfig_check_requests (config, requests, tree);
      printf (_("Requested options in %s:\n"), config_path);
      print_findings (findings, FALSE);
      diagnosis = kwb_kconfig_diagnose (config);
      printf (_("\nFor debugging:\n"));
      print_findings (diagnosis, FALSE);
      return kwb_kconfig_findings_ok (findings) && kwb_kconfig_findings_ok (diagnosis)
             ? KWB_EXIT_OK : KWB_EXIT_FAILED;
    }

  if ((config = kwb_kconfig_new_from_file (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  findings = kwb_kconfig_diagnose (config);
  printf (_("%s, for debugging under QEMU:\n"), argv[1]);
  print_findings (findings, FALSE);
  return kwb_kconfig_findings_ok (findings) ? KWB_EXIT_OK : KWB_EXIT_FAILED;
}

static void
on_clone_progress (const KwbGitCloneProgress *p,
                   gpointer                   user_data)
{
  /* On a terminal only: a log gets the result line, not a stream of counts. */
  if (!kwb_cli_stdout_is_terminal ())
    return;
  printf ("\r\033[K");
  if (p->checkout_total > 0 && p->received_objects == p->total_objects)
    printf (_("Checking out files: %u of %u"), p->checkout_done, p->checkout_total);
  else if (p->total_objects > 0)
    {
      g_autofree char *size = g_format_size (p->received_bytes);

      printf (_("Objects: %u of %u, "), p->received_objects, p->total_objects);
      fputs (size, stdout);
    }
  fflush (stdout);
}

/* No one to ask for credentials: a server that wants them fails the clone
 * at once (KWB_GIT_REPO_ERROR_AUTH_REQUIRED), with what to do instead. A
 * user name and password in the address are used once, and neither shown
 * nor saved: the project keeps the folder, the clone's origin the address
 * without them. */
static int
cmd_clone (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbGitRepo) repo = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *branch = NULL;
  g_autofree char *into = NULL;
  g_autofree char *dest = NULL;
  g_autofree char *shown = NULL;
  int status;
  KwbCliRun run = { 0 };
  const GOptionEntry entries[] = {
    { "branch", 'b', 0, G_OPTION_ARG_STRING, &branch, N_("Check out this branch or tag (default: the remote’s)"), "NAME" },
    { "into", 0, 0, G_OPTION_ARG_FILENAME, &into, N_("Clone into this new folder (default: PROJECT/linux)"), "DIR" },
    { NULL }
  };

  context = g_option_context_new (_("PROJECT URL — clone a kernel tree and make it the project’s source"));
  g_option_context_set_summary (context,
    _("Clones URL (or a local path) into a new folder and sets [kernel] source to it.\n"
      "A failed or cancelled clone leaves nothing behind. kwb does not ask for a user\n"
      "name or password: for a repository that needs them, clone it with git and run\n"
      "“kwb set PROJECT kernel.source FOLDER”."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!kwb_cli_parse (context, &argc, &argv, &status))
    return status;
  if (argc != 3)
    return kwb_cli_usage_error (context, _("clone takes a project folder and an address"));

  if ((project = kwb_project_load (argv[1], &error)) == NULL)
    return kwb_cli_fail (error);
  dest = into ? g_canonicalize_filename (into, NULL)
              : g_build_filename (kwb_project_get_directory (project), "linux", NULL);
  shown = kwb_git_repo_redact_url (argv[2]);
  fprintf (stderr, _("kwb: cloning %s into %s\n"), shown, dest);

  kwb_cli_run_start (&run);
  kwb_git_repo_clone_async (argv[2], dest, branch, on_clone_progress, NULL, NULL, NULL, NULL,
                            run.cancellable, kwb_cli_run_done, &run);
  kwb_cli_run_wait (&run);
  repo = kwb_git_repo_clone_finish (run.result, &error);
  kwb_cli_run_clear (&run);
  if (kwb_cli_stdout_is_terminal ())
    printf ("\r\033[K");
  if (repo == NULL)
    {
      int code = kwb_cli_fail (error);

      if (g_error_matches (error, KWB_GIT_REPO_ERROR, KWB_GIT_REPO_ERROR_AUTH_REQUIRED))
        fprintf (stderr, _("kwb: for example: git clone %s FOLDER && kwb set %s kernel.source FOLDER\n"),
                 shown, argv[1]);
      return code;
    }
  if (!kwb_kernel_build_check_tree (kwb_git_repo_get_path (repo), kwb_arch_for_project (project), &error))
    return kwb_cli_fail (error);
  kwb_project_set_string (project, "kernel", "source", kwb_git_repo_get_path (repo));
  if (!kwb_project_save (project, &error))
    return kwb_cli_fail (error);
  printf (_("Cloned into %s; it is the project’s kernel source now\n"), kwb_git_repo_get_path (repo));
  return KWB_EXIT_OK;
}

int
kwb_cmd_kernel (int    argc,
                char **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  if (sub == NULL || g_str_equal (sub, "--help") || g_str_equal (sub, "-h"))
    {
      FILE *out = sub ? stdout : stderr;

      fprintf (out, "%s\n  kwb kernel clone PROJECT URL [--branch NAME]\n"
               "  kwb kernel configure PROJECT\n  kwb kernel build PROJECT [-j N]\n"
               "  kwb kernel doctor PROJECT|CONFIG\n\n%s\n", _("Usage:"),
               _("Clone, configure, build and check the debug kernel. “kwb kernel SUBCOMMAND --help” for details."));
      return sub ? KWB_EXIT_OK : KWB_EXIT_USAGE;
    }
  /* kwb_cli_parse names the command after argv[0]: "kwb kernel build". */
  if (g_str_equal (sub, "clone"))
    {
      argv[1] = (char *) "kernel clone";
      return cmd_clone (argc - 1, argv + 1);
    }
  if (g_str_equal (sub, "configure"))
    {
      argv[1] = (char *) "kernel configure";
      return cmd_configure (argc - 1, argv + 1);
    }
  if (g_str_equal (sub, "build"))
    {
      argv[1] = (char *) "kernel build";
      return cmd_build (argc - 1, argv + 1);
    }
  if (g_str_equal (sub, "doctor"))
    {
      argv[1] = (char *) "kernel doctor";
      return cmd_doctor (argc - 1, argv + 1);
    }
  fprintf (stderr, _("kwb kernel: no subcommand “%s”; use clone, configure, build or doctor\n"), sub);
  return KWB_EXIT_USAGE;
}
