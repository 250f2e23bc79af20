/* kwb-path-row.h — an entry row for a path, with a Choose… button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KWB_TYPE_PATH_ROW (kwb_path_row_get_type ())
G_DECLARE_FINAL_TYPE (KwbPathRow, kwb_path_row, KWB, PATH_ROW, AdwEntryRow)

G_END_DECLS
