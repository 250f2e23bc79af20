/* kwb-setup.h — setting a project up: what the host offers, what a change needs rebuilt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a changed project key makes stale, from least to most work. The order
 * matters: levels combine with MAX. */
typedef enum {
  KWB_REBUILD_NONE,        /* takes effect at the next session (QEMU, GDB keys) */
  KWB_REBUILD_INITRAMFS,   /* the initramfs (and BusyBox) only */
  KWB_REBUILD_CONFIG,      /* the kernel's .config, then an incremental build */
  KWB_REBUILD_FULL,        /* another source tree or build folder: everything */
} KwbRebuild;

KwbRebuild   kwb_rebuild_for_key              (const char          *group,
                                               const char          *key);
const char  *kwb_rebuild_to_string            (KwbRebuild           level);
KwbRebuild   kwb_rebuild_from_string          (const char          *word);
const char  *kwb_rebuild_describe             (KwbRebuild           level);

/* /usr/src/linux-source-*.tar.xz, newest version first. */
char       **kwb_setup_list_linux_sources     (void);
/* "6.1.158" from a tree's Makefile (VERSION, PATCHLEVEL, SUBLEVEL,
 * EXTRAVERSION), or NULL when it has none. */
char        *kwb_setup_dup_kernel_version     (const char          *srctree);

/* Runs BINARY with no arguments, as BusyBox prints its banner then, and
 * returns "1.35.0" from "BusyBox v1.35.0 (Debian …) multi-call binary".
 * Call from the main thread (it spawns). */
void         kwb_setup_busybox_version_async  (const char          *binary,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
char        *kwb_setup_busybox_version_finish (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
