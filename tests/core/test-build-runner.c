/* test-build-runner.c — one build command: its output, its first error, its cancel; the build manifest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real processes (sh, sleep), no make: what the runner promises does not
 * depend on what it runs.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-core.h"

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
  GPtrArray    *lines;
} Wait;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Wait *wait = data;

  wait->result = g_object_ref (result);
  g_main_loop_quit (wait->loop);
}

static void
on_line (KwbBuildRunner *runner,
         const char     *line,
         Wait           *wait)
{
  g_ptr_array_add (wait->lines, g_strdup (line));
}

/* Runs sh -c SCRIPT to its end; returns run_finish's result. */
static gboolean
run_script (KwbBuildRunner *runner,
            const char     *script,
            GCancellable   *cancellable,
            GPtrArray      *lines,
            GError        **error)
{
  const char *argv[] = { "sh", "-c", script, NULL };
  Wait wait = { g_main_loop_new (NULL, FALSE), NULL, lines };
  gulong id = g_signal_connect (runner, "line-received", G_CALLBACK (on_line), &wait);
  gboolean ok;

  kwb_build_runner_run_async (runner, argv, NULL, NULL, NULL, NULL, cancellable, on_done, &wait);
  g_main_loop_run (wait.loop);
  ok = kwb_build_runner_run_finish (runner, wait.result, error);
  g_signal_handler_disconnect (runner, id);
  g_object_unref (wait.result);
  g_main_loop_unref (wait.loop);
  return ok;
}

/* A byte that is not UTF-8 neither ends the reading nor reaches a reader;
 * the first compiler error becomes a problem; the exit status is kept. */
static void
test_output_and_problem (void)
{
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const KwbBuildProblem *problem;

  kwb_build_runner_set_problem_dir (runner, "/work/build");
  g_assert_false (run_script (runner,
                              "printf 'a\\377b\\n'; echo 'init/x.c:3:4: error: boom'; "
                              "echo 'y.c:9:1: error: second'; echo last; exit 3",
                              NULL, lines, &error));
  g_assert_error (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_FAILED);
  g_assert_cmpint (kwb_build_runner_get_exit_status (runner), ==, 3);
  /* The command line, then the output. */
  g_assert_cmpuint (lines->len, ==, 5);
  g_assert_true (g_utf8_validate (g_ptr_array_index (lines, 1), -1, NULL));
  g_assert_cmpstr (g_ptr_array_index (lines, 1), ==, "a\xef\xbf\xbd" "b");
  g_assert_cmpstr (g_ptr_array_index (lines, 4), ==, "last");
  problem = kwb_build_runner_get_problem (runner);
  g_assert_nonnull (problem);
  g_assert_cmpstr (problem->file, ==, "/work/build/init/x.c");
  g_assert_cmpuint (problem->line, ==, 3);
  g_assert_cmpuint (problem->column, ==, 4);
  g_assert_cmpstr (problem->message, ==, "boom");
}

/* Far more output than a pipe holds: read to the end, nothing lost. */
static void
test_big_output (void)
{
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_assert_true (run_script (runner, "i=0; while [ $i -lt 20000 ]; do echo \"  CC      obj$i.o\"; i=$((i+1)); done",
                             NULL, lines, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (lines->len, ==, 20001);
  g_assert_cmpstr (g_ptr_array_index (lines, 20000), ==, "  CC      obj19999.o");
}

static guint
count_sleeps (void)
{
  g_autofree char *pattern = g_strdup_printf ("sleep 1000.%d", (int) getpid ());
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", name, "cmdline", NULL);
      g_autofree char *text = NULL;
      gsize len;

      if (g_file_get_contents (path, &text, &len, NULL) && len > 0)
        {
          for (gsize i = 0; i + 1 < len; i++)
            if (text[i] == '\0')
              text[i] = ' ';
          n += g_str_has_prefix (text, pattern);
        }
    }
  return n;
}

static guint cancel_poll;

static gboolean
cancel_when_started (gpointer data)
{
  if (count_sleeps () == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (data);
  cancel_poll = 0;
  return G_SOURCE_REMOVE;
}

/* A cancel stops the whole group (a background child too), and the run
 * ends only once all of it is gone. */
static void
test_cancel_group (void)
{
  g_autoptr(KwbBuildRunner) runner = kwb_build_runner_new ();
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *script = g_strdup_printf ("sleep 1000.%d & sleep 1000.%d; wait", (int) getpid (),
                                             (int) getpid ());
  cancel_poll = g_timeout_add (20, cancel_when_started, cancellable);
  g_assert_false (run_script (runner, script, cancellable, lines, &error));
  g_clear_handle_id (&cancel_poll, g_source_remove);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_sleeps (), ==, 0);
}

/* What the kernel build writes is what the readers get. */
static void
test_manifest (void)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-test-manifest-XXXXXX", NULL);
  g_autoptr(KwbBuildManifest) none = kwb_build_manifest_new (dir);
  g_autoptr(KwbBuildManifest) written = kwb_build_manifest_new (dir);
  g_autoptr(KwbBuildManifest) read = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  g_autofree char *commit = NULL;
  g_autofree char *bzimage = NULL;
  const char *modules[] = { "/b/a.ko", "/b/b.ko" };

  g_assert_false (kwb_build_manifest_get_exists (none));
  g_assert_null (kwb_build_manifest_load (dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  kwb_build_manifest_set_kernel (written, "6.1.0", "abc", "/src/linux", "0123abcd", TRUE);
  kwb_build_manifest_set_file (written, "bzImage", "/b/arch/x86/boot/bzImage");
  kwb_build_manifest_set_file (written, "vmlinux", NULL);
  kwb_build_manifest_set_modules (written, modules, G_N_ELEMENTS (modules));
  kwb_build_manifest_set_build (written, 1.5, FALSE, 42);
  kwb_build_manifest_set_full_objects (written, 42);
  g_assert_true (kwb_build_manifest_save (written, &error));
  g_assert_no_error (error);

  read = kwb_build_manifest_load (dir, &error);
  g_assert_no_error (error);
  g_assert_true (kwb_build_manifest_get_exists (read));
  g_assert_cmpint (kwb_build_manifest_get_modified (read), >, 0);
  source = kwb_build_manifest_dup_source (read);
  commit = kwb_build_manifest_dup_source_commit (read);
  bzimage = kwb_build_manifest_dup_file (read, "bzImage");
  g_assert_cmpstr (source, ==, "/src/linux");
  g_assert_cmpstr (commit, ==, "0123abcd");
  g_assert_true (kwb_build_manifest_get_source_dirty (read));
  g_assert_cmpstr (bzimage, ==, "/b/arch/x86/boot/bzImage");
  g_assert_null (kwb_build_manifest_dup_file (read, "vmlinux"));
  g_assert_cmpuint (kwb_build_manifest_get_full_objects (read), ==, 42);

  /* A tree that is no git checkout: no commit, no dirty flag. */
  kwb_build_manifest_set_kernel (written, NULL, "abc", "/src/linux", NULL, TRUE);
  g_assert_true (kwb_build_manifest_save (written, NULL));
  g_clear_object (&read);
  read = kwb_build_manifest_load (dir, NULL);
  g_clear_pointer (&commit, g_free);
  commit = kwb_build_manifest_dup_source_commit (read);
  g_assert_null (commit);
  g_assert_false (kwb_build_manifest_get_source_dirty (read));

  g_assert_cmpint (g_unlink (kwb_build_manifest_get_path (read)), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The guard every build runs before writing anything. */
static void
test_out_of_tree (void)
{
  g_autofree char *src = g_dir_make_tmp ("kwb-test-src-XXXXXX", NULL);
  g_autofree char *inside = g_build_filename (src, "build", "kernel", NULL);
  g_autofree char *sibling = g_strconcat (src, "-build", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (kwb_build_runner_check_out_of_tree (src, src, "[kernel] build-dir", &error));
  g_assert_error (error, KWB_BUILD_RUNNER_ERROR, KWB_BUILD_RUNNER_ERROR_INSIDE_SOURCE);
  g_assert_nonnull (strstr (error->message, "[kernel] build-dir"));
  g_clear_error (&error);
  g_assert_false (kwb_build_runner_check_out_of_tree (src, inside, "[kernel] build-dir", &error));
  g_clear_error (&error);
  /* A name that only starts like the tree is outside it. */
  g_assert_true (kwb_build_runner_check_out_of_tree (src, sibling, "[kernel] build-dir", &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (inside, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (src), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/build-runner/output-and-problem", test_output_and_problem);
  g_test_add_func ("/build-runner/big-output", test_big_output);
  g_test_add_func ("/build-runner/cancel-group", test_cancel_group);
  g_test_add_func ("/build-runner/out-of-tree", test_out_of_tree);
  g_test_add_func ("/build-manifest/round-trip", test_manifest);
  return g_test_run ();
}
