/* kwb-modules.h — the guest's kernel modules as a GListModel, with their symbols loaded in GDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-module.h"
#include "kwb-module-reader.h"
#include "kwb-session.h"

G_BEGIN_DECLS

#define KWB_MODULES_ERROR (kwb_modules_error_quark ())

typedef enum {
  KWB_MODULES_ERROR_NOT_LOADED,  /* the module is not in the guest (any more) */
  KWB_MODULES_ERROR_SYMBOLS,     /* no .ko, or GDB refused it */
} KwbModulesError;

#define KWB_TYPE_MODULES (kwb_modules_get_type ())
G_DECLARE_FINAL_TYPE (KwbModules, kwb_modules, KWB, MODULES, GObject)

GQuark              kwb_modules_error_quark         (void);

/* Follows SESSION: before it starts (its setup step installs the silent
 * breakpoints before the guest runs) or later (at once if the guest is
 * stopped, else at its next stop; modules loaded meanwhile get their
 * symbols then). The .ko files are looked for as KwbModuleFiles says for
 * the session's project. */
KwbModules         *kwb_modules_new                 (KwbSession   *session);
KwbModulesLayout    kwb_modules_get_layout          (KwbModules   *self);
/* TRUE once the breakpoints are in and the first read is done. */
gboolean            kwb_modules_get_ready           (KwbModules   *self);
KwbModule          *kwb_modules_lookup              (KwbModules   *self,
                                                     const char   *name);
/* Load MODULE's symbols from KO_PATH (the "Load symbols from…" menu),
 * replacing any loaded before: the same path as automatic loading. Works
 * while the guest runs (the session interrupts it). */
void                kwb_modules_load_symbols_async  (KwbModules          *self,
                                                     KwbModule           *module,
                                                     const char          *ko_path,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            kwb_modules_load_symbols_finish (KwbModules         *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);

G_END_DECLS
