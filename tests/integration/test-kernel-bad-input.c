/* test-kernel-bad-input.c — what a kernel build says when its input is wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole KwbKernelBuild pipeline on wrong inputs: no source, not a kernel
 * tree, a tree for another architecture, missing build tools (a PATH without
 * them), a build dir that cannot be written, a build that fails with a
 * compiler error (a fake kernel tree whose make prints one), and a tarball
 * source extracted atomically.
 */
#include "config.h"

#include <unistd.h>

#include "kernel-test-common.h"

static char *
fake_tree (void)
{
  return g_test_build_filename (G_TEST_DIST, "data", "kernel-fake", NULL);
}

static GError *
build_with (KwbProject     *project,
            KwbKernelBuild **out)
{
  g_autoptr(KwbKernelBuild) build = kwb_kernel_build_new (project);
  GError *error = kernel_test_run (build, TRUE, 0);

  if (out != NULL)
    *out = g_steal_pointer (&build);
  return error;
}

static void
test_no_source (void)
{
  g_autoptr(KwbProject) project = kernel_test_project ("/nonexistent/linux-source.tar.xz", "fast");
  g_autoptr(GError) error = build_with (project, NULL);

  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NO_SOURCE);
  g_assert_nonnull (strstr (error->message, "apt-get install linux-source-6.1"));
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_not_a_kernel (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-not-kernel-XXXXXX", NULL);
  g_autofree char *readme = g_build_filename (dir, "README", NULL);
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (readme, "hello\n", -1, NULL));
  project = kernel_test_project (dir, "fast");
  error = build_with (project, NULL);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_NOT_A_KERNEL);
  g_assert_nonnull (strstr (error->message, dir));
  kernel_test_remove (dir);
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_other_arch (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-arm-kernel-XXXXXX", NULL);
  g_autofree char *arch = g_build_filename (dir, "arch", "riscv", NULL);
  g_autofree char *mk = g_build_filename (dir, "Makefile", NULL);
  g_autofree char *kc = g_build_filename (dir, "Kconfig", NULL);
  g_autofree char *akc = g_build_filename (arch, "Kconfig", NULL);
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (arch, 0755), ==, 0);
  g_assert_true (g_file_set_contents (mk, "VERSION = 6\nPATCHLEVEL = 6\n", -1, NULL));
  g_assert_true (g_file_set_contents (kc, "source \"arch/$(SRCARCH)/Kconfig\"\n", -1, NULL));
  g_assert_true (g_file_set_contents (akc, "config RISCV\n\tdef_bool y\n", -1, NULL));
  project = kernel_test_project (dir, "fast");
  error = build_with (project, NULL);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_WRONG_ARCH);
  g_assert_nonnull (strstr (error->message, "riscv"));
  kernel_test_remove (dir);
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_missing_tools (void)
{
  g_autofree char *tree = fake_tree ();
  g_autofree char *bin = g_dir_make_tmp ("kwb-path-XXXXXX", NULL);
  g_autoptr(KwbProject) project = kernel_test_project (tree, "fast");
  g_autoptr(KwbKernelBuild) build = kwb_kernel_build_new (project);
  g_autoptr(GError) error = NULL;
  g_autofree char *build_dir = kwb_kernel_build_dup_build_dir (build);
  const char *tools[] = { "make", "gcc", "perl", NULL };

  /* A PATH with make, gcc and perl only. */
  for (guint i = 0; tools[i] != NULL; i++)
    {
      g_autofree char *real = g_find_program_in_path (tools[i]);
      g_autofree char *link = g_build_filename (bin, tools[i], NULL);

      g_assert_nonnull (real);
      g_assert_cmpint (symlink (real, link), ==, 0);
    }
  kwb_kernel_build_setenv (build, "PATH", bin);
  error = kernel_test_run (build, TRUE, 0);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_MISSING_TOOL);
  g_assert_nonnull (strstr (error->message, "flex, bison, bc"));
  g_assert_nonnull (strstr (error->message, "sudo apt-get install flex bison bc"));
  /* Checked before anything was written. */
  g_assert_false (g_file_test (build_dir, G_FILE_TEST_EXISTS));
  kernel_test_remove (bin);
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_read_only_build_dir (void)
{
  g_autofree char *tree = fake_tree ();
  g_autoptr(KwbProject) project = kernel_test_project (tree, "fast");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-ro-XXXXXX", NULL);
  g_autofree char *ro = g_build_filename (tmp, "ro", NULL);
  g_autofree char *build_dir = NULL;

  /* root ignores permission bits; sysfs refuses new directories to all. */
  if (getuid () != 0)
    {
      g_assert_cmpint (g_mkdir (ro, 0555), ==, 0);
      build_dir = g_build_filename (ro, "build", NULL);
    }
  else
    build_dir = g_strdup ("/sys/kwb-test/build");
  kwb_project_set_string (project, "kernel", "build-dir", build_dir);
  error = build_with (project, NULL);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_BUILD_DIR);
  g_assert_nonnull (strstr (error->message, build_dir));
  g_assert_nonnull (strstr (error->message, "[kernel] build-dir"));
  g_chmod (ro, 0755);
  kernel_test_remove (tmp);
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_compile_error (void)
{
  g_autofree char *tree = fake_tree ();
  g_autoptr(KwbProject) project = kernel_test_project (tree, "fast");
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = build_with (project, &build);
  const KwbBuildProblem *problem = kwb_kernel_build_get_problem (build);
  g_autofree char *expected_file = g_build_filename (tree, "init", "main.c", NULL);
  g_autofree char *log = NULL;

  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_COMPILE);
  g_assert_nonnull (strstr (error->message, "init/main.c:12:5"));
  g_assert_nonnull (strstr (error->message, "kwb_undefined"));
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->file, ==, expected_file);
  g_assert_cmpuint (problem->line, ==, 12);
  g_assert_cmpuint (problem->column, ==, 5);
  g_assert_nonnull (strstr (problem->message, "'kwb_undefined' undeclared"));

  /* The configure steps ran (through the fake tree's make and
   * merge_config.sh) and the whole output is in the log. */
  g_assert_true (kwb_kernel_build_get_configured (build));
  g_assert_true (g_file_get_contents (kwb_kernel_build_get_log_path (build), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "tinyconfig"));
  g_assert_nonnull (strstr (log, "olddefconfig"));
  g_assert_nonnull (strstr (log, "error: 'kwb_undefined'"));
  kernel_test_remove (kwb_project_get_directory (project));
}

static void
test_tarball (void)
{
  g_autofree char *tree = fake_tree ();
  g_autofree char *tmp = g_dir_make_tmp ("kwb-tarball-XXXXXX", NULL);
  g_autofree char *tarball = g_build_filename (tmp, "linux-fake.tar.xz", NULL);
  g_autofree char *parent = g_path_get_dirname (tree);
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *src = NULL;
  g_autofree char *makefile = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  const char *argv[] = { "tar", "-cJf", tarball, "-C", parent, "kernel-fake", NULL };
  int status = -1;
  g_autofree char *ignored = kernel_test_capture (argv, &status);

  g_assert_cmpint (status, ==, 0);
  project = kernel_test_project (tarball, "fast");
  src = g_build_filename (kwb_project_get_directory (project), "src", NULL);
  kwb_project_set_string (project, "kernel", "source-dir", "src");
  error = build_with (project, &build);
  /* Extracted, then the fake build fails as designed. */
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_COMPILE);
  g_assert_cmpstr (kwb_kernel_build_get_source_dir (build), ==, src);
  makefile = g_build_filename (src, "Makefile", NULL);
  g_assert_true (g_file_test (makefile, G_FILE_TEST_IS_REGULAR));
  /* Nothing of the temporary extraction dir is left. */
  dir = g_dir_open (kwb_project_get_directory (project), 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".kwb-extract-"));

  /* A broken tarball: an error, and no half tree. */
  g_clear_error (&error);
  g_clear_object (&build);
  kernel_test_remove (src);
  g_assert_true (g_file_set_contents (tarball, "this is not xz", -1, NULL));
  error = build_with (project, NULL);
  g_assert_error (error, KWB_KERNEL_BUILD_ERROR, KWB_KERNEL_BUILD_ERROR_EXTRACT);
  g_assert_false (g_file_test (src, G_FILE_TEST_EXISTS));
  g_clear_pointer (&dir, g_dir_close);
  dir = g_dir_open (kwb_project_get_directory (project), 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".kwb-extract-"));

  kernel_test_remove (tmp);
  kernel_test_remove (kwb_project_get_directory (project));
}

/* The manifest of a build from a git checkout names the commit and whether
 * the tree was dirty (libgit2). The fake tree "builds" here. */
static void
test_manifest_git (void)
{
  g_autofree char *fake = fake_tree ();
  g_autofree char *tmp = g_dir_make_tmp ("kwb-git-tree-XXXXXX", NULL);
  g_autofree char *tree = g_build_filename (tmp, "linux", NULL);
  g_autoptr(KwbProject) project = NULL;
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) manifest = g_key_file_new ();
  g_autofree char *manifest_path = NULL;
  g_autofree char *head = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *build_dir = NULL;
  g_autofree char *readme = g_build_filename (tree, "init", "main.c", NULL);
  const char *cp[] = { "cp", "-r", fake, tree, NULL };
  const char *git_init[] = { "git", "-C", tree, "init", "-q", NULL };
  const char *git_add[] = { "git", "-C", tree, "add", ".", NULL };
  const char *git_commit[] = { "git", "-C", tree, "-c", "user.name=t", "-c", "user.email=t@t",
                               "commit", "-q", "-m", "fake", NULL };
  const char *git_head[] = { "git", "-C", tree, "rev-parse", "HEAD", NULL };
  int status = -1;

  if (g_find_program_in_path ("git") == NULL)
    {
      g_test_skip ("git is not installed");
      return;
    }
  g_free (kernel_test_capture (cp, &status));
  g_assert_cmpint (status, ==, 0);
  g_free (kernel_test_capture (git_init, &status));
  g_free (kernel_test_capture (git_add, &status));
  g_free (kernel_test_capture (git_commit, &status));
  g_assert_cmpint (status, ==, 0);
  head = g_strstrip (kernel_test_capture (git_head, &status));

  project = kernel_test_project (tree, "fast");
  build = kwb_kernel_build_new (project);
  kwb_kernel_build_setenv (build, "KWB_FAKE_BUILD_OK", "1");
  error = kernel_test_run (build, TRUE, 0);
  g_assert_no_error (error);
  build_dir = kwb_kernel_build_dup_build_dir (build);
  manifest_path = g_build_filename (build_dir, "kwb-manifest.ini", NULL);
  g_assert_true (g_key_file_load_from_file (manifest, manifest_path, G_KEY_FILE_NONE, NULL));
  commit = g_key_file_get_string (manifest, "kernel", "source-commit", NULL);
  g_assert_cmpstr (commit, ==, head);
  g_assert_false (g_key_file_get_boolean (manifest, "kernel", "source-dirty", NULL));
  g_assert_cmpstr (g_key_file_get_string (manifest, "kernel", "release", NULL), ==, "6.1.0-fake");
  g_assert_cmpint (g_key_file_get_integer (manifest, "build", "objects", NULL), ==, 1);

  /* The user edits the tree: dirty. */
  g_assert_true (g_file_set_contents (readme, "int start_kernel (int);\n", -1, NULL));
  g_clear_object (&build);
  build = kwb_kernel_build_new (project);
  kwb_kernel_build_setenv (build, "KWB_FAKE_BUILD_OK", "1");
  error = kernel_test_run (build, TRUE, 0);
  g_assert_no_error (error);
  g_key_file_load_from_file (manifest, manifest_path, G_KEY_FILE_NONE, NULL);
  g_assert_true (g_key_file_get_boolean (manifest, "kernel", "source-dirty", NULL));

  kernel_test_remove (tmp);
  kernel_test_remove (kwb_project_get_directory (project));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("kwb-kernel-bad-input-cache-XXXXXX", NULL);
  int status;

  /* Before GLib reads it: the fake builds' object counts and extracted
   * trees must not become the real builds' estimates. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kernel-bad-input/no-source", test_no_source);
  g_test_add_func ("/kernel-bad-input/not-a-kernel", test_not_a_kernel);
  g_test_add_func ("/kernel-bad-input/other-arch", test_other_arch);
  g_test_add_func ("/kernel-bad-input/missing-tools", test_missing_tools);
  g_test_add_func ("/kernel-bad-input/read-only-build-dir", test_read_only_build_dir);
  g_test_add_func ("/kernel-bad-input/compile-error", test_compile_error);
  g_test_add_func ("/kernel-bad-input/tarball", test_tarball);
  g_test_add_func ("/kernel-build/manifest-git", test_manifest_git);

  status = g_test_run ();
  kernel_test_remove (cache);
  return status;
}
