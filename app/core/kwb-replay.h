/* kwb-replay.h — a session's recording or replay: its recording, where the replay is, going to a point of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-recording.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_TYPE_REPLAY (kwb_replay_get_type ())
G_DECLARE_FINAL_TYPE (KwbReplay, kwb_replay, KWB, REPLAY, GObject)

/* Makes CONFIG record into, or replay from, RECORDING (MODE RECORD or
 * PLAY). A replay boots with the memory it was recorded with. */
void           kwb_replay_configure      (KwbSessionConfig    *config,
                                          KwbRecording        *recording,
                                          KwbQemuReplay        mode);
/* SESSION's record or replay side, for a session made from a config that
 * kwb_replay_configure() set up. Recording: the recording is finished
 * (length, instruction count) when the session ends, however it ends.
 * Replaying: "position" follows the guest's instruction count at each stop. */
KwbReplay     *kwb_replay_new            (KwbSession          *session,
                                          KwbRecording        *recording);
KwbQemuReplay  kwb_replay_get_mode       (KwbReplay           *self);
KwbRecording  *kwb_replay_get_recording  (KwbReplay           *self);
KwbSession    *kwb_replay_get_session    (KwbReplay           *self);
/* Instructions executed when the guest last stopped; -1 while it runs or
 * before the first stop. */
gint64         kwb_replay_get_position   (KwbReplay           *self);
/* The position at the last stop, also while the guest runs; -1 before it. */
gint64         kwb_replay_get_last_stop  (KwbReplay           *self);
/* Replaying, while the guest runs (forwards, or replaying towards a step
 * back): how far QEMU got, asked every second or two; -1 when stopped or
 * not known yet. */
gint64         kwb_replay_get_progress   (KwbReplay           *self);
/* Replaying: the recording's length in instructions (0 when not known). */
gint64         kwb_replay_get_span       (KwbReplay           *self);
/* Replaying: the guest runs towards a step back. QEMU 7.2 does not stop
 * such a search when GDB interrupts it; only ending the replay does. */
gboolean       kwb_replay_is_going_back  (KwbReplay           *self);
/* At the snapshot cap, which to delete for a new one at NEW_ICOUNT: the
 * index into ICOUNTS (sorted, N of them; OURS says which kwb may delete)
 * whose loss leaves the shortest stretch without a snapshot, never the
 * last; -1 when dropping the new one itself would leave the shortest
 * (never with KEEP_NEW) or when none may go. */
int            kwb_replay_pick_eviction  (const gint64        *icounts,
                                          const gboolean      *ours,
                                          guint                n,
                                          gint64               new_icount,
                                          gboolean             keep_new);
/* Replaying: the snapshots QEMU can go backwards from, by instruction count
 * in increasing order: the recording's, read at the first stop, and each
 * one the replay takes ("snapshots-changed"). */
guint          kwb_replay_get_n_snapshots (KwbReplay          *self);
gint64         kwb_replay_get_snapshot   (KwbReplay           *self,
                                          guint                index);
/* Ends the session. Recording: first asks QEMU how far the recording got,
 * then writes the recording's end; fails with KWB_RECORDING_ERROR_INCOMPLETE
 * when the guest never ran. */
void           kwb_replay_stop_async     (KwbReplay           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean       kwb_replay_stop_finish    (KwbReplay           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
/* Replaying, the guest stopped: runs the replay to instruction ICOUNT,
 * forwards or backwards, without stopping at breakpoints on the way, and
 * completes once the guest has stopped there. */
void           kwb_replay_seek_async     (KwbReplay           *self,
                                          gint64               icount,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean       kwb_replay_seek_finish    (KwbReplay           *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
