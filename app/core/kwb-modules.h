/* kwb-modules.h — the guest's kernel modules as a GListModel, with their symbols loaded in GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-module.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_MODULES_ERROR (kwb_modules_error_quark ())

typedef enum {
  KWB_MODULES_ERROR_NOT_LOADED,  /* the module is not in the guest (any more) */
  KWB_MODULES_ERROR_SYMBOLS,     /* GDB refused the .ko */
} KwbModulesError;

typedef enum {
  KWB_MODULES_LAYOUT_UNKNOWN,
  KWB_MODULES_LAYOUT_CORE_LAYOUT, /* up to 6.3: mod->core_layout.base */
  KWB_MODULES_LAYOUT_MEM,         /* 6.4+: mod->mem[MOD_TEXT].base */
} KwbModulesLayout;

#define KWB_TYPE_MODULES (kwb_modules_get_type ())
G_DECLARE_FINAL_TYPE (KwbModules, kwb_modules, KWB, MODULES, GObject)

GQuark              kwb_modules_error_quark        (void);

/* Follows SESSION: before it starts (its setup step installs the silent
 * breakpoints before the guest runs) or later (at once if the guest is
 * stopped, else at its next stop; modules loaded meanwhile get their
 * symbols then). */
KwbModules         *kwb_modules_new                (KwbSession   *session);
KwbSession         *kwb_modules_get_session        (KwbModules   *self);
/* Folders searched for NAME.ko, in order: the kernel build dir (its
 * modules.order), each module project's build dir, [modules] search-path,
 * then those added here. */
const char * const *kwb_modules_get_search_path    (KwbModules   *self);
void                kwb_modules_add_search_dir     (KwbModules   *self,
                                                    const char   *dir);
/* FALSE: list modules but load no symbols (for measuring). */
void                kwb_modules_set_auto_symbols   (KwbModules   *self,
                                                    gboolean      auto_symbols);
KwbModulesLayout    kwb_modules_get_layout         (KwbModules   *self);
/* TRUE once the breakpoints are in and the first read is done. */
gboolean            kwb_modules_get_ready          (KwbModules   *self);
KwbModule          *kwb_modules_lookup             (KwbModules   *self,
                                                    const char   *name);
/* The .ko for module NAME on the search path, or NULL with the folders
 * searched in *SEARCHED. `_` and `-` are alike. */
char               *kwb_modules_find_ko            (KwbModules   *self,
                                                    const char   *name,
                                                    GStrv        *searched);
/* The same search over DIRS (without a session). */
char               *kwb_modules_find_ko_in         (const char * const *dirs,
                                                    const char   *name);
/* KO_PATH, or a cached copy GDB 13 can place: see kwb-modules.c. */
char               *kwb_modules_dup_gdb_readable_ko (const char  *ko_path,
                                                    GError      **error);
/* Load MODULE's symbols from KO_PATH (the "Load symbols from…" menu),
 * replacing any loaded before. Works while the guest runs (the session
 * interrupts it). */
void                kwb_modules_load_symbols_async (KwbModules          *self,
                                                    KwbModule           *module,
                                                    const char          *ko_path,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean            kwb_modules_load_symbols_finish (KwbModules         *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
