/* kwb-quick-open.h — Ctrl+O: fuzzy file-name search over the kernel source tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KWB_TYPE_QUICK_OPEN (kwb_quick_open_get_type ())
G_DECLARE_FINAL_TYPE (KwbQuickOpen, kwb_quick_open, KWB, QUICK_OPEN, AdwWindow)

KwbQuickOpen *kwb_quick_open_new          (GtkWindow    *parent,
                                           const char   *source_dir);
const char   *kwb_quick_open_get_source_dir (KwbQuickOpen *self);
/* TRUE once the tree has been listed (in a thread, once per tree). */
gboolean      kwb_quick_open_get_ready    (KwbQuickOpen *self);
guint         kwb_quick_open_get_n_files  (KwbQuickOpen *self);
void          kwb_quick_open_set_query    (KwbQuickOpen *self,
                                           const char   *query);
/* Paths relative to the tree, best match first. */
GListModel   *kwb_quick_open_get_results  (KwbQuickOpen *self);
void          kwb_quick_open_activate     (KwbQuickOpen *self,
                                           guint         position);

/* The scoring, exposed for tests: -1 when QUERY is not a subsequence. */
int           kwb_quick_open_score        (const char   *path,
                                           const char   *query);

G_END_DECLS
