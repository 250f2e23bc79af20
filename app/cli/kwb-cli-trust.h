/* kwb-cli-trust.h — the --trust option, and the check before a command runs a project's programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-core.h"

G_BEGIN_DECLS

void kwb_cli_add_trust_option (GOptionContext *context,
                               gboolean       *trust);
int  kwb_cli_check_trust      (KwbProject     *project,
                               gboolean        trust);

G_END_DECLS
