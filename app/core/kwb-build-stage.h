/* kwb-build-stage.h — what a build is doing now, for progress lines and bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One enum for every build (kernel, BusyBox, modules): the runner reports
 * its progress as (stage, done, total), and the stage only moves forward
 * during one operation, so the values are in the order a build goes
 * through them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KWB_BUILD_STAGE_IDLE,
  KWB_BUILD_STAGE_EXTRACT,      /* unpacking a source tarball (done/total in MB) */
  KWB_BUILD_STAGE_CONFIG,       /* make *config, merge_config.sh */
  KWB_BUILD_STAGE_COMPILE,      /* compiling objects (done/total in objects) */
  KWB_BUILD_STAGE_LINK,         /* linking the final binary (vmlinux, busybox) */
  KWB_BUILD_STAGE_MODULES,      /* modpost, .ko files */
  KWB_BUILD_STAGE_GDB_SCRIPTS,  /* scripts_gdb, vmlinux-gdb.py */
  KWB_BUILD_STAGE_INDEX,        /* GDB's index cache warmed */
  KWB_BUILD_STAGE_INSTALL,      /* make install */
  KWB_BUILD_STAGE_DONE,
} KwbBuildStage;

const char *kwb_build_stage_to_string        (KwbBuildStage stage);
char       *kwb_build_stage_format_progress  (KwbBuildStage stage,
                                              guint         done,
                                              guint         total);
guint       kwb_build_stage_get_percent      (KwbBuildStage stage,
                                              guint         done,
                                              guint         total);

G_END_DECLS
