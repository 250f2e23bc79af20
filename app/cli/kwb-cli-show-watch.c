/* kwb-cli-show-watch.c — kwb debug --show watch:EXPR and percpu:VAR: the watch tree at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both kinds are one KwbWatch with one root, read two levels deep at each
 * stop (a struct's members and theirs; a per-CPU variable's CPUs and their
 * members). Text: an indented tree, "NAME = VALUE  (TYPE)", a line starting
 * with "*" when its value changed since the previous stop. JSON: one event
 * per value, {"event":"watch"|"percpu","path":"a/b/c","depth":…,"name":…,
 * "type":…,"value":…,"changed":…,"error":…}; path names the value from its
 * root down, "/"-separated.
 */
#include "config.h"

#include <stdio.h>

#include "kwb-cli-show.h"

#define EXPAND_DEPTH 2

static KwbKernelView *
new_watch (KwbSession *session,
           const char *expression)
{
  KwbWatch *watch = kwb_watch_new (session);

  kwb_watch_set_expand_depth (watch, EXPAND_DEPTH);
  kwb_watch_add (watch, expression);
  return KWB_KERNEL_VIEW (watch);
}

KwbKernelView *
kwb_cli_show_watch_new (KwbSession *session,
                        const char *arg)
{
  return new_watch (session, arg);
}

KwbKernelView *
kwb_cli_show_percpu_new (KwbSession *session,
                         const char *arg)
{
  g_autofree char *spec = g_strconcat (KWB_WATCH_PER_CPU_PREFIX, arg, NULL);

  return new_watch (session, spec);
}

static void
print_value (KwbWatchValue *value,
             const char    *event,
             gboolean       json)
{
  GListModel *children = kwb_watch_value_get_children (value);
  guint depth = kwb_watch_value_get_depth (value);
  guint n = g_list_model_get_n_items (children);

  if (json)
    {
      g_autoptr(JsonBuilder) b = kwb_cli_json_begin (event);
      g_auto(GStrv) path = kwb_watch_value_dup_path (value);
      g_autofree char *joined = g_strjoinv ("/", path);

      kwb_cli_json_add_text (b, "path", joined, -1);
      kwb_cli_json_add_int (b, "depth", depth);
      kwb_cli_json_add_text (b, "name", kwb_watch_value_get_name (value), -1);
      kwb_cli_json_add_text (b, "type", kwb_watch_value_get_type_name (value), -1);
      kwb_cli_json_add_text (b, "value", kwb_watch_value_get_value (value), -1);
      kwb_cli_json_add_bool (b, "changed", kwb_watch_value_get_changed (value));
      kwb_cli_json_add_bool (b, "error", kwb_watch_value_get_error (value));
      kwb_cli_json_print (b);
    }
  else
    {
      const char *type = kwb_watch_value_get_type_name (value);

      printf ("%c %*s%s = %s%s%s%s\n", kwb_watch_value_get_changed (value) ? '*' : ' ',
              (int) depth * 2, "", kwb_watch_value_get_name (value), kwb_watch_value_get_value (value),
              *type ? "  (" : "", type, *type ? ")" : "");
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbWatchValue) child = g_list_model_get_item (children, i);

      print_value (child, event, json);
    }
}

static void
print_watch (KwbKernelView *view,
             const char    *event,
             gboolean       json)
{
  GListModel *roots = G_LIST_MODEL (view);

  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr(KwbWatchValue) root = g_list_model_get_item (roots, i);

      print_value (root, event, json);
    }
}

void
kwb_cli_show_watch_print (KwbKernelView *view,
                          const char    *arg,
                          gboolean       json)
{
  print_watch (view, "watch", json);
}

void
kwb_cli_show_percpu_print (KwbKernelView *view,
                           const char    *arg,
                           gboolean       json)
{
  print_watch (view, "percpu", json);
}
