/* kwb-project-page.h — one page of project choices, shared by the wizard and Project Settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "kwb-project.h"

G_BEGIN_DECLS

/* The pages, in the wizard's order. */
typedef enum {
  KWB_PROJECT_PAGE_SOURCE,
  KWB_PROJECT_PAGE_BUSYBOX,
  KWB_PROJECT_PAGE_INITRAMFS,
  KWB_PROJECT_PAGE_KERNEL,
  KWB_PROJECT_PAGE_MACHINE,
  KWB_N_PROJECT_PAGES,
} KwbProjectPageKind;

#define KWB_TYPE_PROJECT_PAGE (kwb_project_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (KwbProjectPage, kwb_project_page, KWB, PROJECT_PAGE, AdwPreferencesPage)

struct _KwbProjectPageClass
{
  AdwPreferencesPageClass parent_class;

  /* Fills the page from its project; nothing written meanwhile. */
  void   (*load)        (KwbProjectPage *self);
  /* Then checks what the project has, as the user would see it (may write
   * back what it accepted, an absolute path for one). */
  void   (*check)       (KwbProjectPage *self);
  /* One line for the wizard's summary. */
  char  *(*dup_summary) (KwbProjectPage *self);
};


KwbProjectPage *kwb_project_page_new          (KwbProject         *project,
                                               KwbProjectPageKind  kind);
const char     *kwb_project_page_get_id       (KwbProjectPage     *self);
KwbProject     *kwb_project_page_get_project  (KwbProjectPage     *self);
gboolean        kwb_project_page_get_complete (KwbProjectPage     *self);
const char     *kwb_project_page_get_error    (KwbProjectPage     *self);
char           *kwb_project_page_dup_summary  (KwbProjectPage     *self);

G_END_DECLS
