/* kwb-cli-dump.h — kwb debug --dump: the guest's memory to a file, with progress
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-core.h"

G_BEGIN_DECLS

void      kwb_cli_dump_async  (KwbSession          *session,
                               const char          *path,
                               gboolean             json,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data);
gboolean  kwb_cli_dump_finish (GAsyncResult        *result,
                               GError             **error);

G_END_DECLS
