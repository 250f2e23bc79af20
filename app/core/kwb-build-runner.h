/* kwb-build-runner.h — run one build command (make, tar, …) with progress, problems and cancel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-problem.h"
#include "kwb-build-stage.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_BUILD_RUNNER_ERROR (kwb_build_runner_error_quark ())

typedef enum {
  KWB_BUILD_RUNNER_ERROR_FAILED,        /* the command exited with a status other than 0 */
  KWB_BUILD_RUNNER_ERROR_BUSY,          /* a command of this runner is running */
  KWB_BUILD_RUNNER_ERROR_INSIDE_SOURCE, /* a build folder inside the source tree */
} KwbBuildRunnerError;

#define KWB_TYPE_BUILD_RUNNER (kwb_build_runner_get_type ())
G_DECLARE_FINAL_TYPE (KwbBuildRunner, kwb_build_runner, KWB, BUILD_RUNNER, GObject)

GQuark                 kwb_build_runner_error_quark   (void);

KwbBuildRunner        *kwb_build_runner_new           (void);
void                   kwb_build_runner_setenv        (KwbBuildRunner      *self,
                                                       const char          *variable,
                                                       const char          *value);
char                 **kwb_build_runner_dup_environ   (KwbBuildRunner      *self);
void                   kwb_build_runner_set_log       (KwbBuildRunner      *self,
                                                       GOutputStream       *log);
void                   kwb_build_runner_set_problem_dir (KwbBuildRunner    *self,
                                                       const char          *dir);
void                   kwb_build_runner_set_counting  (KwbBuildRunner      *self,
                                                       gboolean             counting);
void                   kwb_build_runner_log           (KwbBuildRunner      *self,
                                                       const char          *line);
void                   kwb_build_runner_warn          (KwbBuildRunner      *self,
                                                       const char          *message);
void                   kwb_build_runner_feed_line     (KwbBuildRunner      *self,
                                                       const char          *line);

void                   kwb_build_runner_reset         (KwbBuildRunner      *self);
void                   kwb_build_runner_set_stage     (KwbBuildRunner      *self,
                                                       KwbBuildStage        stage,
                                                       guint                total);
void                   kwb_build_runner_set_progress  (KwbBuildRunner      *self,
                                                       guint                done,
                                                       guint                total);
KwbBuildStage          kwb_build_runner_get_stage     (KwbBuildRunner      *self);
guint                  kwb_build_runner_get_done      (KwbBuildRunner      *self);
guint                  kwb_build_runner_get_total     (KwbBuildRunner      *self);
double                 kwb_build_runner_get_fraction  (KwbBuildRunner      *self);
const KwbBuildProblem *kwb_build_runner_get_problem   (KwbBuildRunner      *self);
void                   kwb_build_runner_clear_problem (KwbBuildRunner      *self);
char                  *kwb_build_runner_dup_tail      (KwbBuildRunner      *self);
int                    kwb_build_runner_get_exit_status (KwbBuildRunner    *self);

void                   kwb_build_runner_run_async     (KwbBuildRunner      *self,
                                                       const char * const  *argv,
                                                       const char          *debian_package,
                                                       const char          *cwd,
                                                       const char          *stdin_path,
                                                       GInputStream        *stdin_stream,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean               kwb_build_runner_run_finish    (KwbBuildRunner      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* kbuild's quiet output ("  CC      init/main.o"): whether the line is one
 * object made, and the stage it belongs to. */
gboolean               kwb_build_runner_classify_line (const char          *line,
                                                       KwbBuildStage       *stage);
guint                  kwb_build_runner_resolve_jobs  (KwbProject          *project,
                                                       guint                jobs);
gboolean               kwb_build_runner_check_out_of_tree (const char      *source_dir,
                                                       const char          *build_dir,
                                                       const char          *setting,
                                                       GError             **error);

G_END_DECLS
