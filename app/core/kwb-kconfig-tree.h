/* kwb-kconfig-tree.h — a small Kconfig scanner: which option depends on and selects what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _KwbKconfigTree KwbKconfigTree;

/* Looks a symbol's value up ("y", "m", "n", a number or a "string"), NULL
 * when the configuration does not have it. */
typedef const char *(*KwbKconfigLookup) (gpointer    user_data,
                                         const char *symbol);

KwbKconfigTree *kwb_kconfig_tree_load          (const char        *srctree,
                                                const char        *srcarch,
                                                GError           **error);
KwbKconfigTree *kwb_kconfig_tree_new_from_text (const char        *kconfig_text);
void            kwb_kconfig_tree_free          (KwbKconfigTree    *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KwbKconfigTree, kwb_kconfig_tree_free)

guint           kwb_kconfig_tree_get_n_symbols (KwbKconfigTree    *tree);
gboolean        kwb_kconfig_tree_has_symbol    (KwbKconfigTree    *tree,
                                                const char        *symbol);
gboolean        kwb_kconfig_tree_has_prompt    (KwbKconfigTree    *tree,
                                                const char        *symbol);
char           *kwb_kconfig_tree_dup_depends   (KwbKconfigTree    *tree,
                                                const char        *symbol);
GPtrArray      *kwb_kconfig_tree_get_selectors (KwbKconfigTree    *tree,
                                                const char        *symbol);
int             kwb_kconfig_tree_eval          (KwbKconfigTree    *tree,
                                                const char        *expression,
                                                KwbKconfigLookup   lookup,
                                                gpointer           user_data);
GPtrArray      *kwb_kconfig_tree_dup_blockers  (KwbKconfigTree    *tree,
                                                const char        *symbol,
                                                KwbKconfigLookup   lookup,
                                                gpointer           user_data);

G_END_DECLS
