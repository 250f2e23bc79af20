/* kwb-machine-page.h — the virtual machine page: memory, CPUs, command line and how a session starts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_MACHINE_PAGE (kwb_machine_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbMachinePage, kwb_machine_page, KWB, MACHINE_PAGE, KwbProjectPage)

G_END_DECLS
