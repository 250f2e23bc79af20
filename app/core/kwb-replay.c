/* kwb-replay.c — a session's recording or replay: its recording, where the replay is, going to a point of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window and kwb record/replay drive record and replay the same way
 * through this object, beside the session it belongs to:
 *
 * Recording. A recording's end (how long it ran, how many instructions
 * it holds) is written when the session ends, whichever way it ends: a
 * stop asked for here first asks QEMU for its instruction count, which
 * the replay's timeline spans; a guest that powers off or a QEMU that dies
 * still leaves a finished recording, with the count of its last stop.
 *
 * Replaying. QEMU counts the guest's instructions (QMP query-replay); the
 * count at each stop is "position", which the timeline shows. Going to a
 * point of the replay (a mark on the timeline) runs the guest through GDB,
 * because a replaying QEMU may leave QMP unanswered for as long as the
 * guest runs (its main loop waits on the CPU): QMP's replay-break, set
 * while the guest is stopped, then a continue, which GDB sees end. A point
 * behind, or one with a snapshot on the way, first loads the last snapshot
 * before it (loadvm, which QEMU does not tell GDB about: GDB learns where
 * the guest is at that stop); the very start, with no snapshot before it,
 * is a reverse-continue with nothing on the way. The breakpoints are
 * disabled meanwhile, or they would end the way there early.
 *
 * While the guest runs, QEMU is asked every TICK_MS how far the replay
 * got ("progress"): a step back that replays for a while shows it moving.
 *
 * Snapshots. QEMU goes backwards by loading the nearest snapshot before
 * the target and replaying forwards from it. So while a replay runs
 * forwards, a snapshot is taken every TICK_MS of it (savevm;
 * QEMU does not tell GDB about the pause), unless one already lies in the
 * stretch just replayed: a step back then replays at most about that long,
 * wherever the stop is. They are saved in the recording's image, so later
 * replays of it start with them. MAX_SNAPSHOTS bounds its size (each holds
 * the guest's memory, about 30 MB for a fixture guest): at the cap, the
 * snapshot whose loss leaves the shortest stretch without one is deleted
 * to make room (kwb_replay_pick_eviction()), so they stay spread over the
 * run, and the newest is never the one dropped. The environment variable
 * KWB_REPLAY_MAX_SNAPSHOTS lowers the cap, and KWB_REPLAY_TICK_SNAPSHOTS=0
 * leaves these snapshots out (the tests use them: where a tick lands
 * depends on the host's pace). Steps back
 * from a stop far from any snapshot first make one close behind it: see
 * "a snapshot near the stop".
 */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "kwb-replay.h"
#include "kwb-session-private.h"

typedef enum {
  SEEK_NONE,
  SEEK_PREPARING,  /* listing and disabling the breakpoints */
  SEEK_LOADING,    /* loading the last snapshot before the target */
  SEEK_BACK,       /* back to the start of the recording */
  SEEK_FORWARD,    /* on to the target */
} SeekPhase;

/* A snapshot near the stop, see below. */
typedef enum {
  NEAR_NONE,
  NEAR_LOOKING,    /* where the stop is, and the snapshots */
  NEAR_DISABLING,  /* the breakpoints */
  NEAR_LOADING,    /* the last snapshot before it */
  NEAR_BEHIND,     /* on to where the new one goes */
  NEAR_SAVING,
  NEAR_BACK,       /* on to the stop */
} NearPhase;

typedef void (*ErrorFunc) (KwbReplay *self,
                           GError    *error);

struct _KwbReplay
{
  GObject        parent_instance;

  KwbSession    *session;
  KwbRecording  *recording;
  KwbQemuReplay  mode;
  gint64         started_us;  /* when the guest first ran */
  gint64         position;
  gint64         last_stop;   /* the position at the last stop, kept while the guest runs */
  gint64         last_icount; /* recording: the count at the last stop or at the stop asked for */
  guint          query_serial;
  gboolean       finished;
  GError        *finish_error;

  GTask         *seek_task;
  gint64         seek_target;
  gint64         seek_from;   /* the snapshot it loaded */
  char          *disabled;    /* "1 4 7": breakpoints disabled for a run to a point */
  ErrorFunc      disabled_then;
  SeekPhase      seek_phase;

  NearPhase      near_phase;
  gint64         near_stop;   /* where the user's step backwards starts */
  gboolean       near_moved;  /* the guest is not there now */
  gulong         gdb_stopped_id;

  gboolean       run_hidden;  /* see run_to() */
  ErrorFunc      run_failed;

  GArray        *snapshots;   /* instruction counts, sorted */
  GPtrArray     *snapshot_names; /* theirs, in the same order */
  guint          max_snapshots;
  guint          tick_source;
  gint64         tick_icount; /* where the replay was at the last tick */
  gboolean       tick_busy;
  gboolean       tick_forward; /* running forwards: snapshots wanted */
  gboolean       tick_snapshots; /* unless the environment says 0 */
  gint64         progress;
  gint64         pending_save; /* after a delvm: the savevm it makes room for */
  gint64         tick_saving; /* the count a tick's snapshot is named by, while it is taken */
};

G_DEFINE_FINAL_TYPE (KwbReplay, kwb_replay, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POSITION,
  PROP_PROGRESS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SNAPSHOTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define TICK_MS              1000
#define MAX_SNAPSHOTS        32

void
kwb_replay_configure (KwbSessionConfig *config,
                      KwbRecording     *recording,
                      KwbQemuReplay     mode)
{
  g_return_if_fail (KWB_IS_SESSION_CONFIG (config));
  g_return_if_fail (KWB_IS_RECORDING (recording));

  kwb_session_config_set_replay (config, mode, kwb_recording_get_log_file (recording),
                                 kwb_recording_get_snapshot_image (recording));
  if (mode == KWB_QEMU_REPLAY_PLAY)
    kwb_session_config_set_memory (config, kwb_recording_get_memory (recording));
}

/* ---- the end of a recording ---- */

static void
finish_recording (KwbReplay *self)
{
  double seconds;

  if (self->mode != KWB_QEMU_REPLAY_RECORD || self->finished)
    return;
  self->finished = TRUE;
  if (self->started_us == 0 || !g_file_test (kwb_recording_get_log_file (self->recording), G_FILE_TEST_IS_REGULAR))
    {
      self->finish_error = g_error_new (KWB_RECORDING_ERROR, KWB_RECORDING_ERROR_INCOMPLETE,
                                        _("The guest never ran: nothing was recorded in %s"),
                                        kwb_recording_get_dir (self->recording));
      return;
    }
  seconds = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;
  kwb_recording_set_finished (self->recording, seconds, MAX (self->last_icount, 0), &self->finish_error);
}

/* ---- where the replay is ---- */

static void
set_position (KwbReplay *self,
              gint64     position)
{
  if (position >= 0)
    self->last_stop = position;
  if (self->position == position)
    return;
  self->position = position;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

static void
set_progress (KwbReplay *self,
              gint64     progress)
{
  if (self->progress == progress)
    return;
  self->progress = progress;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
}

/* The instruction count in QMP query-replay's answer; -1 without one. */
static gint64
reply_icount (JsonNode *info)
{
  if (info == NULL || !JSON_NODE_HOLDS_OBJECT (info))
    return -1;
  return json_object_get_int_member_with_default (json_node_get_object (info), "icount", -1);
}

typedef struct {
  KwbReplay *self;
  guint      serial;
} Query;

static void
query_replay_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Query *query = user_data;
  g_autoptr(KwbReplay) self = query->self;
  g_autoptr(JsonNode) info = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);
  guint serial = query->serial;
  gint64 icount;

  g_free (query);
  icount = reply_icount (info);
  if (icount < 0)
    return;
  self->last_icount = MAX (self->last_icount, icount);
  /* A resume since the question was asked: the answer is old. */
  if (serial == self->query_serial && kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED)
    set_position (self, icount);
}

static void
query_position (KwbReplay *self)
{
  KwbQemu *qemu = kwb_session_get_qemu (self->session);
  Query *query;

  if (qemu == NULL || !kwb_qemu_get_running (qemu))
    return;
  query = g_new0 (Query, 1);
  query->self = g_object_ref (self);
  query->serial = self->query_serial;
  kwb_qemu_qmp_async (qemu, "query-replay", NULL, NULL, query_replay_cb, query);
}

/* ---- QEMU's human monitor ---- */

/* An HMP command (savevm, loadvm, delvm) through QMP. */
static void
hmp_async (KwbReplay           *self,
           const char          *command,
           GAsyncReadyCallback  callback)
{
  g_autoptr(JsonObject) arguments = json_object_new ();

  json_object_set_string_member (arguments, "command-line", command);
  g_debug ("Replay: %s", command);
  kwb_qemu_qmp_async (kwb_session_get_qemu (self->session), "human-monitor-command", arguments, NULL, callback,
                      g_object_ref (self));
}

/* HMP answers in words: nothing, or why not (QEMU refuses a snapshot while
 * replay events are pending, for one). */
static gboolean
hmp_finish (GObject       *qemu,
            GAsyncResult  *result,
            GError       **error)
{
  g_autoptr(JsonNode) reply = kwb_qemu_qmp_finish (KWB_QEMU (qemu), result, error);
  const char *said;

  if (reply == NULL)
    return FALSE;
  said = JSON_NODE_HOLDS_VALUE (reply) ? json_node_get_string (reply) : NULL;
  if (said != NULL && *said != '\0')
    {
      g_autofree char *words = g_strstrip (g_strdup (said));

      g_set_error (error, KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED, "%s", words);
      return FALSE;
    }
  return TRUE;
}

/* The last snapshot before instruction ICOUNT: its index, or -1. */
static int
snapshot_before (KwbReplay *self,
                 gint64     icount)
{
  int found = -1;

  for (guint i = 0; i < self->snapshots->len; i++)
    if (g_array_index (self->snapshots, gint64, i) < icount)
      found = (int) i;
  return found;
}

/* Loads snapshot INDEX (loadvm, which QEMU does not tell GDB about). */
static void
load_snapshot (KwbReplay           *self,
               guint                index,
               GAsyncReadyCallback  callback)
{
  g_autofree char *command = g_strdup_printf ("loadvm %s",
                                              (const char *) g_ptr_array_index (self->snapshot_names, index));

  hmp_async (self, command, callback);
}

/* ---- the breakpoints, out of the way ----
 *
 * Running the replay to a point through GDB must not stop on the way:
 * every enabled breakpoint, the session's own among them, is disabled
 * first and enabled again after. */

static void
enabled_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(KwbMiRecord) record = kwb_gdb_command_finish (KWB_GDB (object), result, NULL);
}

static void
enable_breakpoints (KwbReplay *self)
{
  g_autofree char *disabled = g_steal_pointer (&self->disabled);
  KwbGdb *gdb = kwb_session_get_gdb (self->session);

  if (disabled != NULL && gdb != NULL && kwb_gdb_get_running (gdb))
    kwb_gdb_command_async (gdb, NULL, enabled_cb, NULL, "-break-enable %s", disabled);
}

static void
disabled_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  ErrorFunc then = self->disabled_then;
  GError *error = NULL;

  self->disabled_then = NULL;
  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    g_clear_pointer (&self->disabled, g_free);
  then (self, error);
}

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  g_autoptr(GString) numbers = g_string_new (NULL);
  ErrorFunc then = self->disabled_then;
  const KwbMiValue *body;
  GError *error = NULL;

  record = kwb_gdb_command_finish (KWB_GDB (object), result, &error);
  if (record == NULL)
    {
      self->disabled_then = NULL;
      then (self, error);
      return;
    }
  body = kwb_mi_record_get (record, "BreakpointTable.body");
  for (guint i = 0; body != NULL && i < kwb_mi_value_get_n_children (body); i++)
    {
      const KwbMiValue *bkpt = kwb_mi_value_get_nth (body, i);
      const char *number = kwb_mi_value_get_string (bkpt, "number");

      if (number != NULL && g_strcmp0 (kwb_mi_value_get_string (bkpt, "enabled"), "y") == 0)
        g_string_append_printf (numbers, "%s%s", numbers->len > 0 ? " " : "", number);
    }
  if (numbers->len == 0)
    {
      self->disabled_then = NULL;
      then (self, NULL);
      return;
    }
  self->disabled = g_string_free (g_steal_pointer (&numbers), FALSE);
  kwb_gdb_command_async (KWB_GDB (object), NULL, disabled_cb, g_object_ref (self), "-break-disable %s",
                         self->disabled);
}

/* Then THEN, with the error if GDB refused. */
static void
disable_breakpoints (KwbReplay *self,
                     ErrorFunc  then)
{
  self->disabled_then = then;
  kwb_gdb_command_async (kwb_session_get_gdb (self->session), NULL, listed_cb, g_object_ref (self), "-break-list");
}

/* ---- running the replay to a point ---- */

static void
run_resumed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(KwbMiRecord) record = NULL;
  GError *error = NULL;
  gboolean resumed;

  if (KWB_IS_SESSION (object))
    resumed = kwb_session_exec_finish (KWB_SESSION (object), result, &error);
  else
    resumed = (record = kwb_gdb_command_finish (KWB_GDB (object), result, &error)) != NULL;
  if (!resumed && self->run_failed != NULL)
    self->run_failed (self, error);
  else
    g_clear_error (&error);
}

static void
break_set_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;

  reply = kwb_qemu_qmp_finish (KWB_QEMU (object), result, &error);
  if (self->run_failed == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (reply == NULL)
    {
      self->run_failed (self, error);
      return;
    }
  if (self->run_hidden)
    kwb_gdb_exec_async (kwb_session_get_gdb (self->session), KWB_GDB_EXEC_CONTINUE, NULL, run_resumed_cb,
                        g_object_ref (self));
  else
    kwb_session_exec_async (self->session, KWB_GDB_EXEC_CONTINUE, NULL, run_resumed_cb, g_object_ref (self));
}

/* On to ICOUNT, ahead: QMP's replay-break, then a continue; QEMU stops the
 * replay there, and GDB sees a stop it waits for. HIDDEN: the continue goes
 * to the session's GDB, which leaves the stop to us (a snapshot near the
 * stop); else to the session, whose stop everybody sees (going to a point).
 * FAILED takes the error when either is refused; nobody is told once it
 * is cleared (run_failed). */
static void
run_to (KwbReplay *self,
        gint64     icount,
        gboolean   hidden,
        ErrorFunc  failed)
{
  g_autoptr(JsonObject) arguments = json_object_new ();

  self->run_hidden = hidden;
  self->run_failed = failed;
  json_object_set_int_member (arguments, "icount", icount);
  g_debug ("Replay: on to instruction %" G_GINT64_FORMAT, icount);
  kwb_qemu_qmp_async (kwb_session_get_qemu (self->session), "replay-break", arguments, NULL, break_set_cb,
                      g_object_ref (self));
}

/* ---- going to a point ---- */

/* The seek's stop (or its failure): the breakpoints back as they were. */
static void
seek_done (KwbReplay *self,
           GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->seek_task);

  self->seek_phase = SEEK_NONE;
  self->run_failed = NULL;
  if (kwb_session_get_state (self->session) == KWB_SESSION_STATE_STOPPED)
    enable_breakpoints (self);
  else
    g_clear_pointer (&self->disabled, g_free);
  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
seek_failed (KwbReplay *self,
             GError    *error)
{
  g_prefix_error (&error, _("QEMU could not go to that point of the replay: "));
  seek_done (self, error);
}

/* QEMU stops the replay at the target itself: GDB sees a stop it waited for. */
static void
seek_forward (KwbReplay *self)
{
  if (self->position == self->seek_target)
    {
      seek_done (self, NULL);
      return;
    }
  self->seek_phase = SEEK_FORWARD;
  run_to (self, self->seek_target, FALSE, seek_failed);
}

static void
seek_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  GError *error = NULL;

  if (!hmp_finish (object, result, &error))
    {
      seek_failed (self, error);
      return;
    }
  if (self->seek_task == NULL)
    return;
  set_position (self, self->seek_from);
  seek_forward (self);
}

static void
seek_go (KwbReplay *self)
{
  int from = snapshot_before (self, self->seek_target);

  /* A point behind, or one with a snapshot on the way: from the last
   * snapshot before it (loadvm, which QEMU does not tell GDB about; the
   * run to the point then gives GDB the stop it waits for). */
  if (from >= 0 && (self->position < 0 || self->seek_target < self->position ||
                    g_array_index (self->snapshots, gint64, from) > self->position))
    {
      self->seek_phase = SEEK_LOADING;
      self->seek_from = g_array_index (self->snapshots, gint64, from);
      load_snapshot (self, (guint) from, seek_loaded_cb);
      return;
    }
  if (self->position >= 0 && self->seek_target >= self->position)
    {
      seek_forward (self);
      return;
    }
  /* The very start, which no snapshot lies before: backwards through GDB. */
  self->seek_phase = SEEK_BACK;
  self->run_failed = seek_failed;
  kwb_session_exec_async (self->session, KWB_GDB_EXEC_REVERSE_CONTINUE, NULL, run_resumed_cb, g_object_ref (self));
}

static void
seek_disabled (KwbReplay *self,
               GError    *error)
{
  if (error != NULL)
    seek_done (self, error);
  else
    seek_go (self);
}

void
kwb_replay_seek_async (KwbReplay           *self,
                       gint64               icount,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KWB_IS_REPLAY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_replay_seek_async);
  if (self->mode != KWB_QEMU_REPLAY_PLAY)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("Going to a point of a run needs a replay: record a run, then replay the recording"));
      return;
    }
  if (kwb_session_get_state (self->session) != KWB_SESSION_STATE_STOPPED || self->seek_task != NULL)
    {
      g_task_return_new_error (task, KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                               _("Cannot go to a point of the replay while the guest runs: pause it first"));
      return;
    }
  if (icount < 0 || (kwb_replay_get_span (self) > 0 && icount > kwb_replay_get_span (self)))
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, icount);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("Instruction %s is outside the recording"), count);
      return;
    }
  self->seek_target = icount;
  self->seek_phase = SEEK_PREPARING;
  self->seek_task = g_steal_pointer (&task);
  disable_breakpoints (self, seek_disabled);
}

gboolean
kwb_replay_seek_finish (KwbReplay     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- snapshots ---- */

static void near_saved (KwbReplay *self);
static void near_decide (KwbReplay *self);

/* A snapshot taken (or not) and the list read again: the tick may take
 * the next one, a snapshot near the stop goes on. */
static void
snapshot_work_done (KwbReplay *self)
{
  self->tick_busy = FALSE;
  if (self->near_phase == NEAR_SAVING)
    near_saved (self);
  else if (self->near_phase == NEAR_LOOKING)
    near_decide (self);
}

/* The snapshots of the image QEMU replays from (the drive named "rr"),
 * from query-block's answer. */
static void
blocks_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(JsonNode) reply = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);
  JsonArray *blocks = reply != NULL && JSON_NODE_HOLDS_ARRAY (reply) ? json_node_get_array (reply) : NULL;

  for (guint i = 0; blocks != NULL && i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = json_array_get_object_element (blocks, i);
      JsonObject *inserted, *image;
      JsonArray *list;

      if (block == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (block, "device", NULL), "rr") != 0 ||
          !json_object_has_member (block, "inserted") ||
          (inserted = json_object_get_object_member (block, "inserted")) == NULL ||
          !json_object_has_member (inserted, "image") ||
          (image = json_object_get_object_member (inserted, "image")) == NULL)
        continue;
      g_array_set_size (self->snapshots, 0);
      g_ptr_array_set_size (self->snapshot_names, 0);
      list = json_object_has_member (image, "snapshots") ? json_object_get_array_member (image, "snapshots") : NULL;
      for (guint j = 0; list != NULL && j < json_array_get_length (list); j++)
        {
          JsonObject *snapshot = json_array_get_object_element (list, j);
          gint64 icount = snapshot ? json_object_get_int_member_with_default (snapshot, "icount", -1) : -1;
          const char *name = snapshot ? json_object_get_string_member_with_default (snapshot, "name", NULL) : NULL;
          guint at = 0;

          if (icount < 0 || name == NULL)
            continue;
          /* Kept sorted as they come: a handful of entries. */
          while (at < self->snapshots->len && g_array_index (self->snapshots, gint64, at) < icount)
            at++;
          g_array_insert_val (self->snapshots, at, icount);
          g_ptr_array_insert (self->snapshot_names, (gint) at, g_strdup (name));
        }
      g_signal_emit (self, signals[SNAPSHOTS_CHANGED], 0);
      break;
    }
  /* A tick's snapshot lies where QEMU took it, a little after the count
   * it is named by: the next tick's stretch starts there, or that
   * snapshot would count as one taken in it, and every other tick would
   * go without. */
  if (self->tick_saving >= 0)
    {
      g_autofree char *name = g_strdup_printf ("kwb-%" G_GINT64_FORMAT, self->tick_saving);

      for (guint i = 0; i < self->snapshot_names->len; i++)
        if (g_strcmp0 (g_ptr_array_index (self->snapshot_names, i), name) == 0)
          {
            self->tick_icount = MAX (self->tick_icount, g_array_index (self->snapshots, gint64, i));
            self->tick_saving = -1;
          }
    }
  snapshot_work_done (self);
}

/* Ends with snapshot_work_done(), once the list is read: a tick that saw
 * the list from before the last savevm could go past the cap. */
static void
refresh_snapshots (KwbReplay *self)
{
  KwbQemu *qemu = kwb_session_get_qemu (self->session);

  if (qemu != NULL && kwb_qemu_get_running (qemu))
    kwb_qemu_qmp_async (qemu, "query-block", NULL, NULL, blocks_cb, g_object_ref (self));
  else
    snapshot_work_done (self);
}

static gboolean
has_snapshot_between (KwbReplay *self,
                      gint64     from,
                      gint64     to)
{
  for (guint i = 0; i < self->snapshots->len; i++)
    {
      gint64 icount = g_array_index (self->snapshots, gint64, i);

      if (icount > from && icount <= to)
        return TRUE;
    }
  return FALSE;
}

static void save (KwbReplay *self, gint64 icount);

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 to_save = self->pending_save;

  if (!hmp_finish (object, result, &error))
    {
      /* The next tick tries again. */
      g_debug ("No snapshot: %s", error->message);
      self->pending_save = -1;
      refresh_snapshots (self);
      return;
    }
  /* A snapshot was deleted to make room: now the new one. */
  if (to_save >= 0 && kwb_qemu_get_running (KWB_QEMU (object)))
    {
      g_debug ("Replay: a snapshot was deleted to make room for one at instruction %" G_GINT64_FORMAT
               " (at most %u are kept)", to_save, self->max_snapshots);
      save (self, to_save);
      return;
    }
  refresh_snapshots (self);
}

int
kwb_replay_pick_eviction (const gint64   *icounts,
                          const gboolean *ours,
                          guint           n,
                          gint64          new_icount,
                          gboolean        keep_new)
{
  /* All of them and the new one, in order; origin -1 is the new one. */
  g_autofree gint64 *at = g_new (gint64, n + 1);
  g_autofree int *origin = g_new (int, n + 1);
  int victim = -1;
  gint64 best = G_MAXINT64;
  guint k = 0;

  for (guint i = 0; i <= n; i++)
    {
      if (k == i && (i == n || icounts[i] >= new_icount))
        {
          at[k] = new_icount;
          origin[k++] = -1;
        }
      if (i < n)
        {
          at[k] = icounts[i];
          origin[k++] = (int) i;
        }
    }
  /* Deleting one leaves the stretch from the one before it to the one
   * after it without a snapshot. The last (the furthest the replays got)
   * has no after: never that one. */
  for (guint j = 0; j < n; j++)
    {
      gint64 stretch = at[j + 1] - (j > 0 ? at[j - 1] : 0);

      if ((origin[j] < 0 ? !keep_new : ours[origin[j]]) && stretch < best)
        {
          best = stretch;
          victim = origin[j];
        }
    }
  return victim;
}

static void
save (KwbReplay *self,
      gint64     icount)
{
  g_autofree char *command = g_strdup_printf ("savevm kwb-%" G_GINT64_FORMAT, icount);

  self->pending_save = -1;
  hmp_async (self, command, saved_cb);
}

/* A snapshot where the replay is (at about ICOUNT), after deleting one to
 * make room at the cap (unless KEEP_NEW, the new one may be what is not
 * kept); then snapshot_work_done(). */
static void
take_snapshot (KwbReplay *self,
               gint64     icount,
               gboolean   keep_new)
{
  g_autofree gboolean *ours = NULL;
  g_autofree char *delete = NULL;
  int victim;

  if (self->snapshots->len < self->max_snapshots)
    {
      save (self, icount);
      return;
    }
  ours = g_new0 (gboolean, self->snapshots->len);
  for (guint i = 0; i < self->snapshots->len; i++)
    ours[i] = g_str_has_prefix (g_ptr_array_index (self->snapshot_names, i), "kwb-");
  victim = kwb_replay_pick_eviction ((const gint64 *) (gpointer) self->snapshots->data, ours,
                                     self->snapshots->len, icount, keep_new);
  if (victim < 0)
    {
      snapshot_work_done (self);
      return;
    }
  delete = g_strdup_printf ("delvm %s", (const char *) g_ptr_array_index (self->snapshot_names, victim));
  self->pending_save = icount;
  hmp_async (self, delete, saved_cb);
}

static void
tick_position_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(JsonNode) info = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);
  gint64 icount = reply_icount (info);
  gint64 from = self->tick_icount;

  if (icount < 0 || self->tick_source == 0)
    {
      self->tick_busy = FALSE;
      return;
    }
  set_progress (self, icount);
  self->tick_icount = icount;
  /* One since the last tick, or one the replay will pass within half a
   * tick at its pace (an earlier replay's, from a tick a little later). */
  if (!self->tick_forward || !self->tick_snapshots || icount <= from ||
      has_snapshot_between (self, from, icount + (icount - from) / 2))
    {
      self->tick_busy = FALSE;
      return;
    }
  self->tick_saving = icount;
  take_snapshot (self, icount, FALSE);
}

/* ---- a snapshot near the stop ----
 *
 * QEMU takes every step backwards by loading the last snapshot before the
 * instruction it goes to and replaying from there: a reverse-next is
 * several such steps, and each one replays all the way from that snapshot.
 * So before a step backwards from a stop whose last snapshot lies more
 * than NEAR_GAP instructions behind, the replay makes one NEAR_BEHIND
 * instructions behind the stop, while the session holds the user's step
 * (kwb_session_set_reverse_func()): with the breakpoints disabled, it
 * loads that last snapshot (loadvm, which QEMU does not tell GDB about),
 * runs the replay to NEAR_BEHIND before the stop through GDB (QMP
 * replay-break, then a continue that stops there), saves, and runs on to
 * the stop. That costs a loadvm and a savevm more than the first step
 * back would cost anyway (a few tenths of a second: the image does not
 * wait for the disk, see kwb-qemu.c); the steps after it
 * replay NEAR_BEHIND instructions at most, until they pass the snapshot
 * and the next step makes another. Both are small because an instruction
 * count says little about replay time: QEMU replays the guest's idle time
 * in real time (icount sleeps), so a few million instructions before a
 * stop that follows a `sleep` in the shell took seconds to replay. A reverse-continue goes without: its
 * search runs backwards from snapshot to snapshot, and one near the stop
 * would only add a stretch to search.
 */

#define NEAR_BEHIND 200000
#define NEAR_GAP    400000

/* The guest is back at the stop, or was never moved (MOVED false): the
 * breakpoints back, and the user's step. An error once the guest has moved
 * ends the session: GDB's idea of where the guest is would be wrong. */
static void
near_end (KwbReplay *self,
          GError    *error)
{
  gboolean moved = self->near_moved;

  self->near_phase = NEAR_NONE;
  self->near_moved = FALSE;
  self->run_failed = NULL;
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("No snapshot near the stop: %s"), error->message);

      if (!moved)
        kwb_session_log_message (self->session, message);
      else
        g_prefix_error (&error, _("The replay could not return to the stop after taking a snapshot near it: "));
    }
  if (error == NULL || !moved)
    enable_breakpoints (self);
  kwb_session_reverse_ready (self->session, moved ? error : NULL);
  g_clear_error (&error);
}

static void
near_saved (KwbReplay *self)
{
  self->near_phase = NEAR_BACK;
  run_to (self, self->near_stop, TRUE, near_end);
}

/* The session leaves these stops to us (HALT_PREPARING). */
static void
on_gdb_stopped (KwbGdb     *gdb,
                KwbGdbStop *stop,
                KwbReplay  *self)
{
  if (self->near_phase != NEAR_BEHIND && self->near_phase != NEAR_BACK)
    return;
  if (g_strcmp0 (stop->reason, "signal-received") != 0)
    {
      near_end (self, g_error_new (KWB_SESSION_ERROR, KWB_SESSION_ERROR_FAILED,
                                   _("the guest stopped on the way (%s)"), stop->reason ? stop->reason : "?"));
      return;
    }
  if (self->near_phase == NEAR_BACK)
    {
      near_end (self, NULL);
      return;
    }
  self->near_phase = NEAR_SAVING;
  take_snapshot (self, self->near_stop - NEAR_BEHIND, TRUE);
}

static void
near_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  GError *error = NULL;
  gboolean loaded = hmp_finish (object, result, &error);

  if (self->near_phase != NEAR_LOADING)
    {
      g_clear_error (&error);
      return;
    }
  if (!loaded)
    {
      near_end (self, error);
      return;
    }
  self->near_moved = TRUE;
  self->near_phase = NEAR_BEHIND;
  run_to (self, self->near_stop - NEAR_BEHIND, TRUE, near_end);
}

static void
near_disabled (KwbReplay *self,
               GError    *error)
{
  int from = snapshot_before (self, self->near_stop - NEAR_BEHIND);

  if (self->near_phase != NEAR_DISABLING)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL || from < 0)
    {
      near_end (self, error);
      return;
    }
  self->near_phase = NEAR_LOADING;
  load_snapshot (self, (guint) from, near_loaded_cb);
}

/* A snapshot near the stop, when the last one lies far behind it. */
static void
near_decide (KwbReplay *self)
{
  int last = self->near_stop > 0 ? snapshot_before (self, self->near_stop) : -1;

  if (last < 0 || self->near_stop - g_array_index (self->snapshots, gint64, last) <= NEAR_GAP)
    {
      self->near_phase = NEAR_NONE;
      kwb_session_reverse_ready (self->session, NULL);
      return;
    }
  g_debug ("Replay: a snapshot %d instructions before the stop at %" G_GINT64_FORMAT " first",
           NEAR_BEHIND, self->near_stop);
  self->near_phase = NEAR_DISABLING;
  disable_breakpoints (self, near_disabled);
}

static void
near_position_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(KwbReplay) self = user_data;
  g_autoptr(JsonNode) info = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);

  if (self->near_phase != NEAR_LOOKING)
    return;
  self->near_stop = reply_icount (info);
  /* The list is read at the first stop: it may still be on its way. */
  if (self->snapshots->len == 0)
    refresh_snapshots (self);
  else
    near_decide (self);
}

/* The session's reverse function (replaying only). The stop's position is
 * asked again: the one read after the stop may not be in yet. */
static void
before_step_back (KwbSession *session,
                  KwbGdbExec  what,
                  gpointer    user_data)
{
  KwbReplay *self = user_data;
  KwbGdb *gdb = kwb_session_get_gdb (session);
  KwbQemu *qemu = kwb_session_get_qemu (session);

  if (what == KWB_GDB_EXEC_REVERSE_CONTINUE || self->near_phase != NEAR_NONE || self->seek_phase != SEEK_NONE ||
      gdb == NULL || qemu == NULL || !kwb_qemu_get_running (qemu))
    {
      kwb_session_reverse_ready (session, NULL);
      return;
    }
  if (self->gdb_stopped_id == 0)
    self->gdb_stopped_id = g_signal_connect_object (gdb, "stopped", G_CALLBACK (on_gdb_stopped), self, 0);
  self->near_phase = NEAR_LOOKING;
  kwb_qemu_qmp_async (qemu, "query-replay", NULL, NULL, near_position_cb, g_object_ref (self));
}

static gboolean
tick (gpointer user_data)
{
  KwbReplay *self = user_data;
  KwbQemu *qemu = kwb_session_get_qemu (self->session);

  if (self->tick_busy || qemu == NULL || !kwb_qemu_get_running (qemu))
    return G_SOURCE_CONTINUE;
  self->tick_busy = TRUE;
  kwb_qemu_qmp_async (qemu, "query-replay", NULL, NULL, tick_position_cb, g_object_ref (self));
  return G_SOURCE_CONTINUE;
}

gboolean
kwb_replay_is_going_back (KwbReplay *self)
{
  g_return_val_if_fail (KWB_IS_REPLAY (self), FALSE);
  return self->mode == KWB_QEMU_REPLAY_PLAY &&
         kwb_session_get_state (self->session) == KWB_SESSION_STATE_RUNNING &&
         (self->seek_phase == SEEK_BACK || kwb_gdb_exec_is_reverse (kwb_session_get_resume_what (self->session)));
}

static void
ticks_start (KwbReplay *self,
             gint64     from)
{
  if (self->tick_source != 0 || self->mode != KWB_QEMU_REPLAY_PLAY)
    return;
  self->tick_forward = !kwb_replay_is_going_back (self);
  self->tick_icount = from;
  self->tick_saving = -1;
  self->tick_source = g_timeout_add (TICK_MS, tick, self);
}

static void
ticks_stop (KwbReplay *self)
{
  g_clear_handle_id (&self->tick_source, g_source_remove);
  set_progress (self, -1);
}

guint
kwb_replay_get_n_snapshots (KwbReplay *self)
{
  g_return_val_if_fail (KWB_IS_REPLAY (self), 0);
  return self->snapshots->len;
}

gint64
kwb_replay_get_snapshot (KwbReplay *self,
                         guint      index)
{
  g_return_val_if_fail (KWB_IS_REPLAY (self), -1);
  g_return_val_if_fail (index < self->snapshots->len, -1);
  return g_array_index (self->snapshots, gint64, index);
}

/* ---- the session ---- */

static void
on_stopped (KwbSession       *session,
            const KwbGdbStop *stop,
            KwbReplay        *self)
{
  self->query_serial++;
  query_position (self);
  ticks_stop (self);
  /* The recording's snapshots, once (a list read holds at least the first);
   * after that only our own savevm adds any, and it reads the list again. */
  if (self->mode == KWB_QEMU_REPLAY_PLAY && self->snapshots->len == 0)
    refresh_snapshots (self);
  switch (self->seek_phase)
    {
    case SEEK_BACK:
      /* At the start of the recording (had QEMU stopped short of it, the
       * break, which must lie ahead, would still be set or refused). */
      if (self->seek_target == 0)
        seek_done (self, NULL);
      else
        seek_forward (self);
      break;
    case SEEK_FORWARD:
      seek_done (self, NULL);
      break;
    case SEEK_NONE:
    case SEEK_PREPARING:
    case SEEK_LOADING:
    default:
      break;
    }
}

static void
on_state_changed (KwbSession      *session,
                  KwbSessionState  old_state,
                  KwbSessionState  new_state,
                  KwbReplay        *self)
{
  switch (new_state)
    {
    case KWB_SESSION_STATE_RUNNING:
      if (self->started_us == 0)
        self->started_us = g_get_monotonic_time ();
      self->query_serial++;
      ticks_start (self, MAX (self->position, 0));
      set_position (self, -1);
      break;
    case KWB_SESSION_STATE_EXITED:
    case KWB_SESSION_STATE_FAILED:
      ticks_stop (self);
      self->near_phase = NEAR_NONE;
      if (self->seek_task != NULL)
        seek_done (self, g_error_new_literal (KWB_SESSION_ERROR, KWB_SESSION_ERROR_STATE,
                                              _("The session ended before the replay got there")));
      finish_recording (self);
      break;
    case KWB_SESSION_STATE_IDLE:
    case KWB_SESSION_STATE_STARTING:
    case KWB_SESSION_STATE_STOPPED:
    default:
      break;
    }
}

static void
session_stopped_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbReplay *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!kwb_session_stop_finish (KWB_SESSION (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  finish_recording (self);
  if (self->finish_error != NULL)
    g_task_return_error (task, g_error_copy (self->finish_error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
count_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KwbReplay *self = g_task_get_source_object (task);
  g_autoptr(JsonNode) info = kwb_qemu_qmp_finish (KWB_QEMU (object), result, NULL);

  self->last_icount = MAX (self->last_icount, reply_icount (info));
  kwb_session_stop_async (self->session, g_task_get_cancellable (task), session_stopped_cb, g_object_ref (task));
}

void
kwb_replay_stop_async (KwbReplay           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  KwbQemu *qemu;

  g_return_if_fail (KWB_IS_REPLAY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kwb_replay_stop_async);
  qemu = kwb_session_get_qemu (self->session);
  /* Asked while QEMU still runs: the recording's full length. */
  if (self->mode == KWB_QEMU_REPLAY_RECORD && !self->finished && qemu != NULL && kwb_qemu_get_running (qemu))
    {
      kwb_qemu_qmp_async (qemu, "query-replay", NULL, cancellable, count_cb, g_steal_pointer (&task));
      return;
    }
  kwb_session_stop_async (self->session, cancellable, session_stopped_cb, g_steal_pointer (&task));
}

gboolean
kwb_replay_stop_finish (KwbReplay     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the object ---- */

KwbReplay *
kwb_replay_new (KwbSession   *session,
                KwbRecording *recording)
{
  KwbReplay *self;

  g_return_val_if_fail (KWB_IS_SESSION (session), NULL);
  g_return_val_if_fail (KWB_IS_RECORDING (recording), NULL);

  self = g_object_new (KWB_TYPE_REPLAY, NULL);
  self->session = g_object_ref (session);
  self->recording = g_object_ref (recording);
  self->mode = kwb_session_config_get_replay (kwb_session_get_config (session));
  g_signal_connect_object (session, "stopped", G_CALLBACK (on_stopped), self, 0);
  g_signal_connect_object (session, "state-changed", G_CALLBACK (on_state_changed), self, 0);
  if (self->mode == KWB_QEMU_REPLAY_PLAY)
    kwb_session_set_reverse_func (session, before_step_back, self);
  return self;
}

static void
kwb_replay_dispose (GObject *object)
{
  KwbReplay *self = KWB_REPLAY (object);

  if (self->seek_task != NULL)
    seek_done (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The replay was closed")));
  ticks_stop (self);
  if (self->session != NULL && self->mode == KWB_QEMU_REPLAY_PLAY)
    {
      kwb_session_set_reverse_func (self->session, NULL, NULL);
      if (self->near_phase != NEAR_NONE)
        {
          g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         _("The replay was closed"));

          self->near_phase = NEAR_NONE;
          kwb_session_reverse_ready (self->session, self->near_moved ? error : NULL);
        }
    }
  G_OBJECT_CLASS (kwb_replay_parent_class)->dispose (object);
}

static void
kwb_replay_finalize (GObject *object)
{
  KwbReplay *self = KWB_REPLAY (object);

  g_clear_object (&self->session);
  g_clear_object (&self->recording);
  g_clear_error (&self->finish_error);
  g_free (self->disabled);
  g_array_unref (self->snapshots);
  g_ptr_array_unref (self->snapshot_names);
  G_OBJECT_CLASS (kwb_replay_parent_class)->finalize (object);
}

static void
kwb_replay_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  KwbReplay *self = KWB_REPLAY (object);

  switch (prop_id)
    {
    case PROP_POSITION:
      g_value_set_int64 (value, self->position);
      break;
    case PROP_PROGRESS:
      g_value_set_int64 (value, self->progress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kwb_replay_class_init (KwbReplayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kwb_replay_dispose;
  object_class->finalize = kwb_replay_finalize;
  object_class->get_property = kwb_replay_get_property;

  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROGRESS] =
    g_param_spec_int64 ("progress", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Replaying: the snapshots a step back can start from changed (see
   * kwb_replay_get_snapshot()). */
  signals[SNAPSHOTS_CHANGED] =
    g_signal_new ("snapshots-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kwb_replay_init (KwbReplay *self)
{
  self->position = -1;
  self->last_stop = -1;
  self->progress = -1;
  self->last_icount = -1;
  self->snapshots = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->snapshot_names = g_ptr_array_new_with_free_func (g_free);
  self->pending_save = -1;
  self->max_snapshots = MAX_SNAPSHOTS;
  {
    const char *max = g_getenv ("KWB_REPLAY_MAX_SNAPSHOTS");
    guint64 value;

    if (max != NULL && g_ascii_string_to_unsigned (max, 10, 1, MAX_SNAPSHOTS, &value, NULL))
      self->max_snapshots = (guint) value;
  }
  self->tick_saving = -1;
  self->tick_snapshots = g_strcmp0 (g_getenv ("KWB_REPLAY_TICK_SNAPSHOTS"), "0") != 0;
}

KwbQemuReplay kwb_replay_get_mode (KwbReplay *self) { return self->mode; }
KwbRecording *kwb_replay_get_recording (KwbReplay *self) { return self->recording; }
KwbSession *kwb_replay_get_session (KwbReplay *self) { return self->session; }
gint64 kwb_replay_get_position (KwbReplay *self) { return self->position; }
gint64 kwb_replay_get_last_stop (KwbReplay *self) { return self->last_stop; }
gint64 kwb_replay_get_progress (KwbReplay *self) { return self->progress; }
gint64 kwb_replay_get_span (KwbReplay *self) { return kwb_recording_get_icount (self->recording); }
