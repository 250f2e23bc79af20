/* kwb-project-page-private.h — what the page classes and their rows share with KwbProjectPage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "kwb-project-page.h"

G_BEGIN_DECLS

gboolean      kwb_project_page_is_loading         (KwbProjectPage *self);
gboolean      kwb_project_page_is_disposed        (KwbProjectPage *self);
void          kwb_project_page_set_complete       (KwbProjectPage *self,
                                                   gboolean        complete);
void          kwb_project_page_show_error         (KwbProjectPage *self,
                                                   const char     *message);
gboolean      kwb_project_page_save               (KwbProjectPage *self);
void          kwb_project_page_set_value          (KwbProjectPage *self,
                                                   const char     *group,
                                                   const char     *key,
                                                   const char     *value);
gboolean      kwb_project_page_set_string_list    (KwbProjectPage     *self,
                                                   const char         *group,
                                                   const char         *key,
                                                   const char * const *items);
char         *kwb_project_page_absolute_path      (KwbProjectPage *self,
                                                   const char     *text);
GCancellable *kwb_project_page_renew_cancellable  (KwbProjectPage *self);
void          kwb_project_page_cancel             (KwbProjectPage *self);

/* For rows bound to a key: writes through the page the row is on, so an
 * error shows on that page. */
void          kwb_project_row_write               (GtkWidget      *row,
                                                   KwbProject     *project,
                                                   const char     *group,
                                                   const char     *key,
                                                   const char     *value);
void          kwb_project_row_write_list          (GtkWidget          *row,
                                                   KwbProject         *project,
                                                   const char         *group,
                                                   const char         *key,
                                                   const char * const *items);
/* Text shown as is in a row's subtitle (which takes markup). */
void          kwb_action_row_set_plain_subtitle   (AdwActionRow   *row,
                                                   const char     *text);

G_END_DECLS
