/* stop-to-view.c — benchmark: from GDB's *stopped to the line on screen, and app start to first frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the real application under Xvfb with a session on the fixture kernel
 * and steps (`next`) through start_kernel. For each step:
 *   gdb    — the bare tool: -exec-next sent until GDB's *stopped record
 *   view   — *stopped until the window has the line marked and scrolled
 *   paint  — *stopped until the next frame is drawn with it
 * and, as the floor, GTK's own repaint here (a title change to its frame).
 * half of the steps with init/main.c already open in a tab, half after
 * closing every tab (the file is read and highlighted again). Medians are
 * printed with their ratio to the bare GDB step; nothing fails on time.
 */
#include "config.h"

#include <string.h>

#include "kwb-application.h"
#include "kwb-window.h"

#define STEPS 40

typedef struct {
  KwbApplication *app;
  KwbWindow      *window;
  KwbSession     *session;
  gint64          process_start;
  gint64          first_frame;
  gint64          sent;
  gint64          stopped;
  gint64          shown;
  gint64          painted;
  gboolean        want_paint;
  GArray         *gdb[2], *view[2], *paint[2]; /* [0] open, [1] not open */
  GArray         *bare_paint;  /* a label change to its frame: GTK's own pace */
} Bench;

static Bench bench;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (gboolean  (*cond) (void),
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 300 * G_USEC_PER_SEC;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (!cond ())
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Gave up waiting for %s", what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
}

static gboolean
stopped_hook (GSignalInvocationHint *hint,
              guint                  n_values,
              const GValue          *values,
              gpointer               data)
{
  /* Emission hooks run before the signal's handlers: this is the moment the
   * record was parsed, before the session or the window saw it. */
  bench.stopped = g_get_monotonic_time ();
  return TRUE;
}

static void
on_location_shown (KwbWindow *window)
{
  bench.shown = g_get_monotonic_time ();
  bench.want_paint = TRUE;
}

static void
on_after_paint (GdkFrameClock *clock)
{
  if (bench.first_frame == 0)
    bench.first_frame = g_get_monotonic_time ();
  if (bench.want_paint)
    {
      bench.want_paint = FALSE;
      bench.painted = g_get_monotonic_time ();
    }
}

static gboolean is_painted (void) { return bench.painted != 0; }
static gboolean is_stopped (void) { return kwb_session_get_state (bench.session) == KWB_SESSION_STATE_STOPPED && bench.painted != 0; }
static gboolean has_frame (void) { return bench.first_frame != 0; }

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_gint64);
  return g_array_index (values, gint64, values->len / 2) / 1000.0;
}

static char *
make_project (void)
{
  const char *vmlinux = g_getenv ("KWB_FIXTURE_VMLINUX");
  const char *initramfs = g_getenv ("KWB_FIXTURE_INITRAMFS");
  g_autofree char *kwb = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "app", "cli", "kwb", NULL);
  g_autofree char *build_dir = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-bench-view-XXXXXX", NULL);
  char *project = g_build_filename (tmp, "p", NULL);
  const char *sets[][2] = {
    { "kernel.build-dir", NULL }, { "initramfs.output", initramfs },
    { "qemu.accel", "tcg" }, { "qemu.memory", "256" },
  };

  if (vmlinux == NULL || initramfs == NULL)
    g_error ("KWB_FIXTURE_VMLINUX and KWB_FIXTURE_INITRAMFS must be set: run through build-aux/test "
             "or export what build-aux/fixtures prints");
  build_dir = g_path_get_dirname (vmlinux);
  sets[0][1] = build_dir;
  {
    const char *argv[] = { kwb, "init", project, NULL };
    int status;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (sets); i++)
    {
      const char *argv[] = { kwb, "set", project, sets[i][0], sets[i][1], NULL };
      int status;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
  return project;
}

static void
close_all_tabs (KwbWindow *window)
{
  kwb_window_close_sources (window);
}

static gboolean
run_bench (gpointer data)
{
  KwbWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (bench.app)); l; l = l->next)
    if (KWB_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    return G_SOURCE_CONTINUE;
  bench.window = window;
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint", G_CALLBACK (on_after_paint), NULL);
  wait_until (has_frame, "the first frame");
  g_signal_connect (window, "location-shown", G_CALLBACK (on_location_shown), NULL);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.start", NULL);
  bench.session = kwb_window_get_session (window);
  bench.painted = 0;
  wait_until (is_stopped, "the stop at start_kernel");
  g_signal_add_emission_hook (g_signal_lookup ("stopped", KWB_TYPE_GDB), 0, stopped_hook, NULL, NULL);

  /* The floor: how long GTK here takes from a widget change to its frame. */
  for (guint i = 0; i < STEPS / 2; i++)
    {
      g_autofree char *text = g_strdup_printf ("%u", i);
      gint64 start, value;

      bench.painted = 0;
      start = g_get_monotonic_time ();
      gtk_window_set_title (GTK_WINDOW (window), text);
      gtk_widget_queue_draw (GTK_WIDGET (window));
      bench.want_paint = TRUE;
      wait_until (is_painted, "a repaint");
      value = bench.painted - start;
      g_array_append_val (bench.bare_paint, value);
    }

  for (guint i = 0; i < STEPS; i++)
    {
      guint kind = i % 2; /* 0: file open, 1: not open */
      gint64 value;

      if (kind == 1)
        close_all_tabs (window);
      bench.stopped = bench.shown = bench.painted = 0;
      bench.sent = g_get_monotonic_time ();
      gtk_widget_activate_action (GTK_WIDGET (window), "win.next", NULL);
      wait_until (is_stopped, "a step");
      value = bench.stopped - bench.sent;
      g_array_append_val (bench.gdb[kind], value);
      value = bench.shown - bench.stopped;
      g_array_append_val (bench.view[kind], value);
      value = bench.painted - bench.stopped;
      g_array_append_val (bench.paint[kind], value);
    }

  g_print ("application start to first frame drawn: %.1f ms\n",
           (bench.first_frame - bench.process_start) / 1000.0);
  g_print ("bare GTK repaint (a window change to its frame drawn, median of %u): %.2f ms\n",
           bench.bare_paint->len, median (bench.bare_paint));
  for (guint kind = 0; kind < 2; kind++)
    {
      double gdb = median (bench.gdb[kind]);
      double view = median (bench.view[kind]);
      double paint = median (bench.paint[kind]);

      double bare = median (bench.bare_paint);

      g_print ("%s (median of %u steps): gdb next %.2f ms; *stopped→view %.2f ms (%.2fx gdb); "
               "*stopped→painted %.2f ms (%.2fx gdb, %.2fx the bare GTK repaint)\n",
               kind == 0 ? "file already open" : "file not yet open", bench.gdb[kind]->len,
               gdb, view, gdb > 0 ? view / gdb : 0, paint, gdb > 0 ? paint / gdb : 0,
               bare > 0 ? paint / bare : 0);
    }
  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_application_quit (G_APPLICATION (bench.app));
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *project = NULL;
  char *app_argv[3];
  int status;

  bench.process_start = g_get_monotonic_time ();
  for (guint k = 0; k < 2; k++)
    {
      bench.gdb[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.view[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      bench.paint[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  bench.bare_paint = g_array_new (FALSE, FALSE, sizeof (gint64));
  project = make_project ();
  /* The project is made by `kwb` first: start counts from here. */
  bench.process_start = g_get_monotonic_time ();
  bench.app = kwb_application_new ();
  g_application_set_flags (G_APPLICATION (bench.app),
                           g_application_get_flags (G_APPLICATION (bench.app)) | G_APPLICATION_NON_UNIQUE);
  app_argv[0] = (char *) "kernel-workbench";
  app_argv[1] = project;
  app_argv[2] = NULL;
  g_timeout_add (1, run_bench, NULL);
  status = g_application_run (G_APPLICATION (bench.app), 2, app_argv);
  g_object_unref (bench.app);
  return status;
}
