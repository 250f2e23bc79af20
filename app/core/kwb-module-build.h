/* kwb-module-build.h — build a project's out-of-tree modules against its kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-problem.h"
#include "kwb-build-runner.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_MODULE_BUILD_ERROR (kwb_module_build_error_quark ())

typedef enum {
  KWB_MODULE_BUILD_ERROR_NO_KERNEL,   /* the kernel is not built (no modpost) */
  KWB_MODULE_BUILD_ERROR_NO_SOURCE,   /* a [modules] projects folder is missing or has no Kbuild/Makefile */
  KWB_MODULE_BUILD_ERROR_COPY,        /* cannot copy the sources to the build folder */
  KWB_MODULE_BUILD_ERROR_COMPILE,     /* make failed: see the problem */
  KWB_MODULE_BUILD_ERROR_NO_MODULES,  /* make succeeded but wrote no .ko */
  KWB_MODULE_BUILD_ERROR_EXISTS,      /* kwb module new: the folder exists */
  KWB_MODULE_BUILD_ERROR_INVALID,     /* kwb module new: not a C identifier */
  KWB_MODULE_BUILD_ERROR_HOLDS_BUILD, /* a [modules] projects folder contains a build folder */
} KwbModuleBuildError;

#define KWB_TYPE_MODULE_BUILD (kwb_module_build_get_type ())
G_DECLARE_FINAL_TYPE (KwbModuleBuild, kwb_module_build, KWB, MODULE_BUILD, GObject)

GQuark           kwb_module_build_error_quark   (void);

KwbModuleBuild  *kwb_module_build_new           (KwbProject          *project);
void             kwb_module_build_set_jobs      (KwbModuleBuild      *self,
                                                 guint                jobs);
KwbBuildRunner  *kwb_module_build_get_runner    (KwbModuleBuild      *self);
/* Builds every [modules] projects folder in turn. Signals: `module-started`
 * (the folder); make's output and progress are the runner's. */
void             kwb_module_build_build_async   (KwbModuleBuild      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         kwb_module_build_build_finish  (KwbModuleBuild      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);
/* The first compiler error of a failed build, its file in the user's folder. */
const KwbBuildProblem *kwb_module_build_get_problem (KwbModuleBuild   *self);
/* The .ko files built (after a build). */
GPtrArray       *kwb_module_build_get_modules   (KwbModuleBuild      *self);
const char      *kwb_module_build_get_log_path  (KwbModuleBuild      *self);

/* Where SOURCE (a [modules] projects entry) is copied and built:
 * [modules] build-dir/BASENAME. */
char            *kwb_module_build_dup_build_dir (KwbProject          *project,
                                                 const char          *source);
/* Every .ko in the module projects' build folders (for the initramfs). */
GStrv            kwb_module_build_dup_built_modules (KwbProject      *project);
/* A hello-world module in PROJECT/modules/NAME (init, exit, a parameter),
 * added to [modules] projects; the project is saved. Returns the folder. */
char            *kwb_module_build_new_template  (KwbProject          *project,
                                                 const char          *name,
                                                 GError             **error);

G_END_DECLS
