/* kwb-watch-private.h — what KwbWatch changes in its KwbWatchValue nodes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The watch tree is two types, the model (kwb-watch.c: GDB variable objects,
 * list walks, per-CPU copies) and its nodes (kwb-watch-value.c: what a row
 * shows). Only the model writes a node; the setters notify, so rows follow.
 */
#pragma once

#include "kwb-watch-value.h"

G_BEGIN_DECLS

KwbWatchValue *_kwb_watch_value_new              (KwbWatchValueKind  kind,
                                                  KwbWatchValue     *parent,
                                                  const char        *name);
void           _kwb_watch_value_set_type_name    (KwbWatchValue     *self,
                                                  const char        *type_name);
/* Sets the value and whether it differs from the previous stop's. */
void           _kwb_watch_value_set_value        (KwbWatchValue     *self,
                                                  const char        *value,
                                                  gboolean           error);
void           _kwb_watch_value_set_has_children (KwbWatchValue     *self,
                                                  gboolean           has_children);
/* A new stop: the value now shown becomes the one changes compare with. */
void           _kwb_watch_value_take_baseline    (KwbWatchValue     *self);
GListStore    *_kwb_watch_value_get_store        (KwbWatchValue     *self);
void           _kwb_watch_value_set_expression   (KwbWatchValue     *self,
                                                  const char        *expression);

/* The GDB variable object behind the node (NULL before it exists), and
 * whether it is a root object (-var-create) or a child one. */
const char    *_kwb_watch_value_get_varobj       (KwbWatchValue     *self);
void           _kwb_watch_value_set_varobj       (KwbWatchValue     *self,
                                                  const char        *varobj);
/* The node's children were read and are kept up to date at each refresh. */
gboolean       _kwb_watch_value_get_fetched      (KwbWatchValue     *self);
void           _kwb_watch_value_set_fetched      (KwbWatchValue     *self,
                                                  gboolean           fetched);
/* TYPE ("struct task_struct") and MEMBER of a list walk, or NULL. */
const char    *_kwb_watch_value_get_walk_type    (KwbWatchValue     *self);
const char    *_kwb_watch_value_get_walk_member  (KwbWatchValue     *self);
void           _kwb_watch_value_set_walk         (KwbWatchValue     *self,
                                                  const char        *type,
                                                  const char        *member);
/* The node's children are final (a per-CPU variable's CPUs once the
 * kernel has fixed which CPUs are possible). */
gboolean       _kwb_watch_value_get_settled      (KwbWatchValue     *self);
void           _kwb_watch_value_set_settled      (KwbWatchValue     *self,
                                                  gboolean           settled);
guint64        _kwb_watch_value_get_address      (KwbWatchValue     *self);
void           _kwb_watch_value_set_address      (KwbWatchValue     *self,
                                                  guint64            address);

G_END_DECLS
