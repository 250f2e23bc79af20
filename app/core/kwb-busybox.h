/* kwb-busybox.h — the BusyBox binary of a project: check it, or build it from source
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-problem.h"
#include "kwb-build-runner.h"
#include "kwb-arch.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_BUSYBOX (kwb_busybox_get_type ())
G_DECLARE_FINAL_TYPE (KwbBusybox, kwb_busybox, KWB, BUSYBOX, GObject)

#define KWB_BUSYBOX_ERROR (kwb_busybox_error_quark ())

typedef enum {
  KWB_BUSYBOX_ERROR_NOT_FOUND,     /* the binary does not exist */
  KWB_BUSYBOX_ERROR_NOT_ELF,
  KWB_BUSYBOX_ERROR_WRONG_ARCH,    /* not x86-64 */
  KWB_BUSYBOX_ERROR_DYNAMIC,       /* needs a C library the initramfs lacks */
  KWB_BUSYBOX_ERROR_NO_APPLETS,    /* --list-full failed or printed nothing */
  KWB_BUSYBOX_ERROR_NO_SOURCE,     /* the source tree/tarball is missing */
  KWB_BUSYBOX_ERROR_NOT_BUILT,     /* source "tree" but never built */
  KWB_BUSYBOX_ERROR_CONFIG,        /* a required CONFIG_ did not stick */
  KWB_BUSYBOX_ERROR_BUILD_FAILED,
} KwbBusyboxError;

GQuark       kwb_busybox_error_quark          (void);

/* Checks an ELF header and program headers: x86-64 and no PT_INTERP, no
 * DT_NEEDED. Synchronous: reads a few kilobytes. */
gboolean     kwb_busybox_check_binary         (const char           *path,
                                               const KwbArch        *arch,
                                               GError              **error);

/* Runs BINARY --list-full; returns the applet paths ("bin/ash",
 * "usr/bin/awk", …) sorted. Call from the main thread (it spawns). */
void         kwb_busybox_list_applets_async   (const char           *binary,
                                               const KwbArch        *arch,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char       **kwb_busybox_list_applets_finish  (GAsyncResult         *result,
                                               GError              **error);

KwbBusybox  *kwb_busybox_new                  (KwbProject           *project);
KwbProject  *kwb_busybox_get_project          (KwbBusybox           *self);
double       kwb_busybox_get_fraction         (KwbBusybox           *self);
const char  *kwb_busybox_get_phase            (KwbBusybox           *self);
char        *kwb_busybox_dup_build_dir        (KwbBusybox           *self);
char        *kwb_busybox_dup_log_path         (KwbBusybox           *self);
const KwbBuildProblem *kwb_busybox_get_problem (KwbBusybox          *self);
KwbBuildRunner *kwb_busybox_get_runner        (KwbBusybox           *self);

/* The binary the project's [busybox] source selects: the host's or the
 * user's static binary, or the one a source build installed. Not checked. */
char        *kwb_busybox_dup_binary_path      (KwbBusybox           *self,
                                               GError              **error);

/* Builds [busybox] tree out of tree into [busybox] build-dir: defconfig,
 * CONFIG_STATIC=y and CONFIG_INSTALL_NO_USR=y, oldconfig, make, make install.
 * Returns the installed binary's path. Call from the main thread. */
void         kwb_busybox_build_async          (KwbBusybox           *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
char        *kwb_busybox_build_finish         (KwbBusybox           *self,
                                               GAsyncResult         *result,
                                               GError              **error);

G_END_DECLS
