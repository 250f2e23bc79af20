/* test-watch.c — the watch tree on the fixture kernels, checked against GDB and the kernel's own helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. The guest's shell
 * calls sync, where a breakpoint stops it; there KwbWatch must show
 * - a struct two levels deep with the values GDB prints for each member;
 * - init_task.tasks walked as task_struct.tasks: the tasks lx-ps lists;
 * - per-CPU variables with the values $lx_per_cpu gives for CPU 0 and 1;
 * and after one more stop, jiffies changed and init_task.pid not.
 * Every wait has a deadline that fails the test; no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

static const char *kernel_name = "6.1";

static void
watch_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  KwbTestGuest *guest = user_data;
  gpointer tag = g_task_get_source_tag (G_TASK (result));
  KwbWatch *watch = KWB_WATCH (object);

  g_clear_error (&guest->error);
  g_clear_pointer (&guest->text, g_free);
  if (tag == kwb_watch_refresh_async)
    kwb_watch_refresh_finish (watch, result, &guest->error);
  else if (tag == kwb_watch_expand_async)
    kwb_watch_expand_finish (watch, result, &guest->error);
  else if (tag == kwb_watch_walk_async)
    kwb_watch_walk_finish (watch, result, &guest->error);
  else if (tag == kwb_watch_dup_expression_async)
    guest->text = kwb_watch_dup_expression_finish (watch, result, &guest->error);
  else
    g_error ("watch_done_cb: an async call it does not know");
  guest->done = TRUE;
}

#define REFRESH(guest, watch) \
  KWB_TEST_GUEST_CALL (guest, kwb_watch_refresh_async (watch, NULL, watch_done_cb, guest))
#define EXPAND(guest, watch, value) \
  KWB_TEST_GUEST_CALL (guest, kwb_watch_expand_async (watch, value, NULL, watch_done_cb, guest))

static char *
evaluate (KwbTestGuest *guest,
          const char   *expression)
{
  KWB_TEST_GUEST_CALL (guest, kwb_session_evaluate_async (guest->session, expression, NULL,
                                                          kwb_test_guest_done_cb, guest));
  return g_steal_pointer (&guest->text);
}

static char *
console (KwbTestGuest *guest,
         const char   *command)
{
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, command, NULL,
                                                         kwb_test_guest_done_cb, guest));
  return g_steal_pointer (&guest->text);
}

static KwbWatchValue *
child (KwbWatchValue *value,
       const char    *name)
{
  GListModel *children = kwb_watch_value_get_children (value);

  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(KwbWatchValue) c = g_list_model_get_item (children, i);

      if (g_str_equal (kwb_watch_value_get_name (c), name))
        return c;
    }
  g_error ("%s has no child %s", kwb_watch_value_get_name (value), name);
}

/* Every member down to depth two, expanded through the model, has the
 * value `print EXPR.a.b` gives (members behind pointers are checked
 * through their pointer's expression). */
static guint
check_struct (KwbTestGuest  *guest,
              KwbWatch      *watch,
              KwbWatchValue *value,
              const char    *expression,
              guint          depth)
{
  GListModel *children = kwb_watch_value_get_children (value);
  guint checked = 0;

  if (depth == 2 || !kwb_watch_value_get_has_children (value))
    return 0;
  EXPAND (guest, watch, value);
  g_assert_cmpuint (g_list_model_get_n_items (children), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (children); i++)
    {
      g_autoptr(KwbWatchValue) c = g_list_model_get_item (children, i);
      const char *name = kwb_watch_value_get_name (c);
      g_autofree char *path = NULL;
      g_autofree char *printed = NULL;

      g_assert_false (kwb_watch_value_get_error (c));
      if (!g_ascii_isalpha (name[0]) && name[0] != '_')
        continue; /* anonymous unions, array elements */
      path = g_strdup_printf (g_str_has_suffix (kwb_watch_value_get_type_name (value), "*") ? "(%s)->%s" : "(%s).%s",
                              expression, name);
      if (!kwb_watch_value_get_has_children (c))
        {
          printed = evaluate (guest, path);
          g_assert_cmpstr (kwb_watch_value_get_value (c), ==, printed);
          checked++;
        }
      /* The model knows the C expression of any member. */
      KWB_TEST_GUEST_CALL (guest, kwb_watch_dup_expression_async (watch, c, NULL, watch_done_cb, guest));
      g_assert_nonnull (guest->text);
      checked += check_struct (guest, watch, c, path, depth + 1);
    }
  return checked;
}

/* lx-ps: "0xffff888001234000 <pid> <comm>" per task; the addresses. */
static GHashTable *
lx_ps_tasks (KwbTestGuest *guest)
{
  g_autofree char *text = console (guest, "lx-ps");
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GHashTable *tasks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = g_strsplit_set (g_strstrip (lines[i]), " ", 2);

      if (fields[0] == NULL || !g_str_has_prefix (fields[0], "0x") || fields[1] == NULL)
        continue;
      g_hash_table_insert (tasks, g_strdup (fields[0]), g_strdup (g_strstrip (fields[1])));
    }
  return tasks;
}

static void
check_walk (KwbTestGuest *guest,
            KwbWatch     *watch)
{
  KwbWatchValue *head = kwb_watch_add (watch, "init_task.tasks");
  g_autoptr(GHashTable) tasks = NULL;
  g_autofree char *init = NULL;
  GListModel *elements;
  g_autoptr(KwbWatchValue) first = NULL;
  g_autofree char *first_pid = NULL;
  g_autofree char *walk = NULL;
  guint n;

  REFRESH (guest, watch);
  g_assert_true (kwb_watch_value_get_is_list_head (head));
  KWB_TEST_GUEST_CALL (guest, kwb_watch_walk_async (watch, head, "task_struct.tasks", NULL, watch_done_cb, guest));
  walk = kwb_watch_value_dup_walk (head);
  g_assert_cmpstr (walk, ==, "task_struct.tasks");
  elements = kwb_watch_value_get_children (head);
  n = g_list_model_get_n_items (elements);

  /* The tasks lx-ps lists are init_task and the ones on its list: no
   * fixture task has a second thread. */
  tasks = lx_ps_tasks (guest);
  init = evaluate (guest, "&init_task");
  g_assert_true (g_hash_table_contains (tasks, strtok (init, " ")));
  g_assert_cmpuint (n, >, 3);
  g_assert_cmpuint (n + 1, ==, g_hash_table_size (tasks));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbWatchValue) element = g_list_model_get_item (elements, i);
      const char *address = kwb_watch_value_get_value (element);

      g_assert_cmpint (kwb_watch_value_get_kind (element), ==, KWB_WATCH_VALUE_ELEMENT);
      g_assert_cmpstr (kwb_watch_value_get_type_name (element), ==, "struct task_struct");
      g_assert_true (g_hash_table_contains (tasks, address));
    }

  /* An element expands to its task: pid as lx-ps says. */
  first = g_list_model_get_item (elements, 0);
  EXPAND (guest, watch, first);
  first_pid = g_strdup (g_hash_table_lookup (tasks, kwb_watch_value_get_value (first)));
  *strchr (first_pid, ' ') = '\0';
  g_assert_cmpstr (kwb_watch_value_get_value (child (first, "pid")), ==, first_pid);

  /* Refreshed, the walk keeps its elements; walked back, the head shows
   * its own members again. */
  REFRESH (guest, watch);
  g_assert_cmpuint (g_list_model_get_n_items (elements), ==, n);
  g_assert_cmpstr (kwb_watch_value_get_value (child (first, "pid")), ==, first_pid);
  KWB_TEST_GUEST_CALL (guest, kwb_watch_walk_async (watch, head, NULL, NULL, watch_done_cb, guest));
  g_assert_cmpuint (g_list_model_get_n_items (elements), ==, 2);
  g_assert_nonnull (child (head, "next"));
  kwb_watch_remove (watch, head);
}

static void
check_per_cpu (KwbTestGuest *guest,
               KwbWatch     *watch)
{
  KwbWatchValue *number = kwb_watch_add (watch, "percpu:this_cpu_off");
  KwbWatchValue *rq = kwb_watch_add (watch, "percpu:runqueues");
  gboolean new_helper = g_str_equal (kernel_name, "6.12");
  g_autofree char *possible = evaluate (guest, "__cpu_possible_mask.bits[0]");
  guint n_cpus = g_bit_nth_msf (g_ascii_strtoull (possible, NULL, 10), -1) + 1;
  GListModel *cpus;

  /* The fixture projects boot two CPUs, both brought up. */
  g_test_message ("%s: %u possible CPUs", kernel_name, n_cpus);
  g_assert_cmpuint (n_cpus, ==, 2);
  REFRESH (guest, watch);
  EXPAND (guest, watch, number);
  EXPAND (guest, watch, rq);
  g_assert_cmpint (kwb_watch_value_get_kind (rq), ==, KWB_WATCH_VALUE_PER_CPU);
  g_assert_cmpstr (kwb_watch_value_get_type_name (rq), ==, "struct rq");
  cpus = kwb_watch_value_get_children (rq);
  g_assert_cmpuint (g_list_model_get_n_items (cpus), ==, n_cpus);
  g_assert_cmpuint (g_list_model_get_n_items (kwb_watch_value_get_children (number)), ==, n_cpus);
  for (guint cpu = 0; cpu < n_cpus; cpu++)
    {
      g_autoptr(KwbWatchValue) copy = g_list_model_get_item (cpus, cpu);
      g_autoptr(KwbWatchValue) id = g_list_model_get_item (kwb_watch_value_get_children (number), cpu);
      g_autofree char *name = g_strdup_printf ("CPU %u", cpu);
      g_autofree char *theirs_id = NULL;
      g_autofree char *theirs_switches = NULL;
      g_autofree char *theirs_cpu = NULL;
      g_autofree char *expression = NULL;

      g_assert_cmpstr (kwb_watch_value_get_name (copy), ==, name);
      g_assert_cmpint (kwb_watch_value_get_kind (copy), ==, KWB_WATCH_VALUE_CPU);
      /* this_cpu_off holds the CPU's own per-CPU offset. */
      expression = g_strdup_printf (new_helper ? "$lx_per_cpu(this_cpu_off, %u)" : "$lx_per_cpu(\"this_cpu_off\", %u)", cpu);
      theirs_id = evaluate (guest, expression);
      g_assert_cmpstr (kwb_watch_value_get_value (id), ==, theirs_id);
      g_free (expression);
      expression = g_strdup_printf ("__per_cpu_offset[%u]", cpu);
      g_free (theirs_id);
      theirs_id = evaluate (guest, expression);
      g_assert_cmpstr (kwb_watch_value_get_value (id), ==, theirs_id);
      g_assert_cmpuint (g_ascii_strtoull (theirs_id, NULL, 10), !=, 0);

      EXPAND (guest, watch, copy);
      g_free (expression);
      expression = g_strdup_printf (new_helper ? "$lx_per_cpu(runqueues, %u).nr_switches"
                                               : "$lx_per_cpu(\"runqueues\", %u).nr_switches", cpu);
      theirs_switches = evaluate (guest, expression);
      g_assert_cmpstr (kwb_watch_value_get_value (child (copy, "nr_switches")), ==, theirs_switches);
      g_free (expression);
      expression = g_strdup_printf (new_helper ? "$lx_per_cpu(runqueues, %u).cpu" : "$lx_per_cpu(\"runqueues\", %u).cpu", cpu);
      theirs_cpu = evaluate (guest, expression);
      g_assert_cmpstr (kwb_watch_value_get_value (child (copy, "cpu")), ==, theirs_cpu);
    }
  kwb_watch_remove (watch, number);
  kwb_watch_remove (watch, rq);
}

static void
test_watch (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync");
  g_autoptr(KwbWatch) watch = NULL;
  KwbWatchValue *se, *jiffies, *pid, *missing;
  g_autofree char *printed = NULL;
  g_auto(GStrv) expressions = NULL;
  GError *error = NULL;
  char *type = NULL, *member = NULL;

  g_assert_nonnull (guest);
  watch = kwb_watch_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  se = kwb_watch_add (watch, "init_task.se");
  jiffies = kwb_watch_add (watch, "jiffies");
  pid = kwb_watch_add (watch, "init_task.pid");
  missing = kwb_watch_add (watch, "no_such_symbol_here");
  expressions = kwb_watch_dup_expressions (watch);
  g_assert_cmpstr (expressions[3], ==, "no_such_symbol_here");
  REFRESH (guest, watch);
  g_assert_cmpstr (kwb_watch_value_get_type_name (se), ==, "struct sched_entity");
  g_assert_cmpstr (kwb_watch_value_get_value (se), ==, "{...}");
  printed = evaluate (guest, "jiffies");
  g_assert_cmpstr (kwb_watch_value_get_value (jiffies), ==, printed);
  g_assert_cmpstr (kwb_watch_value_get_value (pid), ==, "0");
  g_assert_true (kwb_watch_value_get_error (missing));
  g_assert_nonnull (strstr (kwb_watch_value_get_value (missing), "no_such_symbol_here"));
  g_assert_false (kwb_watch_value_get_changed (jiffies));
  g_test_message ("jiffies at stop 1: %s", kwb_watch_value_get_value (jiffies));
  g_assert_cmpuint (check_struct (guest, watch, se, "init_task.se", 0), >=, 8);

  check_walk (guest, watch);
  check_per_cpu (guest, watch);

  g_assert_false (kwb_watch_parse_walk ("task_struct", &type, &member, &error));
  g_assert_error (error, KWB_WATCH_ERROR, KWB_WATCH_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (kwb_watch_parse_walk ("task_struct.tasks; kill", &type, &member, &error));
  g_clear_error (&error);
  g_assert_true (kwb_watch_parse_walk ("struct task_struct.se.group_node", &type, &member, &error));
  g_assert_cmpstr (type, ==, "struct task_struct");
  g_assert_cmpstr (member, ==, "se.group_node");
  g_free (type);
  g_free (member);

  /* Next stop: time moved on, init's pid did not. Refreshed twice at
   * that stop, the change is still shown. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_type (guest, "sleep 1; sync\r");
  kwb_test_guest_wait_stops (guest, 2);
  for (guint round = 0; round < 2; round++)
    {
      REFRESH (guest, watch);
      g_test_message ("jiffies at stop 2: %s", kwb_watch_value_get_value (jiffies));
      g_assert_true (kwb_watch_value_get_changed (jiffies));
      g_assert_false (kwb_watch_value_get_changed (pid));
      g_assert_false (kwb_watch_value_get_changed (missing));
    }
  g_clear_pointer (&printed, g_free);
  printed = evaluate (guest, "jiffies");
  g_assert_cmpstr (kwb_watch_value_get_value (jiffies), ==, printed);

  /* Asked while the guest runs, the model says so instead of reading. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  guest->done = FALSE;
  kwb_watch_refresh_async (watch, NULL, watch_done_cb, guest);
  while (!guest->done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (guest->error, KWB_WATCH_ERROR, KWB_WATCH_ERROR_NOT_STOPPED);
  g_clear_error (&guest->error);

  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  g_test_add_func ("/watch/stops", test_watch);
  return g_test_run ();
}
