/* kwb-crash-banner.h — "Oops in FUNC at FILE:LINE" over the source view at a crash stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-core.h"

G_BEGIN_DECLS

#define KWB_TYPE_CRASH_BANNER (kwb_crash_banner_get_type ())
G_DECLARE_FINAL_TYPE (KwbCrashBanner, kwb_crash_banner, KWB, CRASH_BANNER, GtkWidget)

GtkWidget *kwb_crash_banner_new       (void);
/* Shows CRASH (stopped at STOP), or hides the banner for NULL. */
void       kwb_crash_banner_set_crash (KwbCrashBanner   *self,
                                       KwbCrash         *crash,
                                       const KwbGdbStop *stop);
KwbCrash  *kwb_crash_banner_get_crash (KwbCrashBanner   *self);

G_END_DECLS
