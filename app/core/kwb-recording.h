/* kwb-recording.h — a recorded guest run: QEMU's replay log, its snapshots, what it was made with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-project.h"
#include "kwb-session-config.h"

G_BEGIN_DECLS

#define KWB_RECORDING_ERROR (kwb_recording_error_quark ())

typedef enum {
  KWB_RECORDING_ERROR_NOT_FOUND,   /* no recording.ini in the folder */
  KWB_RECORDING_ERROR_INVALID,     /* recording.ini cannot be parsed or lacks a key */
  KWB_RECORDING_ERROR_EXISTS,      /* recording into a folder that is not empty */
  KWB_RECORDING_ERROR_MISMATCH,    /* replaying with another kernel, initramfs or command line */
  KWB_RECORDING_ERROR_INCOMPLETE,  /* the recording never ended properly (no log, killed) */
  KWB_RECORDING_ERROR_TOOL,        /* qemu-img missing or failing */
} KwbRecordingError;

#define KWB_TYPE_RECORDING (kwb_recording_get_type ())
G_DECLARE_FINAL_TYPE (KwbRecording, kwb_recording, KWB, RECORDING, GObject)

GQuark        kwb_recording_error_quark       (void);

/* PROJECT/recordings/YYYYMMDD-HHMMSS, the folder a new recording goes to
 * by default. */
char         *kwb_recording_dup_default_dir   (KwbProject          *project);
/* The recordings in PROJECT/recordings, newest first; folders that are no
 * recording are left out. */
GPtrArray    *kwb_recording_list              (KwbProject          *project);

/* A new recording in DIR (created; refused when it holds anything) of the
 * guest CONFIG boots: the kernel and initramfs are hashed (in a thread) and
 * the snapshot image made with qemu-img. */
void          kwb_recording_create_async      (const char          *dir,
                                               KwbSessionConfig    *config,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
KwbRecording *kwb_recording_create_finish     (GAsyncResult        *result,
                                               GError             **error);
KwbRecording *kwb_recording_load              (const char          *dir,
                                               GError             **error);
/* Whether CONFIG boots what was recorded: the same kernel and initramfs
 * (hashed again, in a thread), command line and architecture. */
void          kwb_recording_check_async       (KwbRecording        *self,
                                               KwbSessionConfig    *config,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean      kwb_recording_check_finish      (KwbRecording        *self,
                                               GAsyncResult        *result,
                                               GError             **error);
/* The recording has ended: how long it ran and how many instructions the
 * guest executed (0: not known). Written to recording.ini atomically. */
gboolean      kwb_recording_set_finished      (KwbRecording        *self,
                                               double               seconds,
                                               gint64               icount,
                                               GError             **error);
/* The memory the guest was recorded with: a replay needs the same. */
guint         kwb_recording_get_memory        (KwbRecording        *self);
gboolean      kwb_recording_delete            (KwbRecording        *self,
                                               GError             **error);

const char   *kwb_recording_get_dir           (KwbRecording        *self);
const char   *kwb_recording_get_name          (KwbRecording        *self);
const char   *kwb_recording_get_log_file      (KwbRecording        *self);
const char   *kwb_recording_get_snapshot_image (KwbRecording       *self);
const char   *kwb_recording_get_project_dir   (KwbRecording        *self);
GDateTime    *kwb_recording_get_created       (KwbRecording        *self);
gboolean      kwb_recording_get_finished      (KwbRecording        *self);
double        kwb_recording_get_seconds       (KwbRecording        *self);
gint64        kwb_recording_get_icount        (KwbRecording        *self);
/* Bytes on disk: the log and the snapshot image. */
guint64       kwb_recording_get_size          (KwbRecording        *self);

G_END_DECLS
