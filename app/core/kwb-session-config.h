/* kwb-session-config.h — what a debug session boots and loads, resolved from a project
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-arch.h"
#include "kwb-project.h"
#include "kwb-qemu.h"

G_BEGIN_DECLS

#define KWB_SESSION_CONFIG_ERROR (kwb_session_config_error_quark ())

typedef enum {
  KWB_SESSION_CONFIG_ERROR_NO_KERNEL,   /* no bzImage: build first, or set [kernel] image */
  KWB_SESSION_CONFIG_ERROR_NO_VMLINUX,  /* no vmlinux with symbols */
  KWB_SESSION_CONFIG_ERROR_NO_INITRAMFS,
  KWB_SESSION_CONFIG_ERROR_MISMATCH,    /* vmlinux and bzImage are different builds */
} KwbSessionConfigError;

#define KWB_TYPE_SESSION_CONFIG (kwb_session_config_get_type ())
G_DECLARE_FINAL_TYPE (KwbSessionConfig, kwb_session_config, KWB, SESSION_CONFIG, GObject)

GQuark            kwb_session_config_error_quark      (void);
KwbSessionConfig *kwb_session_config_new_for_project  (KwbProject        *project,
                                                       GError           **error);
KwbProject       *kwb_session_config_get_project      (KwbSessionConfig  *self);
const char       *kwb_session_config_get_kernel       (KwbSessionConfig  *self);
const char       *kwb_session_config_get_vmlinux      (KwbSessionConfig  *self);
const char       *kwb_session_config_get_initrd       (KwbSessionConfig  *self);
const char       *kwb_session_config_get_build_dir    (KwbSessionConfig  *self);
const char       *kwb_session_config_get_source_dir   (KwbSessionConfig  *self);
const char       *kwb_session_config_get_cmdline      (KwbSessionConfig  *self);
gboolean          kwb_session_config_get_relocatable  (KwbSessionConfig  *self);
/* TRUE when QEMU boots the vmlinux itself (x86-64 with a PVH entry), not
 * the kernel image. */
gboolean          kwb_session_config_get_boot_vmlinux (KwbSessionConfig  *self);
const KwbArch    *kwb_session_config_get_arch         (KwbSessionConfig  *self);
gboolean          kwb_session_config_check_versions   (KwbSessionConfig  *self,
                                                       GError           **error);
KwbQemu          *kwb_session_config_create_qemu      (KwbSessionConfig  *self);
/* Record the run into, or replay it from, LOG_FILE with its snapshots in
 * SNAPSHOT_IMAGE (see KwbRecording); KWB_QEMU_REPLAY_NONE runs it live. */
void              kwb_session_config_set_replay       (KwbSessionConfig  *self,
                                                       KwbQemuReplay      mode,
                                                       const char        *log_file,
                                                       const char        *snapshot_image);
KwbQemuReplay     kwb_session_config_get_replay       (KwbSessionConfig  *self);
/* The guest's memory in MiB instead of the project's (a replay needs what
 * was recorded); 0 goes back to the project's. */
void              kwb_session_config_set_memory       (KwbSessionConfig  *self,
                                                       guint              mib);

G_END_DECLS
