/* kwb-source-status.h — the header's source tree state (branch, commit, dirty) and Build button
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_SOURCE_STATUS (kwb_source_status_get_type ())
G_DECLARE_FINAL_TYPE (KwbSourceStatus, kwb_source_status, KWB, SOURCE_STATUS, GtkBox)

KwbProject *kwb_source_status_get_project (KwbSourceStatus *self);
void        kwb_source_status_set_project (KwbSourceStatus *self,
                                           KwbProject      *project);
void        kwb_source_status_refresh     (KwbSourceStatus *self);

G_END_DECLS
