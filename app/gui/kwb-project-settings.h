/* kwb-project-settings.h — Project Settings: the wizard's pages as a preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_PROJECT_SETTINGS (kwb_project_settings_get_type ())
G_DECLARE_FINAL_TYPE (KwbProjectSettings, kwb_project_settings, KWB, PROJECT_SETTINGS, AdwPreferencesWindow)

KwbProjectSettings *kwb_project_settings_new (KwbProject *project,
                                              GtkWindow  *parent);

G_END_DECLS
