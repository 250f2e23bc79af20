/* kwb-recordings-page.h — the sidebar's Recordings page: the project's recorded runs, to replay or delete
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "kwb-project.h"
#include "kwb-recording.h"

G_BEGIN_DECLS

#define KWB_TYPE_RECORDINGS_PAGE (kwb_recordings_page_get_type ())
G_DECLARE_FINAL_TYPE (KwbRecordingsPage, kwb_recordings_page, KWB, RECORDINGS_PAGE, GtkWidget)

GtkWidget  *kwb_recordings_page_new              (void);
/* NULL: no project; the page says how recordings appear. Lists
 * PROJECT/recordings and follows changes there. */
void        kwb_recordings_page_set_project      (KwbRecordingsPage *self,
                                                  KwbProject        *project);
/* Reads the folder again (after a recording ended). */
void        kwb_recordings_page_reload           (KwbRecordingsPage *self);
/* The recordings shown, newest first (KwbRecording items). */
GListModel *kwb_recordings_page_get_model        (KwbRecordingsPage *self);
/* What the delete button does once confirmed. */
gboolean    kwb_recordings_page_delete_recording (KwbRecordingsPage *self,
                                                  KwbRecording      *recording,
                                                  GError           **error);
/* Asks first, as the row's delete button does. Returns the dialog (owned by
 * GTK), which closes itself once answered. */
GtkWidget  *kwb_recordings_page_ask_delete       (KwbRecordingsPage *self,
                                                  KwbRecording      *recording);
/* The row texts, as shown (for tests and accessibility). */
char       *kwb_recordings_page_dup_row_title    (KwbRecording      *recording);
char       *kwb_recordings_page_dup_row_subtitle (KwbRecording      *recording);

G_END_DECLS
