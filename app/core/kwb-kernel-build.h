/* kwb-kernel-build.h — configure and build a debug kernel out of tree, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-problem.h"
#include "kwb-build-runner.h"
#include "kwb-build-stage.h"
#include "kwb-arch.h"
#include "kwb-kconfig.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_KERNEL_BUILD_ERROR (kwb_kernel_build_error_quark ())

typedef enum {
  KWB_KERNEL_BUILD_ERROR_NO_SOURCE,     /* [kernel] source missing */
  KWB_KERNEL_BUILD_ERROR_NOT_A_KERNEL,  /* no Makefile with VERSION/PATCHLEVEL, no Kconfig */
  KWB_KERNEL_BUILD_ERROR_WRONG_ARCH,    /* a tree without arch/x86 */
  KWB_KERNEL_BUILD_ERROR_MISSING_TOOL,  /* flex, bison, bc, libelf-dev, … */
  KWB_KERNEL_BUILD_ERROR_BUILD_DIR,     /* cannot create or write the build dir */
  KWB_KERNEL_BUILD_ERROR_EXTRACT,       /* the tarball did not extract */
  KWB_KERNEL_BUILD_ERROR_CONFIG,        /* the configuration step failed */
  KWB_KERNEL_BUILD_ERROR_COMPILE,       /* make failed: see the first error */
  KWB_KERNEL_BUILD_ERROR_BUSY,          /* a build of this object is running */
} KwbKernelBuildErrorCode;

#define KWB_TYPE_KERNEL_BUILD (kwb_kernel_build_get_type ())
G_DECLARE_FINAL_TYPE (KwbKernelBuild, kwb_kernel_build, KWB, KERNEL_BUILD, GObject)

GQuark                 kwb_kernel_build_error_quark      (void);

KwbKernelBuild        *kwb_kernel_build_new              (KwbProject           *project);
KwbProject            *kwb_kernel_build_get_project      (KwbKernelBuild       *self);
KwbBuildRunner        *kwb_kernel_build_get_runner       (KwbKernelBuild       *self);
void                   kwb_kernel_build_set_jobs         (KwbKernelBuild       *self,
                                                          guint                 jobs);
void                   kwb_kernel_build_setenv           (KwbKernelBuild       *self,
                                                          const char           *variable,
                                                          const char           *value);
void                   kwb_kernel_build_set_make_targets (KwbKernelBuild       *self,
                                                          const char * const   *targets);

char                  *kwb_kernel_build_dup_build_dir    (KwbKernelBuild       *self);
const char            *kwb_kernel_build_get_source_dir   (KwbKernelBuild       *self);
const char            *kwb_kernel_build_get_log_path     (KwbKernelBuild       *self);
KwbBuildStage          kwb_kernel_build_get_stage        (KwbKernelBuild       *self);
guint                  kwb_kernel_build_get_objects_done (KwbKernelBuild       *self);
guint                  kwb_kernel_build_get_objects_expected (KwbKernelBuild   *self);
double                 kwb_kernel_build_get_fraction     (KwbKernelBuild       *self);
gboolean               kwb_kernel_build_get_up_to_date   (KwbKernelBuild       *self);
gboolean               kwb_kernel_build_get_configured   (KwbKernelBuild       *self);
GPtrArray             *kwb_kernel_build_get_findings     (KwbKernelBuild       *self);
const KwbBuildProblem *kwb_kernel_build_get_problem      (KwbKernelBuild       *self);

void                   kwb_kernel_build_configure_async  (KwbKernelBuild       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean               kwb_kernel_build_configure_finish (KwbKernelBuild       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);
void                   kwb_kernel_build_build_async      (KwbKernelBuild       *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean               kwb_kernel_build_build_finish     (KwbKernelBuild       *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* Checks usable alone (tests, the GUI's wizard). */
gboolean               kwb_kernel_build_check_tree       (const char           *srctree,
                                                          const KwbArch        *arch,
                                                          GError              **error);
gboolean               kwb_kernel_build_check_tools      (const char * const   *envp,
                                                          const KwbArch        *arch,
                                                          GError              **error);
gboolean               kwb_kernel_build_check_build_dir  (const char           *build_dir,
                                                          GError              **error);
gboolean               kwb_kernel_build_check_compressor (KwbKconfig           *config,
                                                          const char * const   *envp,
                                                          GError              **error);
char                  *kwb_kernel_build_dup_shared_source_dir (const char      *tarball,
                                                          GError              **error);

G_END_DECLS
