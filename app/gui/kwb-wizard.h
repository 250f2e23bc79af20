/* kwb-wizard.h — the new-project assistant: welcome, five choice pages, summary and build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

#define KWB_TYPE_WIZARD (kwb_wizard_get_type ())
G_DECLARE_FINAL_TYPE (KwbWizard, kwb_wizard, KWB, WIZARD, AdwApplicationWindow)

KwbWizard  *kwb_wizard_new             (GtkApplication *application,
                                        KwbProject     *project);
KwbProject *kwb_wizard_get_project     (KwbWizard      *self);
gboolean    kwb_wizard_create_project  (KwbWizard      *self,
                                        const char     *directory,
                                        GError        **error);
const char *kwb_wizard_get_page        (KwbWizard      *self);
void        kwb_wizard_set_page        (KwbWizard      *self,
                                        const char     *page);
GtkWidget  *kwb_wizard_get_page_widget (KwbWizard      *self,
                                        const char     *page);

G_END_DECLS
