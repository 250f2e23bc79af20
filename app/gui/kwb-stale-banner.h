/* kwb-stale-banner.h — "The vmlinux is older than the source: Rebuild"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_STALE_BANNER (kwb_stale_banner_get_type ())
G_DECLARE_FINAL_TYPE (KwbStaleBanner, kwb_stale_banner, KWB, STALE_BANNER, GtkWidget)

KwbProject *kwb_stale_banner_get_project (KwbStaleBanner *self);
void        kwb_stale_banner_set_project (KwbStaleBanner *self,
                                          KwbProject     *project);
gboolean    kwb_stale_banner_check       (KwbStaleBanner *self);

G_END_DECLS
