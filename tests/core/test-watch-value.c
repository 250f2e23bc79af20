/* test-watch-value.c — the watch tree's nodes and walk specs, without a guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a row shows must not depend on GDB: "changed" compares with the
 * value at the previous stop (never with nothing, never with an error),
 * list heads are recognised through qualifiers, paths name a value from
 * its root, and walk specs accept only TYPE.MEMBER.
 */
#include "config.h"

#include "kwb-core.h"
#include "kwb-watch-private.h"

static void
test_changed (void)
{
  g_autoptr(KwbWatchValue) v = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, NULL, "jiffies");

  /* The first stop: nothing to compare with. */
  _kwb_watch_value_take_baseline (v);
  _kwb_watch_value_set_value (v, "100", FALSE);
  g_assert_false (kwb_watch_value_get_changed (v));
  /* The next stop: a new value is a change, and stays one however often
   * it is read again at that stop. */
  _kwb_watch_value_take_baseline (v);
  _kwb_watch_value_set_value (v, "105", FALSE);
  g_assert_true (kwb_watch_value_get_changed (v));
  _kwb_watch_value_set_value (v, "105", FALSE);
  g_assert_true (kwb_watch_value_get_changed (v));
  /* A stop where it did not move. */
  _kwb_watch_value_take_baseline (v);
  g_assert_false (kwb_watch_value_get_changed (v));
  _kwb_watch_value_set_value (v, "105", FALSE);
  g_assert_false (kwb_watch_value_get_changed (v));
  /* An error is no value to change from or to. */
  _kwb_watch_value_set_value (v, "Cannot access memory at address 0x0", TRUE);
  g_assert_false (kwb_watch_value_get_changed (v));
  g_assert_true (kwb_watch_value_get_error (v));
  _kwb_watch_value_take_baseline (v);
  _kwb_watch_value_set_value (v, "7", FALSE);
  g_assert_false (kwb_watch_value_get_changed (v));
}

static void
test_tree (void)
{
  g_autoptr(KwbWatchValue) root = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, NULL, "init_task");
  g_autoptr(KwbWatchValue) tasks = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, root, "tasks");
  g_autoptr(KwbWatchValue) pid = _kwb_watch_value_new (KWB_WATCH_VALUE_EXPRESSION, root, "pid");
  g_auto(GStrv) path = NULL;
  g_autofree char *walk = NULL;

  g_list_store_append (_kwb_watch_value_get_store (root), tasks);
  g_list_store_append (_kwb_watch_value_get_store (root), pid);
  g_assert_cmpuint (g_list_model_get_n_items (kwb_watch_value_get_children (root)), ==, 2);
  g_assert_cmpuint (kwb_watch_value_get_depth (tasks), ==, 1);
  path = kwb_watch_value_dup_path (tasks);
  g_assert_cmpstrv (path, ((const char *[]) { "init_task", "tasks", NULL }));

  _kwb_watch_value_set_type_name (tasks, "const struct list_head");
  g_assert_true (kwb_watch_value_get_is_list_head (tasks));
  _kwb_watch_value_set_type_name (tasks, "struct hlist_head");
  g_assert_true (kwb_watch_value_get_is_list_head (tasks));
  _kwb_watch_value_set_type_name (tasks, "struct list_head *");
  g_assert_false (kwb_watch_value_get_is_list_head (tasks));
  _kwb_watch_value_set_type_name (pid, "pid_t");
  g_assert_false (kwb_watch_value_get_is_list_head (pid));

  g_assert_null (kwb_watch_value_dup_walk (tasks));
  _kwb_watch_value_set_walk (tasks, "struct task_struct", "tasks");
  walk = kwb_watch_value_dup_walk (tasks);
  g_assert_cmpstr (walk, ==, "task_struct.tasks");
}

static void
test_parse_walk (void)
{
  const char *bad[] = { "", "task_struct", ".tasks", "task_struct.", "task struct.tasks", "a.b..c",
                        "task_struct.tasks)", "1abc.tasks", "task_struct.tasks; p 1", NULL };
  char *type = NULL, *member = NULL;
  GError *error = NULL;

  g_assert_true (kwb_watch_parse_walk (" task_struct.tasks ", &type, &member, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "struct task_struct");
  g_assert_cmpstr (member, ==, "tasks");
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&member, g_free);
  g_assert_true (kwb_watch_parse_walk ("struct module.list", &type, &member, NULL));
  g_assert_cmpstr (type, ==, "struct module");
  g_assert_cmpstr (member, ==, "list");
  g_clear_pointer (&type, g_free);
  g_clear_pointer (&member, g_free);
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_assert_false (kwb_watch_parse_walk (bad[i], &type, &member, &error));
      g_assert_error (error, KWB_WATCH_ERROR, KWB_WATCH_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_null (type);
      g_assert_null (member);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/watch-value/changed", test_changed);
  g_test_add_func ("/watch-value/tree", test_tree);
  g_test_add_func ("/watch-value/parse-walk", test_parse_walk);
  return g_test_run ();
}
