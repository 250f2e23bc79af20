/* kwb-project-spin-row.h — a row that edits one project key with a spin
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project-row.h"

G_BEGIN_DECLS

#define KWB_TYPE_PROJECT_SPIN_ROW (kwb_project_spin_row_get_type ())
G_DECLARE_FINAL_TYPE (KwbProjectSpinRow, kwb_project_spin_row, KWB, PROJECT_SPIN_ROW, KwbProjectRow)

G_END_DECLS
