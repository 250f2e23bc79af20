/* kwb-project-entry-row.h — a row that edits one project key with a entry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_PROJECT_ENTRY_ROW (kwb_project_entry_row_get_type ())
G_DECLARE_FINAL_TYPE (KwbProjectEntryRow, kwb_project_entry_row, KWB, PROJECT_ENTRY_ROW, AdwEntryRow)

G_END_DECLS
