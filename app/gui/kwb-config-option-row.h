/* kwb-config-option-row.h — a switch for one kernel debug option, kept in [kernel] extra-config
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project-row.h"

G_BEGIN_DECLS

#define KWB_TYPE_CONFIG_OPTION_ROW (kwb_config_option_row_get_type ())
G_DECLARE_FINAL_TYPE (KwbConfigOptionRow, kwb_config_option_row, KWB, CONFIG_OPTION_ROW, KwbProjectRow)

G_END_DECLS
