/* kwb-summary-page.h — the wizard's last page: the choices, the build and Start Debugging
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project-page.h"

G_BEGIN_DECLS

#define KWB_TYPE_SUMMARY_PAGE (kwb_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbSummaryPage, kwb_summary_page, KWB, SUMMARY_PAGE, AdwBin)

KwbSummaryPage *kwb_summary_page_new          (KwbProject      *project);
void            kwb_summary_page_fill         (KwbSummaryPage  *self,
                                               KwbProjectPage **pages,
                                               guint            n_pages);
gboolean        kwb_summary_page_get_building (KwbSummaryPage  *self);

G_END_DECLS
