/* kwb-build-panel.h — build BusyBox, the kernel and the initramfs with a progress bar each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_BUILD_PANEL (kwb_build_panel_get_type ())
G_DECLARE_FINAL_TYPE (KwbBuildPanel, kwb_build_panel, KWB, BUILD_PANEL, GtkBox)

KwbBuildPanel *kwb_build_panel_new           (KwbProject    *project);
KwbProject    *kwb_build_panel_get_project   (KwbBuildPanel *self);
void           kwb_build_panel_start         (KwbBuildPanel *self);
void           kwb_build_panel_cancel        (KwbBuildPanel *self);
gboolean       kwb_build_panel_get_running   (KwbBuildPanel *self);
gboolean       kwb_build_panel_get_succeeded (KwbBuildPanel *self);
GtkWindow     *kwb_build_panel_present_window (KwbProject   *project,
                                               GtkWindow    *parent);

G_END_DECLS
