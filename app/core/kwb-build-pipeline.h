/* kwb-build-pipeline.h — build everything a project boots, in order
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "kwb-build-problem.h"
#include "kwb-build-stage.h"
#include "kwb-project.h"

G_BEGIN_DECLS

/* In the order they run: each needs what the ones before it made. */
typedef enum {
  KWB_BUILD_STEP_BUSYBOX,
  KWB_BUILD_STEP_KERNEL,
  KWB_BUILD_STEP_MODULES,
  KWB_BUILD_STEP_INITRAMFS,
  KWB_BUILD_N_STEPS
} KwbBuildStep;

#define KWB_TYPE_BUILD_PIPELINE (kwb_build_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (KwbBuildPipeline, kwb_build_pipeline, KWB, BUILD_PIPELINE, GObject)

KwbBuildPipeline      *kwb_build_pipeline_new             (KwbProject          *project);
KwbProject            *kwb_build_pipeline_get_project     (KwbBuildPipeline    *self);
void                   kwb_build_pipeline_set_jobs        (KwbBuildPipeline    *self,
                                                           guint                jobs);
gboolean               kwb_build_pipeline_get_step_shown  (KwbBuildPipeline    *self,
                                                           KwbBuildStep         step);
const char            *kwb_build_pipeline_step_to_string  (KwbBuildStep         step);
const char            *kwb_build_pipeline_step_get_title  (KwbBuildStep         step);
KwbBuildStep           kwb_build_pipeline_get_failed_step (KwbBuildPipeline    *self);
const KwbBuildProblem *kwb_build_pipeline_get_problem     (KwbBuildPipeline    *self);
gboolean               kwb_build_pipeline_get_kernel_up_to_date (KwbBuildPipeline *self);

void                   kwb_build_pipeline_run_async       (KwbBuildPipeline    *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
gboolean               kwb_build_pipeline_run_finish      (KwbBuildPipeline    *self,
                                                           GAsyncResult        *result,
                                                           GError             **error);

G_END_DECLS
