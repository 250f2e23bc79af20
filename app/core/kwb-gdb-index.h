/* kwb-gdb-index.h — GDB's index of a vmlinux, kept by build-id, written in the background
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KWB_GDB_INDEX_ERROR (kwb_gdb_index_error_quark ())

typedef enum {
  KWB_GDB_INDEX_ERROR_NO_BUILD_ID, /* GDB names its index by build-id: none, no index */
  KWB_GDB_INDEX_ERROR_FAILED,      /* GDB ran but wrote no index */
} KwbGdbIndexError;

#define KWB_TYPE_GDB_INDEX (kwb_gdb_index_get_type ())
G_DECLARE_FINAL_TYPE (KwbGdbIndex, kwb_gdb_index, KWB, GDB_INDEX, GObject)

GQuark        kwb_gdb_index_error_quark  (void);

/* ~/.cache/kernel-workbench/gdb-index, GDB's `index-cache directory`. */
char         *kwb_gdb_index_dup_cache_dir (void);

/* GDB_PROGRAM is the GDB that reads VMLINUX in sessions (its index format
 * is its own). */
KwbGdbIndex  *kwb_gdb_index_new          (const char          *gdb_program,
                                          const char          *vmlinux);
/* NULL when vmlinux has no build-id (or cannot be read): nothing is kept. */
const char   *kwb_gdb_index_get_build_id (KwbGdbIndex         *self);
gboolean      kwb_gdb_index_is_kept      (KwbGdbIndex         *self);
/* The file a session's GDB should read for vmlinux: vmlinux, or the kept
 * copy of it without the relocations of its debug information. */
char         *kwb_gdb_index_dup_symbol_file (KwbGdbIndex      *self);
/* Whether a write runs (the "writing" property). */
gboolean      kwb_gdb_index_get_writing  (KwbGdbIndex         *self);

/* Has a GDB of its own read vmlinux and keep its index, at idle CPU
 * priority: a session's GDB then need not write it before its first stop.
 * Cancelling, or disposing the object, kills that GDB. */
void          kwb_gdb_index_write_async  (KwbGdbIndex         *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      kwb_gdb_index_write_finish (KwbGdbIndex         *self,
                                          GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
