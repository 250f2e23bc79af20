/* kwb-application.h — the Kernel Workbench application: actions, windows, style
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KWB_TYPE_APPLICATION (kwb_application_get_type ())
G_DECLARE_FINAL_TYPE (KwbApplication, kwb_application, KWB, APPLICATION, AdwApplication)

KwbApplication *kwb_application_new (void);

G_END_DECLS
