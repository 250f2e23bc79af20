/* kwb-source-page.h — the kernel source page: a Debian package, a folder or a git clone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_SOURCE_PAGE (kwb_source_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbSourcePage, kwb_source_page, KWB, SOURCE_PAGE, KwbProjectPage)

G_END_DECLS
