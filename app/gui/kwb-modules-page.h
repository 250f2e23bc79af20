/* kwb-modules-page.h — the sidebar's Modules page, bound to a KwbModules model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-modules.h"

G_BEGIN_DECLS

#define KWB_TYPE_MODULES_PAGE (kwb_modules_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbModulesPage, kwb_modules_page, KWB, MODULES_PAGE, GtkWidget)

GtkWidget  *kwb_modules_page_new                (void);
/* NULL when no session runs: the page says how modules appear. */
void        kwb_modules_page_set_modules        (KwbModulesPage *self,
                                                 KwbModules     *modules);
KwbModules *kwb_modules_page_get_modules        (KwbModulesPage *self);
/* The rows shown (after the filter). */
GListModel *kwb_modules_page_get_model          (KwbModulesPage *self);
void        kwb_modules_page_set_filter_text    (KwbModulesPage *self,
                                                 const char     *text);
/* What the row menu's "Load Symbols From…" does once a file is chosen. */
void        kwb_modules_page_load_symbols_from  (KwbModulesPage *self,
                                                 KwbModule      *module,
                                                 GFile          *ko);
/* The row texts, as shown (for tests and accessibility). */
char       *kwb_modules_page_dup_row_subtitle   (KwbModule      *module);

G_END_DECLS
