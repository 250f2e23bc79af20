/* kernel-test-common.h — helpers shared by the kernel integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib/gstdio.h>

#include "kwb-core.h"

#define DEBIAN_TARBALL "/usr/src/linux-source-6.1.tar.xz"

typedef struct {
  GMainLoop    *loop;
  GError       *error;
  GCancellable *cancellable;
  guint         cancel_after;  /* progress lines, 0: never */
} KernelTestRun;

G_GNUC_UNUSED static void
kernel_test_done (GObject      *source,
                  GAsyncResult *result,
                  gpointer      data)
{
  KernelTestRun *run = data;

  if (g_async_result_is_tagged (result, kwb_kernel_build_configure_async))
    kwb_kernel_build_configure_finish (KWB_KERNEL_BUILD (source), result, &run->error);
  else
    kwb_kernel_build_build_finish (KWB_KERNEL_BUILD (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

G_GNUC_UNUSED static void
kernel_test_progress (KwbKernelBuild *build,
                      GParamSpec     *pspec,
                      KernelTestRun  *run)
{
  if (run->cancel_after > 0 && kwb_kernel_build_get_objects_done (build) >= run->cancel_after &&
      !g_cancellable_is_cancelled (run->cancellable))
    g_cancellable_cancel (run->cancellable);
}

/* Runs a configure or a build to its end; returns its error, if any. */
G_GNUC_UNUSED static GError *
kernel_test_run (KwbKernelBuild *build,
                 gboolean        do_build,
                 guint           cancel_after)
{
  KernelTestRun run = { 0 };
  gulong id;

  run.loop = g_main_loop_new (NULL, FALSE);
  run.cancellable = g_cancellable_new ();
  run.cancel_after = cancel_after;
  id = g_signal_connect (build, "notify::objects-done", G_CALLBACK (kernel_test_progress), &run);
  if (do_build)
    kwb_kernel_build_build_async (build, run.cancellable, kernel_test_done, &run);
  else
    kwb_kernel_build_configure_async (build, run.cancellable, kernel_test_done, &run);
  g_main_loop_run (run.loop);
  g_signal_handler_disconnect (build, id);
  g_main_loop_unref (run.loop);
  g_object_unref (run.cancellable);
  return run.error;
}

/* A project in a fresh temporary folder. source NULL: Debian's tarball,
 * extracted into the shared source cache. */
G_GNUC_UNUSED static KwbProject *
kernel_test_project (const char *source,
                     const char *profile)
{
  g_autofree char *dir = g_dir_make_tmp ("kwb-kernel-test-XXXXXX", NULL);
  g_autofree char *project_dir = g_build_filename (dir, "p", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = kwb_project_init_directory (project_dir, &error);

  g_assert_no_error (error);
  kwb_project_set_string (project, "kernel", "source", source ? source : DEBIAN_TARBALL);
  kwb_project_set_string (project, "kernel", "source-dir", "");
  kwb_project_set_string (project, "kernel", "profile", profile);
  g_assert_true (kwb_project_save (project, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&project);
}

G_GNUC_UNUSED static void
kernel_test_remove (const char *path)
{
  const char *argv[] = { "rm", "-rf", "--", path, NULL };

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, NULL, NULL));
}

/* Output of a command, or NULL when it failed to run. */
G_GNUC_UNUSED static char *
kernel_test_capture (const char * const *argv,
                     int                *status)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &wait_status, &error))
    return NULL;
  if (status)
    *status = wait_status;
  return out;
}
