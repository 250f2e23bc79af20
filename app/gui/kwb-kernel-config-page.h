/* kwb-kernel-config-page.h — the kernel configuration page: profile, debug options and the configuration check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_KERNEL_CONFIG_PAGE (kwb_kernel_config_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbKernelConfigPage, kwb_kernel_config_page, KWB, KERNEL_CONFIG_PAGE, KwbProjectPage)

G_END_DECLS
