/* kwb-window.h — the main window: run controls, sidebar, source, console, status
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-application.h"
#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_WINDOW (kwb_window_get_type ())
G_DECLARE_FINAL_TYPE (KwbWindow, kwb_window, KWB, WINDOW, AdwApplicationWindow)

KwbWindow  *kwb_window_new                 (KwbApplication *application);
gboolean    kwb_window_open_project        (KwbWindow      *self,
                                            const char     *directory,
                                            GError        **error);
void        kwb_window_show_project_error  (KwbWindow      *self,
                                            const GError   *error);
KwbProject *kwb_window_get_project         (KwbWindow      *self);
gboolean    kwb_window_has_project         (KwbWindow      *self);
gboolean    kwb_window_get_session_active  (KwbWindow      *self);
void        kwb_window_set_session_active  (KwbWindow      *self,
                                            gboolean        session_active);

G_END_DECLS
