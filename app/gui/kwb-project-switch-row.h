/* kwb-project-switch-row.h — a row that edits one project key with a switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project-row.h"

G_BEGIN_DECLS

#define KWB_TYPE_PROJECT_SWITCH_ROW (kwb_project_switch_row_get_type ())
G_DECLARE_FINAL_TYPE (KwbProjectSwitchRow, kwb_project_switch_row, KWB, PROJECT_SWITCH_ROW, KwbProjectRow)

G_END_DECLS
