/* test-kernel-cancel.c — cancelling a real kernel build leaves no make or cc1 behind
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scratch build of the fast profile in its own build dir, cancelled once
 * kbuild has printed some compile lines. Then no process may be left whose
 * command line or working directory is in that build dir, and a second make
 * in the same dir must succeed. To keep CI affordable the second build makes
 * one object (init/main.o, which needs everything make had started: the
 * generated headers, objtool, the config), not the whole kernel.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "kernel-test-common.h"

/* Processes working in or naming @dir, as "PID: cmdline". */
static GPtrArray *
processes_in (const char *dir)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  char self[16];

  g_snprintf (self, sizeof self, "%d", getpid ());
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cwd_path = NULL;
      g_autofree char *cmdline = NULL;
      g_autofree char *cwd = NULL;
      gsize len = 0;

      if (!g_ascii_isdigit (name[0]) || g_str_equal (name, self))
        continue;
      cmdline_path = g_build_filename ("/proc", name, "cmdline", NULL);
      cwd_path = g_build_filename ("/proc", name, "cwd", NULL);
      if (!g_file_get_contents (cmdline_path, &cmdline, &len, NULL))
        continue;
      for (gsize i = 0; i + 1 < len; i++)
        if (cmdline[i] == '\0')
          cmdline[i] = ' ';
      cwd = g_file_read_link (cwd_path, NULL);
      if (strstr (cmdline, dir) != NULL || (cwd != NULL && g_str_has_prefix (cwd, dir)))
        g_ptr_array_add (found, g_strdup_printf ("%s: %s (cwd %s)", name, cmdline, cwd ? cwd : "?"));
    }
  return found;
}

static void
test_cancel (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
  g_autoptr(KwbKernelBuild) build = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autofree char *build_dir = NULL;
  g_autofree char *main_o = NULL;
  const char *one_object[] = { "init/main.o", NULL };

  /* No ccache: a cache hit could finish the build before the cancel. */
  build = kwb_kernel_build_new (project);
  g_setenv ("KWB_NO_CCACHE", "1", TRUE);
  build_dir = kwb_kernel_build_dup_build_dir (build);

  error = kernel_test_run (build, TRUE, 150);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (kwb_kernel_build_get_objects_done (build), >=, 150);
  g_assert_cmpint (kwb_kernel_build_get_stage (build), !=, KWB_BUILD_STAGE_DONE);

  {
    g_autofree char *log = NULL;
    g_autofree char *tail = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (kwb_kernel_build_get_log_path (build), &log, &len, NULL));
    tail = g_strdup (log + (len > 400 ? len - 400 : 0));
    g_test_message ("log when cancelled: …%s", tail);
  }

  /* The operation ended only after the whole group was gone. */
  left = processes_in (build_dir);
  for (guint i = 0; i < left->len; i++)
    g_test_message ("left behind: %s", (const char *) g_ptr_array_index (left, i));
  g_assert_cmpuint (left->len, ==, 0);

  /* The build dir still works. */
  kwb_kernel_build_set_make_targets (build, one_object);
  error = kernel_test_run (build, TRUE, 0);
  g_assert_no_error (error);
  g_assert_false (kwb_kernel_build_get_configured (build));
  main_o = g_build_filename (build_dir, "init", "main.o", NULL);
  g_assert_true (g_file_test (main_o, G_FILE_TEST_IS_REGULAR));

  kernel_test_remove (kwb_project_get_directory (project));
}

/* Extraction is cancellable too, and atomic: no half tree, no temp dir. */
static void
test_cancel_extract (void)
{
  g_autoptr(KwbProject) project = kernel_test_project (NULL, "fast");
  g_autoptr(KwbKernelBuild) build = kwb_kernel_build_new (project);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *src = g_build_filename (kwb_project_get_directory (project), "src", NULL);
  const char *name;

  kwb_project_set_string (project, "kernel", "source-dir", "src");
  /* During extraction objects-done counts the megabytes fed to tar. */
  error = kernel_test_run (build, TRUE, 8);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (src, G_FILE_TEST_EXISTS));
  dir = g_dir_open (kwb_project_get_directory (project), 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".kwb-extract-"));
  left = processes_in (kwb_project_get_directory (project));
  g_assert_cmpuint (left->len, ==, 0);
  kernel_test_remove (kwb_project_get_directory (project));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (!g_file_test (DEBIAN_TARBALL, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("linux-source-6.1 is not installed: sudo apt-get install linux-source-6.1");
      return g_test_run ();
    }
  g_test_add_func ("/kernel-build/cancel", test_cancel);
  g_test_add_func ("/kernel-build/cancel-extract", test_cancel_extract);
  return g_test_run ();
}
