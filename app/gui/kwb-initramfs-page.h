/* kwb-initramfs-page.h — the initramfs page: boot files, extra files and kernel modules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_INITRAMFS_PAGE (kwb_initramfs_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbInitramfsPage, kwb_initramfs_page, KWB, INITRAMFS_PAGE, KwbProjectPage)

G_END_DECLS
