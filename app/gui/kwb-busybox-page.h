/* kwb-busybox-page.h — the BusyBox page: the host's static binary, a source tree or another binary
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_BUSYBOX_PAGE (kwb_busybox_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbBusyboxPage, kwb_busybox_page, KWB, BUSYBOX_PAGE, KwbProjectPage)

G_END_DECLS
