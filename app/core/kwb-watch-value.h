/* kwb-watch-value.h — one row of the watch tree: a value, its type, its children
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A node of a KwbWatch: an expression the user added, a struct member, an
 * element of a walked list, or one CPU's copy of a per-CPU variable. Its
 * children are a GListModel that stays empty until the node is expanded
 * (kwb_watch_expand_async()): the GUI hands it to a GtkTreeListModel, kwb
 * prints it. "Changed" compares the value with what it was at the previous
 * stop, so a value refreshed twice at one stop keeps its highlight.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  KWB_WATCH_VALUE_EXPRESSION, /* a value GDB evaluates: an expression, a member */
  KWB_WATCH_VALUE_PER_CPU,    /* percpu:VAR: one child per possible CPU */
  KWB_WATCH_VALUE_CPU,        /* one CPU's copy of a per-CPU variable */
  KWB_WATCH_VALUE_ELEMENT,    /* an element of a walked list (container_of) */
} KwbWatchValueKind;

#define KWB_TYPE_WATCH_VALUE (kwb_watch_value_get_type ())
G_DECLARE_FINAL_TYPE (KwbWatchValue, kwb_watch_value, KWB, WATCH_VALUE, GObject)

KwbWatchValueKind  kwb_watch_value_get_kind         (KwbWatchValue *self);
const char        *kwb_watch_value_get_name         (KwbWatchValue *self);
const char        *kwb_watch_value_get_type_name    (KwbWatchValue *self);
/* GDB's text for the value ("42", "0xffff… <init_task>", "{...}"), or why
 * it could not be read (then get_error is TRUE). */
const char        *kwb_watch_value_get_value        (KwbWatchValue *self);
gboolean           kwb_watch_value_get_error        (KwbWatchValue *self);
gboolean           kwb_watch_value_get_has_children (KwbWatchValue *self);
gboolean           kwb_watch_value_get_changed      (KwbWatchValue *self);
/* Empty until expanded; items are KwbWatchValue. */
GListModel        *kwb_watch_value_get_children     (KwbWatchValue *self);
KwbWatchValue     *kwb_watch_value_get_parent       (KwbWatchValue *self);
guint              kwb_watch_value_get_depth        (KwbWatchValue *self);
/* TRUE for a `struct list_head` or `struct hlist_head`: it can be walked. */
gboolean           kwb_watch_value_get_is_list_head (KwbWatchValue *self);
/* "task_struct.tasks" when walked as a list, else NULL. */
char              *kwb_watch_value_dup_walk         (KwbWatchValue *self);
/* The C expression of this value when known (roots, CPUs, elements, and
 * members once kwb_watch_dup_expression_async() asked GDB), else NULL. */
const char        *kwb_watch_value_get_expression   (KwbWatchValue *self);
/* The names from the root down to this value. */
GStrv              kwb_watch_value_dup_path         (KwbWatchValue *self);

G_END_DECLS
