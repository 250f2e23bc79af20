/* kwb-window-replay.c — the main window's recording and replay: the record toggle, the Recordings list, the timeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With "Record This Run" on (the project's debug.record), a session starts
 * by making its recording (the kernel's and initramfs's hashes take a
 * moment on a large vmlinux) and runs under QEMU's recording, as any
 * other session; the recording's end is written when it stops. The
 * Recordings list replays one: the project must still boot what was
 * recorded (KwbRecording says why not), and the window then shows the
 * reverse controls and the timeline, and keeps the console to the
 * recorded output (QEMU replays the recorded input; typing would be lost).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "kwb-window-private.h"

static const char * const reverse_actions[] = {
  "win.reverse-continue", "win.reverse-step", "win.reverse-next", "win.reverse-finish",
};

/* ---- the record toggle: the project's debug.record ---- */

static void
change_record (GSimpleAction *action,
               GVariant      *state,
               gpointer       user_data)
{
  KwbWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean record = g_variant_get_boolean (state);

  if (self->project == NULL)
    return;
  kwb_project_set_boolean (self->project, "debug", "record", record);
  if (!kwb_project_save (self->project, &error))
    {
      _kwb_window_toast (self, error->message);
      return;
    }
  g_simple_action_set_state (action, state);
  if (record && _kwb_window_session_is_live (self) && self->replay == NULL)
    _kwb_window_toast (self, _("The next session will be recorded: this one runs on as it started"));
}

static const GActionEntry replay_entries[] = {
  { "record", NULL, NULL, "false", change_record, { 0 } },
};

void
_kwb_window_replay_set_project (KwbWindow *self)
{
  GAction *record = g_action_map_lookup_action (G_ACTION_MAP (self), "record");
  gboolean on = self->project != NULL && kwb_project_get_boolean (self->project, "debug", "record");

  g_simple_action_set_state (G_SIMPLE_ACTION (record), g_variant_new_boolean (on));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (record), self->project != NULL);
  kwb_recordings_page_set_project (self->recordings_page, self->project);
}

/* ---- starting a recorded session ---- */

typedef struct {
  KwbWindow        *self;
  KwbSessionConfig *config;
  KwbRecording     *recording;
} Prepare;

static void
prepare_free (Prepare *prepare)
{
  prepare->self->creating_recording = FALSE;
  _kwb_window_update_run_actions (prepare->self);
  g_object_unref (prepare->self);
  g_object_unref (prepare->config);
  g_clear_object (&prepare->recording);
  g_free (prepare);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Prepare, prepare_free)

static void
recording_created_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Prepare) prepare = user_data;
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(GError) error = NULL;

  recording = kwb_recording_create_finish (result, &error);
  /* The window closed meanwhile: no session to record. */
  if (recording != NULL && prepare->self->project == NULL)
    {
      kwb_recording_delete (recording, NULL);
      return;
    }
  if (recording == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The run cannot be recorded: %s"), error->message);

      _kwb_window_toast (prepare->self, message);
      return;
    }
  prepare->self->creating_recording = FALSE;
  kwb_replay_configure (prepare->config, recording, KWB_QEMU_REPLAY_RECORD);
  _kwb_window_begin_session (prepare->self, prepare->config, recording);
}

gboolean
_kwb_window_replay_start_recording (KwbWindow        *self,
                                    KwbSessionConfig *config)
{
  g_autofree char *dir = kwb_recording_dup_default_dir (self->project);
  Prepare *prepare = g_new0 (Prepare, 1);

  prepare->self = g_object_ref (self);
  prepare->config = g_object_ref (config);
  self->creating_recording = TRUE;
  _kwb_window_update_run_actions (self);
  gtk_label_set_label (self->status_label, _("Preparing the recording…"));
  kwb_recording_create_async (dir, config, NULL, recording_created_cb, prepare);
  return TRUE;
}

/* ---- replaying a recording ---- */

static void
recording_checked_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(Prepare) prepare = user_data;
  g_autoptr(GError) error = NULL;

  if (prepare->self->project == NULL)
    return;
  if (!kwb_recording_check_finish (KWB_RECORDING (object), result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("This recording cannot be replayed: %s"), error->message);

      _kwb_window_toast (prepare->self, message);
      return;
    }
  prepare->self->creating_recording = FALSE;
  kwb_replay_configure (prepare->config, prepare->recording, KWB_QEMU_REPLAY_PLAY);
  _kwb_window_begin_session (prepare->self, prepare->config, prepare->recording);
}

/* win.replay-recording "s": the recording's folder (the Recordings list). */
static void
replay_recording_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  KwbWindow *self = KWB_WINDOW (widget);
  g_autoptr(KwbRecording) recording = NULL;
  g_autoptr(KwbSessionConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  Prepare *prepare;

  if (self->project == NULL || self->creating_recording)
    return;
  if (_kwb_window_session_is_live (self))
    {
      _kwb_window_toast (self, _("Stop the running session (Shift+F5) before replaying a recording"));
      return;
    }
  if ((recording = kwb_recording_load (g_variant_get_string (parameter, NULL), &error)) == NULL ||
      (config = kwb_session_config_new_for_project (self->project, &error)) == NULL)
    {
      _kwb_window_toast (self, error->message);
      return;
    }
  prepare = g_new0 (Prepare, 1);
  prepare->self = g_object_ref (self);
  prepare->config = g_steal_pointer (&config);
  prepare->recording = g_object_ref (recording);
  self->creating_recording = TRUE;
  _kwb_window_update_run_actions (self);
  gtk_label_set_label (self->status_label, _("Checking the recording against the project…"));
  kwb_recording_check_async (recording, prepare->config, NULL, recording_checked_cb, prepare);
}

/* ---- the timeline ---- */

static char *
dup_count (gint64 icount)
{
  /* Grouped digits, as the locale writes them. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, icount);
}

static void
update_position_label (KwbWindow *self)
{
  g_autofree char *text = NULL;
  gint64 position = self->replay != NULL ? kwb_replay_get_position (self->replay) : -1;

  if (self->replay == NULL)
    return;
  if (position >= 0)
    {
      g_autofree char *count = dup_count (position);

      /* Translators: where a replay stopped, in instructions the guest ran since the recording began */
      text = g_strdup_printf (_("Instruction %s"), count);
    }
  else if (self->session != NULL && kwb_session_get_state (self->session) == KWB_SESSION_STATE_RUNNING)
    {
      gint64 progress = kwb_replay_get_progress (self->replay);
      g_autofree char *count = progress >= 0 ? dup_count (progress) : NULL;

      /* Translators: a replay running (forwards, or towards a step back), and how far it got */
      text = count != NULL ? g_strdup_printf (_("Replaying… instruction %s"), count) : g_strdup (_("Replaying…"));
    }
  gtk_label_set_label (self->replay_position, text ? text : "");
}

static void
on_position (KwbReplay  *replay,
             GParamSpec *pspec,
             KwbWindow  *self)
{
  gint64 position = kwb_replay_get_position (replay);
  const KwbGdbStop *stop = self->session ? kwb_session_get_last_stop (self->session) : NULL;

  kwb_timeline_set_position (self->timeline, position);
  update_position_label (self);
  if (position < 0 || stop == NULL)
    return;
  /* Breakpoint and watchpoint stops are the places to come back to. */
  if (g_strcmp0 (stop->reason, "breakpoint-hit") == 0 || kwb_gdb_stop_is_watchpoint (stop))
    {
      g_autofree char *base = stop->file ? g_path_get_basename (stop->file) : NULL;
      g_autofree char *label = base != NULL && stop->line > 0 ? g_strdup_printf ("%s:%d", base, stop->line)
                                                              : g_strdup (stop->func ? stop->func : "?");

      kwb_timeline_add_mark (self->timeline, position, label);
    }
}

/* Where a running replay got: the timeline's position moves with it. */
static void
on_progress (KwbReplay  *replay,
             GParamSpec *pspec,
             KwbWindow  *self)
{
  if (kwb_replay_get_position (replay) < 0)
    kwb_timeline_set_position (self->timeline, kwb_replay_get_progress (replay));
  update_position_label (self);
}

static void
on_snapshots_changed (KwbReplay *replay,
                      KwbWindow *self)
{
  for (guint i = 0; i < kwb_replay_get_n_snapshots (replay); i++)
    kwb_timeline_add_snapshot (self->timeline, kwb_replay_get_snapshot (replay, i));
}

static void
seek_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(KwbWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kwb_replay_seek_finish (KWB_REPLAY (object), result, &error))
    _kwb_window_toast (self, error->message);
}

/* QEMU goes backwards by replaying the run from an earlier snapshot: the
 * guest's output comes again, and the console says where that begins. */
void
_kwb_window_replay_going_back (KwbWindow *self)
{
  g_autofree char *line = g_strdup_printf ("\r\n\033[7m %s \033[0m\r\n",
                                           _("Going backwards: the replay starts again from an earlier snapshot"));

  vte_terminal_feed (kwb_console_get_terminal (self->console), line, -1);
}

/* Pause while a step back replays: QEMU 7.2 does not stop such a search
 * when asked, so the replay starts again and goes back to the stop the
 * step began at (from the last snapshot before it), as if the step had not
 * been asked for. */
gboolean
_kwb_window_replay_cancel_going_back (KwbWindow *self)
{
  gint64 back_to;

  if (self->replay == NULL || !kwb_replay_is_going_back (self->replay) ||
      (back_to = kwb_replay_get_last_stop (self->replay)) < 0)
    return FALSE;
  self->return_to = back_to;
  g_free (self->return_to_dir);
  self->return_to_dir = g_strdup (kwb_recording_get_dir (kwb_replay_get_recording (self->replay)));
  gtk_label_set_label (self->status_label, _("Cancelling the step back: the replay starts again…"));
  _kwb_window_stop_session (self, TRUE);
  return TRUE;
}

/* The replay started again after a cancelled step back: on to where the
 * step began, at its first stop. */
void
_kwb_window_replay_stopped (KwbWindow *self)
{
  gint64 back_to = self->return_to;
  g_autofree char *dir = g_steal_pointer (&self->return_to_dir);

  if (back_to < 0 || self->replay == NULL || kwb_replay_get_mode (self->replay) != KWB_QEMU_REPLAY_PLAY)
    return;
  self->return_to = -1;
  /* Another recording replayed since (the one started again failed its check). */
  if (g_strcmp0 (dir, kwb_recording_get_dir (kwb_replay_get_recording (self->replay))) != 0)
    return;
  kwb_replay_seek_async (self->replay, back_to, NULL, seek_cb, g_object_ref (self));
}

static void
on_mark_activated (KwbTimeline *timeline,
                   gint64       icount,
                   const char  *label,
                   KwbWindow   *self)
{
  if (self->replay == NULL || kwb_replay_get_mode (self->replay) != KWB_QEMU_REPLAY_PLAY)
    return;
  if (icount < kwb_replay_get_position (self->replay))
    _kwb_window_replay_going_back (self);
  kwb_replay_seek_async (self->replay, icount, NULL, seek_cb, g_object_ref (self));
}

static char *
dup_replay_title (KwbRecording *recording)
{
  g_autofree char *when = g_date_time_format (kwb_recording_get_created (recording),
                                              /* Translators: a recording's date in the replay bar, see g_date_time_format() */
                                              _("%-d %b, %H:%M"));

  /* Translators: the replay bar's title, with the recording's date */
  return g_strdup_printf (_("Replay of %s"), when);
}

void
_kwb_window_replay_session_changed (KwbWindow *self)
{
  KwbQemuReplay mode = self->replay != NULL ? kwb_replay_get_mode (self->replay) : KWB_QEMU_REPLAY_NONE;
  gboolean play = mode == KWB_QEMU_REPLAY_PLAY;

  vte_terminal_set_input_enabled (kwb_console_get_terminal (self->console), !play);
  gtk_widget_set_visible (self->reverse_controls, play);
  gtk_revealer_set_reveal_child (self->replay_bar, play);
  kwb_timeline_clear (self->timeline);
  gtk_label_set_label (self->replay_position, "");
  if (!play)
    return;

  {
    KwbRecording *recording = kwb_replay_get_recording (self->replay);
    g_autofree char *title = dup_replay_title (recording);

    gtk_label_set_label (self->replay_title, title);
    kwb_timeline_set_span (self->timeline, kwb_recording_get_icount (recording));
    /* The recording's first snapshot; the replay adds more as it runs. */
    kwb_timeline_add_snapshot (self->timeline, 0);
  }
  g_signal_connect_object (self->replay, "notify::position", G_CALLBACK (on_position), self, 0);
  g_signal_connect_object (self->replay, "notify::progress", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (self->replay, "snapshots-changed", G_CALLBACK (on_snapshots_changed), self, 0);
}

void
_kwb_window_replay_update_actions (KwbWindow *self)
{
  gboolean play = self->replay != NULL && kwb_replay_get_mode (self->replay) == KWB_QEMU_REPLAY_PLAY;
  gboolean stopped = self->session != NULL && kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED;
  gboolean live = _kwb_window_session_is_live (self);

  for (guint i = 0; i < G_N_ELEMENTS (reverse_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), reverse_actions[i], play && stopped && self->dump_path == NULL);
  gtk_widget_set_tooltip_text (self->interrupt_button,
                               self->replay != NULL && kwb_replay_is_going_back (self->replay)
                               ? _("Cancel Going Backwards: the replay starts again where it was (Ctrl+F5)")
                               : _("Pause (Ctrl+F5)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.replay-recording",
                                 self->project != NULL && !live && !self->creating_recording);
  if (self->creating_recording)
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.restart", FALSE);
    }
  update_position_label (self);
}

static void
on_recordings_failed (KwbRecordingsPage *page,
                      const char        *message,
                      KwbWindow         *self)
{
  _kwb_window_toast (self, message);
}

void
_kwb_window_replay_init (KwbWindow *self)
{
  self->return_to = -1;
  g_action_map_add_action_entries (G_ACTION_MAP (self), replay_entries, G_N_ELEMENTS (replay_entries), self);
  self->recordings_page = KWB_RECORDINGS_PAGE (kwb_recordings_page_new ());
  gtk_widget_set_name (GTK_WIDGET (self->recordings_page), "recordings_sidebar");
  g_signal_connect_object (self->recordings_page, "failed", G_CALLBACK (on_recordings_failed), self, 0);
  _kwb_window_dock_add_panel (self, "recordings", N_("Recordings"), GTK_WIDGET (self->recordings_page),
                              KWB_DOCK_START);
  g_signal_connect_object (self->timeline, "mark-activated", G_CALLBACK (on_mark_activated), self, 0);
  _kwb_window_replay_set_project (self);
}

void
_kwb_window_class_replay_init (KwbWindowClass *klass)
{
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "win.replay-recording", "s", replay_recording_action);
}

KwbReplay *kwb_window_get_replay (KwbWindow *self) { return self->replay; }
KwbTimeline *kwb_window_get_timeline (KwbWindow *self) { return self->timeline; }
KwbRecordingsPage *kwb_window_get_recordings_page (KwbWindow *self) { return self->recordings_page; }
