/* kwb-qemu.h — one qemu-system-x86_64 guest: serial PTY, QMP and GDB stub on private sockets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "kwb-arch.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_QEMU_ERROR (kwb_qemu_error_quark ())

typedef enum {
  KWB_QEMU_ERROR_NOT_INSTALLED, /* qemu-system-x86_64 missing: install qemu-system-x86 */
  KWB_QEMU_ERROR_NO_KERNEL,     /* the kernel image does not exist */
  KWB_QEMU_ERROR_NO_INITRD,     /* the initramfs does not exist */
  KWB_QEMU_ERROR_SETUP,         /* private directory, PTY */
  KWB_QEMU_ERROR_START_FAILED,  /* QEMU exited or never opened its QMP socket */
  KWB_QEMU_ERROR_QMP,           /* QMP answered with an error */
  KWB_QEMU_ERROR_NOT_RUNNING,   /* the guest is gone */
  KWB_QEMU_ERROR_BUSY,          /* already started */
} KwbQemuError;

typedef enum {
  KWB_QEMU_ACCEL_AUTO,
  KWB_QEMU_ACCEL_KVM,
  KWB_QEMU_ACCEL_TCG,
} KwbQemuAccel;

/* Deterministic record and replay (QEMU's -icount rr=): the run's
 * non-deterministic events go to a log that a later replay follows
 * instruction by instruction; snapshots for going backwards live in a
 * qcow2 image beside it. Both run under TCG on one CPU. */
typedef enum {
  KWB_QEMU_REPLAY_NONE,
  KWB_QEMU_REPLAY_RECORD,
  KWB_QEMU_REPLAY_PLAY,
} KwbQemuReplay;

#define KWB_TYPE_QEMU (kwb_qemu_get_type ())
G_DECLARE_FINAL_TYPE (KwbQemu, kwb_qemu, KWB, QEMU, GObject)

GQuark       kwb_qemu_error_quark          (void);
gboolean     kwb_qemu_kvm_usable           (void);

KwbQemu     *kwb_qemu_new                  (void);
void         kwb_qemu_apply_project        (KwbQemu             *self,
                                            KwbProject          *project);
void         kwb_qemu_set_arch             (KwbQemu             *self,
                                            const KwbArch       *arch);
void         kwb_qemu_set_binary           (KwbQemu             *self,
                                            const char          *binary);
void         kwb_qemu_set_kernel           (KwbQemu             *self,
                                            const char          *path);
void         kwb_qemu_set_initrd           (KwbQemu             *self,
                                            const char          *path);
/* The firmware QEMU runs first (-bios), NULL for its default. */
void         kwb_qemu_set_firmware         (KwbQemu             *self,
                                            const char          *path);
void         kwb_qemu_set_append           (KwbQemu             *self,
                                            const char          *cmdline);
void         kwb_qemu_set_memory           (KwbQemu             *self,
                                            guint                mib);
void         kwb_qemu_set_cpus             (KwbQemu             *self,
                                            guint                cpus);
void         kwb_qemu_set_accel            (KwbQemu             *self,
                                            KwbQemuAccel         accel);
void         kwb_qemu_set_freeze           (KwbQemu             *self,
                                            gboolean             freeze);
void         kwb_qemu_set_expose_tcp       (KwbQemu             *self,
                                            gboolean             expose);
void         kwb_qemu_set_extra_args       (KwbQemu             *self,
                                            const char * const  *args);
void         kwb_qemu_set_replay           (KwbQemu             *self,
                                            KwbQemuReplay        mode,
                                            const char          *log_file,
                                            const char          *snapshot_image);
KwbQemuReplay kwb_qemu_get_replay          (KwbQemu             *self);
void         kwb_qemu_set_watch_console    (KwbQemu             *self,
                                            gboolean             watch);

void         kwb_qemu_start_async          (KwbQemu             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     kwb_qemu_start_finish         (KwbQemu             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void         kwb_qemu_qmp_async            (KwbQemu             *self,
                                            const char          *command,
                                            JsonObject          *arguments,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonNode    *kwb_qemu_qmp_finish           (KwbQemu             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void         kwb_qemu_stop_async           (KwbQemu             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean     kwb_qemu_stop_finish          (KwbQemu             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void         kwb_qemu_kill                 (KwbQemu             *self);

gboolean     kwb_qemu_get_running          (KwbQemu             *self);
/* TRUE from the moment QEMU is killed for not answering until its exit is
 * seen: whatever else breaks meanwhile (GDB's connection) is a consequence,
 * and the `exited` signal that follows says why. */
gboolean     kwb_qemu_get_killed_for_hang  (KwbQemu             *self);
const char  *kwb_qemu_get_accelerator      (KwbQemu             *self);
const char  *kwb_qemu_get_accel_note       (KwbQemu             *self);
const char  *kwb_qemu_get_runtime_dir      (KwbQemu             *self);
const char  *kwb_qemu_get_gdb_socket       (KwbQemu             *self);
char        *kwb_qemu_dup_gdb_target       (KwbQemu             *self);
guint        kwb_qemu_get_tcp_port         (KwbQemu             *self);
const char  *kwb_qemu_get_console_path     (KwbQemu             *self);
int          kwb_qemu_get_console_fd       (KwbQemu             *self);
gboolean     kwb_qemu_console_write        (KwbQemu             *self,
                                            const char          *text,
                                            gssize               length,
                                            GError             **error);
char        *kwb_qemu_dup_console_tail     (KwbQemu             *self,
                                            guint                max_lines);
char        *kwb_qemu_dup_stderr_tail      (KwbQemu             *self);
GPid         kwb_qemu_get_pid              (KwbQemu             *self);
char       **kwb_qemu_dup_argv             (KwbQemu             *self);

G_END_DECLS
