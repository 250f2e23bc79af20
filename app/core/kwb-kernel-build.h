/* kwb-kernel-build.h — configure and build a debug kernel out of tree, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

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

typedef enum {
  KWB_KERNEL_BUILD_STAGE_IDLE,
  KWB_KERNEL_BUILD_STAGE_EXTRACT,
  KWB_KERNEL_BUILD_STAGE_CONFIG,
  KWB_KERNEL_BUILD_STAGE_COMPILE,
  KWB_KERNEL_BUILD_STAGE_LINK,
  KWB_KERNEL_BUILD_STAGE_MODULES,
  KWB_KERNEL_BUILD_STAGE_GDB_SCRIPTS,
  KWB_KERNEL_BUILD_STAGE_INDEX,
  KWB_KERNEL_BUILD_STAGE_DONE,
} KwbKernelBuildStage;

/* The first compiler or linker error of a failed build: the GUI opens
 * file at line. file is absolute when it could be resolved. */
typedef struct {
  char *file;
  guint line;
  guint column;
  char *message;
} KwbKernelBuildProblem;

#define KWB_TYPE_KERNEL_BUILD_PROBLEM (kwb_kernel_build_problem_get_type ())
GType                  kwb_kernel_build_problem_get_type (void) G_GNUC_CONST;
KwbKernelBuildProblem *kwb_kernel_build_problem_copy     (const KwbKernelBuildProblem *problem);
void                   kwb_kernel_build_problem_free     (KwbKernelBuildProblem       *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbKernelBuildProblem, kwb_kernel_build_problem_free)

#define KWB_TYPE_KERNEL_BUILD (kwb_kernel_build_get_type ())
G_DECLARE_FINAL_TYPE (KwbKernelBuild, kwb_kernel_build, KWB, KERNEL_BUILD, GObject)

GQuark                 kwb_kernel_build_error_quark      (void);

KwbKernelBuild        *kwb_kernel_build_new              (KwbProject           *project);
KwbProject            *kwb_kernel_build_get_project      (KwbKernelBuild       *self);
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
KwbKernelBuildStage    kwb_kernel_build_get_stage        (KwbKernelBuild       *self);
const char            *kwb_kernel_build_stage_to_string  (KwbKernelBuildStage   stage);
guint                  kwb_kernel_build_get_objects_done (KwbKernelBuild       *self);
guint                  kwb_kernel_build_get_objects_expected (KwbKernelBuild   *self);
double                 kwb_kernel_build_get_fraction     (KwbKernelBuild       *self);
gboolean               kwb_kernel_build_get_up_to_date   (KwbKernelBuild       *self);
gboolean               kwb_kernel_build_get_configured   (KwbKernelBuild       *self);
GPtrArray             *kwb_kernel_build_get_findings     (KwbKernelBuild       *self);
const KwbKernelBuildProblem *kwb_kernel_build_get_problem (KwbKernelBuild      *self);

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
                                                          GError              **error);
gboolean               kwb_kernel_build_check_tools      (const char * const   *envp,
                                                          GError              **error);
gboolean               kwb_kernel_build_check_build_dir  (const char           *build_dir,
                                                          GError              **error);
char                  *kwb_kernel_build_dup_shared_source_dir (const char      *tarball,
                                                          GError              **error);
KwbKernelBuildProblem *kwb_kernel_build_parse_problem    (const char           *line,
                                                          const char           *build_dir);
KwbKernelBuildProblem *kwb_kernel_build_find_problem_in_log (const char        *log_text,
                                                          const char           *build_dir);
gboolean               kwb_kernel_build_is_progress_line (const char           *line,
                                                          KwbKernelBuildStage  *stage);

G_END_DECLS
