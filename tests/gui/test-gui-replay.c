/* test-gui-replay.c — record a run in the window, replay it, go backwards (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With Record This Run on, the session boots under QEMU's recording: it
 * stops at start_kernel, setup_arch and kernel_init as any session does,
 * and runs to the shell, idles there for seconds and takes an Enter
 * before it is stopped; the recording is then saved
 * (a toast, a finished recording.ini) and listed. Replayed from the
 * Recordings list, the window shows the reverse controls and the
 * timeline, and does not take typing. The replay stops where the run did,
 * at the same instruction counts (the timeline's marks); Continue
 * Backwards from kernel_init stops at setup_arch's breakpoint at the
 * instruction it was hit (the console marks where the replayed output
 * starts again); Step Over Backwards from there goes to the line
 * of start_kernel that called setup_arch; a mark on the timeline goes
 * forwards and backwards to its stop, with the breakpoints working after;
 * Pause cancels a step back; the run on to the Enter shows its progress.
 * Screenshots: replay-*.png in $KWB_BUILD_ROOT/tests/gui/screenshots/.
 * Needs KWB_FIXTURE_VMLINUX and KWB_FIXTURE_INITRAMFS.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-session-private.h"
#include "kwb-test-session.h"

/* Going backwards replays the run from its start. */
#define REVERSE_WAIT_SECONDS 900
/* The recorded guest idles this long at the shell's first prompt. */
#define IDLE_SECONDS         4

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () >= *(gint64 *) data;
}

typedef struct {
  KwbSession *session;
  const char *func;
} Stop;

static gboolean
stopped_in (gpointer data)
{
  Stop *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  if (kwb_session_get_state (w->session) == KWB_SESSION_STATE_FAILED)
    {
      g_autofree char *transcript = kwb_gdb_dup_transcript (kwb_session_get_gdb (w->session));
      gsize len = transcript ? strlen (transcript) : 0;

      g_printerr ("GDB transcript (last 4000 bytes):\n%s\n", transcript ? transcript + (len > 4000 ? len - 4000 : 0) : "");
      g_error ("The session failed waiting for a stop in %s: %s", w->func,
               kwb_session_get_failure_reason (w->session));
    }
  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         g_strcmp0 (stop->func, w->func) == 0;
}

static void
wait_stopped_in (KwbSession *session,
                 const char *func)
{
  Stop w = { session, func };
  g_autofree char *what = g_strdup_printf ("a stop in %s", func);

  kwb_test_wait_until_full (stopped_in, &w, REVERSE_WAIT_SECONDS, what);
}

static gboolean
position_known (gpointer data)
{
  return kwb_replay_get_position (data) >= 0;
}

/* Where the replay stopped, once QEMU has said. */
static gint64
wait_position (KwbWindow *window)
{
  KwbReplay *replay = kwb_window_get_replay (window);

  kwb_test_wait_until (position_known, replay, "the replay's position");
  /* The timeline shows the same. */
  g_assert_cmpint (kwb_timeline_get_position (kwb_window_get_timeline (window)), ==,
                   kwb_replay_get_position (replay));
  return kwb_replay_get_position (replay);
}

typedef struct {
  KwbWindow  *window;
  const char *prefix;
} ToastWait;

static gboolean
toast_starts (gpointer data)
{
  ToastWait *w = data;
  const char *toast = kwb_window_get_last_toast (w->window);

  return toast != NULL && g_str_has_prefix (toast, w->prefix);
}

static gboolean
session_exited (gpointer data)
{
  KwbSession *session = kwb_window_get_session (data);

  return session == NULL || kwb_session_get_state (session) == KWB_SESSION_STATE_EXITED;
}

static gboolean
has_session (gpointer data)
{
  return kwb_window_get_session (data) != NULL;
}

static gboolean
has_replay (gpointer data)
{
  return kwb_window_get_replay (data) != NULL &&
         kwb_replay_get_mode (kwb_window_get_replay (data)) == KWB_QEMU_REPLAY_PLAY;
}

static gboolean
one_recording (gpointer data)
{
  GListModel *model = kwb_recordings_page_get_model (data);

  return g_list_model_get_n_items (model) == 1;
}

typedef struct {
  KwbWindow  *window;
  KwbSession *old;
} NewSession;

/* The replay started again: another session, stopped. */
static gboolean
new_session_stopped (gpointer data)
{
  NewSession *n = data;
  KwbSession *session = kwb_window_get_session (n->window);

  return session != NULL && session != n->old && kwb_replay_get_mode (kwb_window_get_replay (n->window)) ==
         KWB_QEMU_REPLAY_PLAY && kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED;
}

static gboolean
session_running (gpointer data)
{
  return kwb_session_get_state (data) == KWB_SESSION_STATE_RUNNING;
}

/* How far a running replay got, as the window showed it. */
typedef struct {
  KwbWindow *window;
  gint64     progress;
  gboolean   label_said;
} Progress;

static void
on_progress (KwbReplay  *replay,
             GParamSpec *pspec,
             Progress   *p)
{
  gint64 progress = kwb_replay_get_progress (replay);
  GtkWidget *label = kwb_test_require_widget (GTK_WIDGET (p->window), "replay_position");

  if (progress < 0)
    return;
  p->progress = MAX (p->progress, progress);
  if (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (label)), "Replaying… instruction"))
    p->label_said = TRUE;
}

/* The mark at ICOUNT, or fails. */
static guint
find_mark (KwbTimeline *timeline,
           gint64       icount)
{
  for (guint i = 0; i < kwb_timeline_get_n_marks (timeline); i++)
    if (kwb_timeline_get_mark (timeline, i) == icount)
      return i;
  g_error ("no mark at instruction %" G_GINT64_FORMAT, icount);
  return 0;
}

static void
check_replay (KwbApplication *app,
              KwbWindow      *window,
              gpointer        data)
{
  KwbProject *project = kwb_window_get_project (window);
  KwbTimeline *timeline = kwb_window_get_timeline (window);
  KwbSession *session;
  KwbRecording *recording;
  g_autoptr(KwbProject) saved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *main_c = NULL;
  g_autofree char *dir = NULL;
  ToastWait saved_toast = { window, "Recording saved: " };
  gint64 at_start, at_setup, at_init, span;
  guint call_line;

  /* The toggle is the project's setting, saved at once. */
  g_assert_false (kwb_project_get_boolean (project, "debug", "record"));
  kwb_test_activate_action (GTK_WIDGET (window), "win.record", NULL);
  g_assert_true (kwb_project_get_boolean (project, "debug", "record"));
  saved = kwb_project_load (kwb_project_get_directory (project), &error);
  g_assert_no_error (error);
  g_assert_true (kwb_project_get_boolean (saved, "debug", "record"));

  /* ---- record ---- */
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  kwb_test_wait_until (has_session, window, "the recorded session to start");
  session = kwb_window_get_session (window);
  g_assert_nonnull (kwb_window_get_replay (window));
  g_assert_cmpint (kwb_replay_get_mode (kwb_window_get_replay (window)), ==, KWB_QEMU_REPLAY_RECORD);
  wait_stopped_in (session, "start_kernel");
  /* Recording is not replaying: no going back, no timeline, typing works. */
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (window, "reverse_controls")));
  g_assert_false (gtk_widget_is_sensitive (kwb_test_require_widget (window, "reverse_continue_button")));
  g_assert_true (vte_terminal_get_input_enabled (kwb_console_get_terminal (kwb_window_get_console (window))));
  kwb_test_break_at (session, "setup_arch");
  kwb_test_break_at (session, "kernel_init");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "setup_arch");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "kernel_init");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_terminal_shows (window, "Please press Enter", "the shell, recorded");
  /* Seconds of an idle guest, then Enter (the console's first input). */
  {
    gint64 until = g_get_monotonic_time () + IDLE_SECONDS * G_TIME_SPAN_SECOND;

    kwb_test_wait_until (time_passed, &until, "the guest to idle at the prompt");
  }
  vte_terminal_feed_child (kwb_console_get_terminal (kwb_window_get_console (window)), "\r", 1);
  kwb_test_wait_terminal_shows (window, "/ # ", "the shell's prompt, recorded");
  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  kwb_test_wait_until (toast_starts, &saved_toast, "the recording saved");
  g_assert_true (session_exited (window));

  /* Listed, finished, with its length in instructions. */
  kwb_test_wait_until (one_recording, kwb_window_get_recordings_page (window), "the recording in the list");
  recording = g_list_model_get_item (kwb_recordings_page_get_model (kwb_window_get_recordings_page (window)), 0);
  g_object_unref (recording); /* the model keeps it */
  g_assert_true (kwb_recording_get_finished (recording));
  span = kwb_recording_get_icount (recording);
  g_assert_cmpint (span, >, 0);
  dir = g_strdup (kwb_recording_get_dir (recording));
  kwb_window_show_panel (window, "recordings");
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "replay-recordings.png");

  /* ---- replay ---- */
  kwb_test_activate_action (GTK_WIDGET (window), "win.replay-recording", g_variant_new_string (dir));
  kwb_test_wait_until (has_replay, window, "the replay to start");
  session = kwb_window_get_session (window);
  g_assert_cmpint (kwb_replay_get_mode (kwb_window_get_replay (window)), ==, KWB_QEMU_REPLAY_PLAY);
  g_assert_cmpint (kwb_qemu_get_replay (kwb_session_get_qemu (session)), ==, KWB_QEMU_REPLAY_PLAY);
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (window, "reverse_controls")));
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (kwb_test_require_widget (window, "replay_bar"))));
  g_assert_false (vte_terminal_get_input_enabled (kwb_console_get_terminal (kwb_window_get_console (window))));
  g_assert_cmpint (kwb_timeline_get_span (timeline), ==, span);
  g_assert_cmpuint (kwb_timeline_get_n_snapshots (timeline), ==, 1);

  wait_stopped_in (session, "start_kernel");
  at_start = wait_position (window);
  g_assert_true (gtk_widget_is_sensitive (kwb_test_require_widget (window, "reverse_continue_button")));
  kwb_test_break_at (session, "setup_arch");
  kwb_test_break_at (session, "kernel_init");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "setup_arch");
  at_setup = wait_position (window);
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "kernel_init");
  at_init = wait_position (window);
  g_assert_cmpint (at_start, <, at_setup);
  g_assert_cmpint (at_setup, <, at_init);
  g_assert_cmpint (at_init, <, span);
  /* The snapshots the replay took on its way are on the timeline. */
  g_assert_cmpuint (kwb_timeline_get_n_snapshots (timeline), ==,
                    kwb_replay_get_n_snapshots (kwb_window_get_replay (window)));
  /* Each breakpoint stop is a mark, at the instruction it happened. */
  g_assert_cmpuint (kwb_timeline_get_n_marks (timeline), ==, 3);
  g_assert_cmpstr (kwb_timeline_get_mark_label (timeline, find_mark (timeline, at_init)), !=, NULL);
  kwb_test_wait_stop_shown (window);
  kwb_test_save_screenshot (GTK_WIDGET (window), "replay-kernel-init.png");

  /* Backwards to the last breakpoint hit: setup_arch, where it was hit.
   * QEMU cannot pause that search: Pause would cancel it (below). */
  kwb_test_activate_action (GTK_WIDGET (window), "win.reverse-continue", NULL);
  kwb_test_wait_until (session_running, session, "the replay to go backwards");
  g_assert_true (kwb_replay_is_going_back (kwb_window_get_replay (window)));
  g_assert_true (gtk_widget_is_sensitive (kwb_test_require_widget (window, "interrupt_button")));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (kwb_test_require_widget (window, "interrupt_button")),
                            "Cancel Going Backwards"));
  g_assert_true (gtk_widget_is_sensitive (kwb_test_require_widget (window, "stop_button")));
  wait_stopped_in (session, "setup_arch");
  g_assert_cmpint (wait_position (window), ==, at_setup);
  /* The boot's output comes again: the console says why. */
  {
    g_autofree char *text = kwb_test_dup_terminal_text (window);

    g_assert_nonnull (strstr (text, "Going backwards: the replay starts again"));
  }

  /* One line back from the first line of setup_arch: its call in start_kernel. */
  main_c = g_build_filename (kwb_session_config_get_source_dir (kwb_session_get_config (session)), "init", "main.c",
                             NULL);
  call_line = kwb_test_find_line (main_c, "setup_arch(&command_line);");
  kwb_test_activate_action (GTK_WIDGET (window), "win.reverse-next", NULL);
  wait_stopped_in (session, "start_kernel");
  g_assert_cmpint (kwb_session_get_last_stop (session)->line, ==, call_line);
  g_assert_cmpint (wait_position (window), <, at_setup);
  g_assert_cmpint (wait_position (window), >, at_start);
  kwb_test_wait_stop_shown (window);
  kwb_test_save_screenshot (GTK_WIDGET (window), "replay-reverse-next.png");

  /* The timeline's marks: forwards to kernel_init, back to start_kernel. */
  kwb_timeline_activate_mark (timeline, find_mark (timeline, at_init));
  wait_stopped_in (session, "kernel_init");
  g_assert_cmpint (wait_position (window), ==, at_init);
  kwb_timeline_activate_mark (timeline, find_mark (timeline, at_start));
  wait_stopped_in (session, "start_kernel");
  g_assert_cmpint (wait_position (window), ==, at_start);
  /* The breakpoints, off while the replay went there, are back. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "setup_arch");
  g_assert_cmpint (wait_position (window), ==, at_setup);
  kwb_test_wait_stop_shown (window);
  kwb_test_save_screenshot (GTK_WIDGET (window), "replay-timeline.png");

  /* A step back cancelled with Pause: the replay starts again and goes to
   * where the step began, kernel_init, as if it had not been asked for. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (session, "kernel_init");
  g_assert_cmpint (wait_position (window), ==, at_init);
  kwb_test_activate_action (GTK_WIDGET (window), "win.reverse-continue", NULL);
  kwb_test_wait_until (session_running, session, "the replay to go backwards");
  g_assert_true (kwb_replay_is_going_back (kwb_window_get_replay (window)));
  {
    NewSession n = { window, g_object_ref (session) };

    kwb_test_activate_action (GTK_WIDGET (window), "win.interrupt", NULL);
    kwb_test_wait_until_full (new_session_stopped, &n, REVERSE_WAIT_SECONDS, "the replay to start again");
    g_object_unref (n.old);
  }
  session = kwb_window_get_session (window);
  wait_stopped_in (session, "kernel_init");
  g_assert_cmpint (wait_position (window), ==, at_init);

  /* On to the Enter typed after the idle seconds: QEMU replays idle time
   * in real time, and answers QMP while the guest idles, so the window
   * shows how far the replay got on the way. (While the guest computes,
   * a replaying QEMU may leave QMP unanswered for the whole run.) */
  kwb_test_break_at (session, "n_tty_receive_buf_common");
  {
    Progress p = { window, -1, FALSE };
    gulong id = g_signal_connect (kwb_window_get_replay (window), "notify::progress", G_CALLBACK (on_progress), &p);
    gint64 at_enter;

    kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
    wait_stopped_in (session, "n_tty_receive_buf_common");
    at_enter = wait_position (window);
    g_signal_handler_disconnect (kwb_window_get_replay (window), id);
    g_assert_cmpint (p.progress, >, at_init);
    g_assert_cmpint (p.progress, <=, at_enter);
    g_assert_true (p.label_said);
  }

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  kwb_test_wait_until (session_exited, window, "the replay to end");
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_data_func ("/gui/replay/record-and-replay", check_replay, kwb_test_on_session_project);
  return g_test_run ();
}
