/* step.c — median time per `next` in start_kernel: through KwbSession vs bare GDB/MI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the session's operation queue costs on top of GDB. Both sides stop at
 * start_kernel on the fixture kernel (TCG) and time N `next` commands, each from sending the command to
 * the *stopped record (bare: GDB's raw MI pipe, read with blocking reads; ours:
 * kwb_session_exec_async to the session's `stopped` signal). Prints medians
 * and the ratio; never fails on time.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kwb-core.h"
#include "kwb-session-private.h"

#define STEPS 40

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct {
  gboolean flag;
} Wait;

static void
set_flag (gpointer instance,
          gpointer arg,
          Wait    *wait)
{
  wait->flag = TRUE;
}

static void
started_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_session_start_finish (KWB_SESSION (object), result, &error))
    g_error ("session: %s", error->message);
  wait->flag = TRUE;
}

static void
exec_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!kwb_session_exec_finish (KWB_SESSION (object), result, &error))
    g_error ("next: %s", error->message);
}

static void
spin (Wait *wait)
{
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  while (!wait->flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (!wait->flag)
    g_error ("timed out");
  wait->flag = FALSE;
}

static KwbProject *
make_project (void)
{
  const char *vmlinux = g_getenv ("KWB_FIXTURE_VMLINUX");
  const char *initramfs = g_getenv ("KWB_FIXTURE_INITRAMFS");
  g_autofree char *dir = g_dir_make_tmp ("kwb-bench-step-XXXXXX", NULL);
  g_autofree char *build = NULL;
  KwbProject *project;

  if (vmlinux == NULL || initramfs == NULL)
    g_error ("KWB_FIXTURE_VMLINUX and KWB_FIXTURE_INITRAMFS must be set (build-aux/fixtures)");
  build = g_path_get_dirname (vmlinux);
  project = kwb_project_new (dir);
  kwb_project_set_string (project, "kernel", "build-dir", build);
  kwb_project_set_string (project, "initramfs", "output", initramfs);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  return project;
}

static double
bench_session (KwbProject *project)
{
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(KwbSession) session = NULL;
  g_autoptr(GError) error = NULL;
  double times[STEPS];
  Wait wait = { 0 };

  config = kwb_session_config_new_for_project (project, &error);
  if (config == NULL)
    g_error ("%s", error->message);
  session = kwb_session_new (config);
  g_signal_connect (session, "stopped", G_CALLBACK (set_flag), &wait);
  kwb_session_start_async (session, NULL, started_cb, &wait);
  spin (&wait);
  if (kwb_session_get_state (session) != KWB_SESSION_STATE_STOPPED)
    spin (&wait);

  for (guint i = 0; i < STEPS; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      kwb_session_exec_async (session, KWB_GDB_EXEC_NEXT, NULL, exec_cb, NULL);
      spin (&wait);
      times[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
  kwb_qemu_kill (kwb_session_get_qemu (session));
  kwb_gdb_kill (kwb_session_get_gdb (session));
  return median (times, STEPS);
}

/* Bare GDB/MI on a guest of our own (KwbQemu for the guest only). */
static double
bench_bare (KwbProject *project)
{
  g_autoptr(KwbSessionConfig) config = kwb_session_config_new_for_project (project, NULL);
  g_autoptr(KwbQemu) qemu = kwb_session_config_create_qemu (config);
  g_autoptr(GSubprocess) gdb = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  double times[STEPS];
  GOutputStream *in;
  g_autoptr(GDataInputStream) out = NULL;
  gboolean started = FALSE;

  kwb_qemu_set_freeze (qemu, TRUE);
  kwb_qemu_start_async (qemu, NULL, NULL, NULL);
  while (!kwb_qemu_get_running (qemu))
    g_main_context_iteration (NULL, TRUE);
  target = kwb_qemu_dup_gdb_target (qemu);

  {
    g_autoptr(GSubprocessLauncher) launcher =
      kwb_spawn_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    const char *argv[] = { "gdb", "--interpreter=mi3", "-nx", "-q", NULL };

    gdb = kwb_spawn (launcher, argv, "gdb", &error);
  }
  if (gdb == NULL)
    g_error ("%s", error->message);
  in = g_subprocess_get_stdin_pipe (gdb);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (gdb));

#define SEND(...) G_STMT_START { \
    g_autofree char *cmd_ = g_strdup_printf (__VA_ARGS__); \
    g_output_stream_write_all (in, cmd_, strlen (cmd_), NULL, NULL, NULL); \
  } G_STMT_END

  SEND ("-file-exec-and-symbols %s\n-target-select remote %s\n-break-insert start_kernel\n-exec-continue\n",
        kwb_session_config_get_vmlinux (config), target);
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);

      if (line == NULL)
        g_error ("gdb ended");
      if (g_str_has_prefix (line, "*stopped") && strstr (line, "start_kernel"))
        {
          started = TRUE;
          break;
        }
    }
  g_assert (started);

  for (guint i = 0; i < STEPS; i++)
    {
      gint64 t0 = g_get_monotonic_time ();

      SEND ("-exec-next\n");
      for (;;)
        {
          g_autofree char *line = g_data_input_stream_read_line (out, NULL, NULL, NULL);

          if (line == NULL)
            g_error ("gdb ended");
          if (g_str_has_prefix (line, "*stopped"))
            break;
        }
      times[i] = (g_get_monotonic_time () - t0) / 1e6;
    }
#undef SEND
  g_subprocess_force_exit (gdb);
  kwb_qemu_kill (qemu);
  return median (times, STEPS);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(KwbProject) project = make_project ();
  double bare, ours;

  /* Alternated, two rounds each, so a busy machine weighs on both sides. */
  bare = bench_bare (project);
  ours = bench_session (project);
  ours = (ours + bench_session (project)) / 2;
  bare = (bare + bench_bare (project)) / 2;
  printf ("step (2 rounds of %d x next in start_kernel, TCG; mean of the rounds' medians):\n", STEPS);
  printf ("  bare GDB/MI:  median %.2f ms\n", bare * 1000);
  printf ("  KwbSession:   median %.2f ms\n", ours * 1000);
  printf ("  ratio session/bare: %.2f\n", ours / bare);
  return 0;
}
