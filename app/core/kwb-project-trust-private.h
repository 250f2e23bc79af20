/* kwb-project-trust-private.h — the hooks KwbProject calls when it loads and saves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project.h"

G_BEGIN_DECLS

/* After a successful load: compares what the project runs with the record. */
void _kwb_project_trust_loaded (KwbProject *project);
/* After a successful save: a trusted project's new values are recorded. */
void _kwb_project_trust_saved  (KwbProject *project);

G_END_DECLS
