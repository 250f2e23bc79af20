/* kwb-recent-projects.h — the recent and the last project folders, kept in GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GSettings *kwb_recent_projects_get_settings (void);
void       kwb_recent_projects_add          (const char *directory);
char     **kwb_recent_projects_list         (void);
char      *kwb_recent_projects_dup_last     (void);

G_END_DECLS
