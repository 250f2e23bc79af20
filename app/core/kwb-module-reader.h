/* kwb-module-reader.h — the guest's struct module and its sections, read through GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-module.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_MODULE_READER_ERROR (kwb_module_reader_error_quark ())

typedef enum {
  KWB_MODULE_READER_ERROR_FAILED, /* GDB could not read it: the guest runs again, or no module there */
} KwbModuleReaderError;

typedef enum {
  KWB_MODULES_LAYOUT_UNKNOWN,
  KWB_MODULES_LAYOUT_CORE_LAYOUT, /* up to 6.3: mod->core_layout.base */
  KWB_MODULES_LAYOUT_MEM,         /* 6.4+: mod->mem[MOD_TEXT].base */
} KwbModulesLayout;

#define KWB_TYPE_MODULE_READER (kwb_module_reader_get_type ())
G_DECLARE_FINAL_TYPE (KwbModuleReader, kwb_module_reader, KWB, MODULE_READER, GObject)

GQuark            kwb_module_reader_error_quark (void);

/* Every read needs the guest halted (stopped, or in an internal stop). */
KwbModuleReader  *kwb_module_reader_new         (KwbSession          *session);

/* Asks GDB for the vmlinux's struct module layout. TRUE when the kernel
 * has a module list to follow (FALSE: no CONFIG_MODULES). */
void              kwb_module_reader_probe_async  (KwbModuleReader     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          kwb_module_reader_probe_finish (KwbModuleReader     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
KwbModulesLayout  kwb_module_reader_get_layout   (KwbModuleReader     *self);
/* Once probed: offsetof (struct module, list) and of its sect_attrs
 * pointer (FALSE: not known, or no sect_attrs in this kernel). */
gboolean          kwb_module_reader_get_offsets  (KwbModuleReader     *self,
                                                  guint64             *list_offset,
                                                  guint64             *sect_attrs_offset);

/* The addresses (guint64) of the struct modules on the kernel's `modules` list. */
void              kwb_module_reader_list_async   (KwbModuleReader     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
GArray           *kwb_module_reader_list_finish  (KwbModuleReader     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* A new KwbModule for the struct module EXPR points to (a GDB expression:
 * `mod` in do_init_module, or an address), with its state, text address,
 * size and sections. */
void              kwb_module_reader_read_async   (KwbModuleReader     *self,
                                                  const char          *expr,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
KwbModule        *kwb_module_reader_read_finish  (KwbModuleReader     *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* One unsigned value, e.g. `(unsigned long)mod` or a module's state. */
void              kwb_module_reader_read_u64_async  (KwbModuleReader     *self,
                                                     const char          *expr,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          kwb_module_reader_read_u64_finish (KwbModuleReader     *self,
                                                     GAsyncResult        *result,
                                                     guint64             *value,
                                                     GError             **error);

G_END_DECLS
