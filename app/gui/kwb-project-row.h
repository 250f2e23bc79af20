/* kwb-project-row.h — the base of the rows that edit one project key
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_PROJECT_ROW (kwb_project_row_get_type ())
G_DECLARE_DERIVABLE_TYPE (KwbProjectRow, kwb_project_row, KWB, PROJECT_ROW, AdwActionRow)

struct _KwbProjectRowClass
{
  AdwActionRowClass parent_class;

  /* Shows the key's value (project, group and key are set); nothing is
   * written meanwhile. */
  void (*load) (KwbProjectRow *self);
};

KwbProject *kwb_project_row_get_project (KwbProjectRow *self);
const char *kwb_project_row_get_group   (KwbProjectRow *self);
const char *kwb_project_row_get_key     (KwbProjectRow *self);
void        kwb_project_row_set_key     (KwbProjectRow *self,
                                         const char    *group,
                                         const char    *key);
gboolean    kwb_project_row_is_loading  (KwbProjectRow *self);
void        kwb_project_row_save        (KwbProjectRow *self,
                                         const char    *value);
void        kwb_project_row_save_list   (KwbProjectRow      *self,
                                         const char * const *items);
char       *kwb_project_row_dup_control_name (KwbProjectRow *self,
                                              const char    *suffix);

G_END_DECLS
