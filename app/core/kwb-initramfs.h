/* kwb-initramfs.h — the project's initramfs: BusyBox, a classic root tree, the user's files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-cpio.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_INITRAMFS (kwb_initramfs_get_type ())
G_DECLARE_FINAL_TYPE (KwbInitramfs, kwb_initramfs, KWB, INITRAMFS, GObject)

#define KWB_INITRAMFS_ERROR (kwb_initramfs_error_quark ())

typedef enum {
  KWB_INITRAMFS_ERROR_FILE_MISSING,     /* rcs/fstab/inittab/extra file/module */
  KWB_INITRAMFS_ERROR_BAD_EXTRA_FILE,   /* malformed HOST:GUEST or special file */
  KWB_INITRAMFS_ERROR_NO_RELEASE,       /* modules but no kernel release */
} KwbInitramfsError;

GQuark         kwb_initramfs_error_quark        (void);

/* The built-in etc/init.d/rcS, etc/fstab and etc/inittab ("rcS", "fstab",
 * "inittab"), or NULL. */
const char    *kwb_initramfs_get_default_file   (const char          *name);

KwbInitramfs  *kwb_initramfs_new                (KwbProject          *project);
KwbProject    *kwb_initramfs_get_project        (KwbInitramfs        *self);

/* Modules go to /lib/modules/RELEASE/. Unset (NULL), RELEASE is read from
 * the kernel build folder's include/config/kernel.release. */
void           kwb_initramfs_set_kernel_release (KwbInitramfs        *self,
                                                 const char          *release);
/* Overrides the project's BusyBox (tests, the GUI's "try this binary"). */
void           kwb_initramfs_set_busybox        (KwbInitramfs        *self,
                                                 const char          *binary);
/* Overrides [initramfs] output. */
void           kwb_initramfs_set_output         (KwbInitramfs        *self,
                                                 const char          *output);
char          *kwb_initramfs_dup_output         (KwbInitramfs        *self);

/* Checks BusyBox, asks it for its applets and assembles the archive's
 * entries (nothing is written). Call from the main thread (it spawns). */
void           kwb_initramfs_prepare_async      (KwbInitramfs        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
KwbCpio       *kwb_initramfs_prepare_finish     (KwbInitramfs        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

/* prepare, then write the archive in a worker thread (atomically: the old
 * archive stays until the new one is complete). Returns the output path. */
void           kwb_initramfs_build_async        (KwbInitramfs        *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char          *kwb_initramfs_build_finish       (KwbInitramfs        *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
