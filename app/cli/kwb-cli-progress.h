/* kwb-cli-progress.h — build progress on stdout: a bar on a terminal, lines otherwise
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-core.h"

G_BEGIN_DECLS

typedef struct _KwbCliProgress KwbCliProgress;

KwbCliProgress *kwb_cli_progress_new    (void);
void            kwb_cli_progress_update (KwbCliProgress *self,
                                         const char     *prefix,
                                         KwbBuildStage   stage,
                                         guint           done,
                                         guint           total);
void            kwb_cli_progress_end    (KwbCliProgress *self);
void            kwb_cli_progress_free   (KwbCliProgress *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbCliProgress, kwb_cli_progress_free)

G_END_DECLS
