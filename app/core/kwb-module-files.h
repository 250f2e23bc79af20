/* kwb-module-files.h — where a module's .ko is on this machine, and a copy of it GDB can place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_MODULE_FILES (kwb_module_files_get_type ())
G_DECLARE_FINAL_TYPE (KwbModuleFiles, kwb_module_files, KWB, MODULE_FILES, GObject)

KwbModuleFiles     *kwb_module_files_new              (void);
/* The folders of PROJECT, in order: the kernel build dir KERNEL_BUILD_DIR
 * (its modules.order), [modules] build-dir (one folder per module project),
 * then [modules] search-path. */
KwbModuleFiles     *kwb_module_files_new_for_project  (KwbProject         *project,
                                                       const char         *kernel_build_dir);
void                kwb_module_files_add_dir          (KwbModuleFiles     *self,
                                                       const char         *dir);
const char * const *kwb_module_files_get_search_path  (KwbModuleFiles     *self);
/* The .ko of module NAME on the search path, or NULL. `_` and `-` are alike. */
char               *kwb_module_files_find             (KwbModuleFiles     *self,
                                                       const char         *name);
/* The same search over DIRS. */
char               *kwb_module_files_find_in          (const char * const *dirs,
                                                       const char         *name);
/* KO_PATH itself, or a cached copy of it GDB 13 can place: see kwb-module-files.c. */
char               *kwb_module_files_dup_gdb_readable (const char         *ko_path,
                                                       GError            **error);

G_END_DECLS
