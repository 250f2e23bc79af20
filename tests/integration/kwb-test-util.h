/* kwb-test-util.h — helpers shared by the initramfs integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <unistd.h>

#include "kwb-core.h"

typedef struct {
  GMainLoop    *loop;
  GAsyncResult *result;
} KwbTestWait;

static inline void
kwb_test_wait_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  KwbTestWait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

/* Runs ARGV (as nobody when we are root, so that the checks hold for a normal
 * user), stdin from a file or nothing; returns stdout, stderr in *err. */
static inline char *
kwb_test_run (const char * const *argv,
              const char         *cwd,
              const char         *stdin_path,
              gboolean            as_nobody,
              int                *exit_status,
              char              **err)
{
  g_autoptr(GSubprocessLauncher) launcher =
    kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  if (as_nobody && geteuid () == 0)
    {
      g_ptr_array_add (args, (gpointer) "setpriv");
      g_ptr_array_add (args, (gpointer) "--reuid=65534");
      g_ptr_array_add (args, (gpointer) "--regid=65534");
      g_ptr_array_add (args, (gpointer) "--clear-groups");
      g_ptr_array_add (args, (gpointer) "--");
    }
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);
  if (stdin_path != NULL)
    g_subprocess_launcher_set_stdin_file_path (launcher, stdin_path);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C", TRUE);
  process = kwb_spawn (launcher, (const char * const *) args->pdata, NULL, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, err, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  return out;
}

/* A project in a fresh temporary folder (world-readable: nobody reads it). */
static inline KwbProject *
kwb_test_new_project (char **dir_out)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("kwb-initramfs-XXXXXX", &error);
  KwbProject *project;

  g_assert_no_error (error);
  g_chmod (dir, 0755);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  *dir_out = dir;
  return project;
}

/* Builds the project's initramfs to OUTPUT (NULL: the project's). Returns
 * the path, or NULL with *error. */
static inline char *
kwb_test_build_initramfs (KwbProject  *project,
                          const char  *output,
                          GError     **error)
{
  g_autoptr(KwbInitramfs) initramfs = kwb_initramfs_new (project);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  KwbTestWait w = { loop, NULL };
  char *path;

  if (output != NULL)
    kwb_initramfs_set_output (initramfs, output);
  kwb_initramfs_build_async (initramfs, NULL, kwb_test_wait_cb, &w);
  g_main_loop_run (loop);
  path = kwb_initramfs_build_finish (initramfs, w.result, error);
  g_object_unref (w.result);
  return path;
}

static inline KwbCpio *
kwb_test_prepare_initramfs (KwbProject  *project,
                            GError     **error)
{
  g_autoptr(KwbInitramfs) initramfs = kwb_initramfs_new (project);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  KwbTestWait w = { loop, NULL };
  KwbCpio *cpio;

  kwb_initramfs_prepare_async (initramfs, NULL, kwb_test_wait_cb, &w);
  g_main_loop_run (loop);
  cpio = kwb_initramfs_prepare_finish (initramfs, w.result, error);
  g_object_unref (w.result);
  return cpio;
}
