/* test-tasks.c — the task list read from guest memory on the fixture kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. The guest's shell
 * starts a `sleep` in the background and calls sync, where a breakpoint
 * stops it. KwbTaskList must then list the very tasks the kernel's own
 * lx-ps lists in the same session (same task_struct addresses, PIDs and
 * names, in the same order), plus the idle task of each other CPU; mark
 * one current task per online CPU, `sync` being the stopped CPU's; and
 * unwind the sleeping `sleep`'s kernel stack into several frames with
 * source lines, from schedule() down to the system call's entry, without
 * changing what GDB shows for the stopped CPU. Works on a uniprocessor
 * kernel as on SMP. Every wait has a deadline; no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

static const char *kernel_name = "6.1";

typedef struct {
  gboolean    done;
  GError     *error;
  GListModel *frames;
} Call;

static void
frames_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call *call = user_data;

  call->frames = kwb_task_list_list_frames_finish (KWB_TASK_LIST (object), result, &call->error);
  call->done = TRUE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  g_error ("no answer within 240 s");
  return G_SOURCE_REMOVE;
}

static void
wait_call (Call *call)
{
  guint id = g_timeout_add_seconds (240, deadline_cb, NULL);

  while (!call->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
}

static void
refresh (KwbTestGuest *guest,
         KwbTaskList  *list)
{
  KWB_TEST_GUEST_CALL (guest, kwb_task_list_refresh_async (list, NULL, kwb_test_guest_done_cb, guest));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_test_message ("%c %5d %5d %3u %c %s", kwb_task_get_is_current (task) ? '*' : ' ',
                      kwb_task_get_pid (task), kwb_task_get_tgid (task), kwb_task_get_cpu (task),
                      kwb_task_get_state (task), kwb_task_get_comm (task));
    }
}

static GListModel *
list_frames (KwbTaskList  *list,
             KwbTask      *task,
             GError      **error)
{
  Call call = { 0 };

  kwb_task_list_list_frames_async (list, task, NULL, frames_cb, &call);
  wait_call (&call);
  if (call.error != NULL)
    g_propagate_error (error, call.error);
  return call.frames;
}

/* The background `sleep`: BusyBox runs its applets through /proc/self/exe,
 * so its command name may be "exe". */
static KwbTask *
find_sleeper (KwbTaskList *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (kwb_task_get_state (task) == 'S' && !kwb_task_get_kernel_thread (task) &&
          (g_str_equal (kwb_task_get_comm (task), "sleep") || g_str_equal (kwb_task_get_comm (task), "exe")))
        return task;
    }
  return NULL;
}

static KwbTask *
find_task (KwbTaskList *list,
           const char  *comm)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (g_str_equal (kwb_task_get_comm (task), comm))
        return task;
    }
  return NULL;
}

/* An idle task of a CPU other than the first: the one kind of task we
 * show that no task list (and so no lx-ps) holds. */
static gboolean
is_other_idle (KwbTask *task)
{
  return kwb_task_get_pid (task) == 0 && kwb_task_get_cpu (task) != 0 &&
         g_str_has_prefix (kwb_task_get_comm (task), "swapper/");
}

/* lx-ps prints "ADDRESS  PID  COMM" under a header: the same lines made
 * from our items. */
static void
compare_with_lx_ps (KwbTestGuest *guest,
                    KwbTaskList  *list)
{
  g_autoptr(GPtrArray) ours = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) theirs = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) lines = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (!is_other_idle (task))
        g_ptr_array_add (ours, g_strdup_printf ("0x%" G_GINT64_MODIFIER "x %d %s", kwb_task_get_address (task),
                                                kwb_task_get_pid (task), kwb_task_get_comm (task)));
    }
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "lx-ps", NULL,
                                                         kwb_test_guest_done_cb, guest));
  lines = g_strsplit (guest->text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) words = NULL;
      char *pid_end;
      const char *comm;

      g_strstrip (lines[i]);
      if (!g_str_has_prefix (lines[i], "0x"))
        continue;
      /* "0xffff888003d08000   12  kworker/0:1" */
      words = g_strsplit_set (lines[i], " ", 2);
      g_assert_nonnull (words[1]);
      g_strchug (words[1]);
      g_ascii_strtoll (words[1], &pid_end, 10);
      comm = pid_end;
      while (*comm == ' ')
        comm++;
      g_ptr_array_add (theirs, g_strdup_printf ("%s %.*s %s", words[0], (int) (pid_end - words[1]), words[1], comm));
    }
  g_assert_cmpuint (theirs->len, >=, 10);
  g_assert_cmpuint (ours->len, ==, theirs->len);
  for (guint i = 0; i < ours->len; i++)
    g_assert_cmpstr (g_ptr_array_index (ours, i), ==, g_ptr_array_index (theirs, i));
}

static guint
n_with_source (GListModel *frames)
{
  guint with_source = 0;

  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);

      if (kwb_frame_get_file (frame) != NULL && kwb_frame_get_line (frame) > 0)
        {
          with_source++;
          /* The file is one on this machine, for the source view. */
          g_assert_true (g_file_test (kwb_frame_get_fullname (frame), G_FILE_TEST_IS_REGULAR));
        }
    }
  return with_source;
}

static gboolean
has_frame (GListModel *frames,
           const char *fragment)
{
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);

      if (strstr (kwb_frame_get_function (frame), fragment) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
print_frames (const char *what,
              GListModel *frames)
{
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);

      g_test_message ("%s #%u %s %s:%u", what, i, kwb_frame_get_function (frame),
                      kwb_frame_get_file (frame), kwb_frame_get_line (frame));
    }
}

static void
check_sleeping_stack (KwbTaskList *list)
{
  KwbTask *sleep_task = find_sleeper (list);
  KwbTask *kthreadd = find_task (list, "kthreadd");
  g_autoptr(GListModel) frames = NULL;
  g_autoptr(GListModel) kframes = NULL;
  g_autoptr(KwbFrame) top = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  g_assert_nonnull (sleep_task);
  g_assert_cmpint (kwb_task_get_state (sleep_task), ==, 'S');
  g_assert_false (kwb_task_get_is_current (sleep_task));
  g_assert_false (kwb_task_get_kernel_thread (sleep_task));
  frames = list_frames (list, sleep_task, &error);
  g_assert_no_error (error);
  print_frames ("sleep", frames);
  n = g_list_model_get_n_items (frames);
  g_assert_cmpuint (n, >=, 5);
  g_assert_cmpuint (n_with_source (frames), >=, 4);
  top = g_list_model_get_item (frames, 0);
  g_assert_cmpstr (kwb_frame_get_function (top), ==, "__schedule");
  g_assert_cmpuint (kwb_frame_get_level (top), ==, 0);
  g_assert_true (has_frame (frames, "nanosleep"));
  g_assert_true (has_frame (frames, "do_syscall_64"));

  /* A kernel thread's stack ends where it was forked. */
  g_assert_nonnull (kthreadd);
  g_assert_true (kwb_task_get_kernel_thread (kthreadd));
  kframes = list_frames (list, kthreadd, &error);
  g_assert_no_error (error);
  print_frames ("kthreadd", kframes);
  g_assert_true (has_frame (kframes, "kthreadd"));
  g_assert_true (has_frame (kframes, "ret_from_fork"));
  g_assert_cmpuint (n_with_source (kframes), >=, 2);
}

/* One current task per online CPU; the stopped CPU's is `sync`, whose
 * stack is GDB's own backtrace. */
static void
check_current (KwbTestGuest *guest,
               KwbTaskList  *list)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (list));
  guint n_cpus = kwb_task_list_get_n_cpus (list);
  guint n_current = 0;
  gint stopped = kwb_task_list_get_stopped_cpu (list);
  KwbTask *sync_task = find_task (list, "sync");
  g_autoptr(GListModel) frames = NULL;
  g_autoptr(KwbFrame) top = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (n_cpus, >=, 1);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (kwb_task_get_is_current (task))
        {
          n_current++;
          g_assert_true (kwb_task_get_on_cpu (task));
          g_assert_true (kwb_task_list_get_current (list, kwb_task_get_cpu (task)) == task);
        }
      g_assert_cmpuint (kwb_task_get_cpu (task), <, 64);
      g_assert_true (g_utf8_validate (kwb_task_get_comm (task), -1, NULL));
      g_assert_cmpuint (kwb_task_get_stack (task) % 4096, ==, 0);
    }
  g_assert_cmpuint (n_current, ==, n_cpus);

  g_assert_nonnull (sync_task);
  g_assert_true (kwb_task_get_is_current (sync_task));
  g_assert_cmpint (kwb_task_get_state (sync_task), ==, 'R');
  g_assert_cmpint (stopped, ==, (gint) kwb_task_get_cpu (sync_task));
  frames = list_frames (list, sync_task, &error);
  g_assert_no_error (error);
  top = g_list_model_get_item (frames, 0);
  g_assert_nonnull (top);
  g_assert_true (strstr (kwb_frame_get_function (top), "sync") != NULL);

  /* On SMP the other CPU runs its idle task or something else: either
   * way its stack is not in memory. */
  for (guint cpu = 0; cpu < 64; cpu++)
    {
      KwbTask *current = kwb_task_list_get_current (list, cpu);
      g_autoptr(GListModel) none = NULL;

      if (current == NULL || (gint) cpu == stopped)
        continue;
      none = list_frames (list, current, &error);
      g_assert_null (none);
      g_assert_error (error, KWB_TASK_LIST_ERROR, KWB_TASK_LIST_ERROR_RUNNING);
      g_clear_error (&error);
    }
  g_test_message ("CPUs online: %u", n_cpus);
}

static void
test_tasks (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync");
  g_autoptr(KwbTaskList) list = NULL;
  guint n;

  g_assert_nonnull (guest);
  list = kwb_task_list_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  /* The foreground sleep lets the background one go to sleep first. */
  kwb_test_guest_type (guest, "sleep 1000 & sleep 1; sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  refresh (guest, list);
  n = g_list_model_get_n_items (G_LIST_MODEL (list));
  g_assert_cmpuint (n, >=, 10);
  {
    g_autoptr(KwbTask) first = g_list_model_get_item (G_LIST_MODEL (list), 0);

    g_assert_cmpint (kwb_task_get_pid (first), ==, 0);
    /* "swapper" on a uniprocessor kernel, "swapper/0" on SMP */
    g_assert_true (g_str_has_prefix (kwb_task_get_comm (first), "swapper"));
  }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (list), i);

      if (kwb_task_get_pid (task) != 1)
        continue;
      /* The first process, whatever the initramfs calls it. */
      g_assert_cmpint (kwb_task_get_tgid (task), ==, 1);
      g_assert_false (kwb_task_get_kernel_thread (task));
      g_assert_cmpint (kwb_task_get_state (task), ==, 'S');
      break;
    }
  if (kwb_task_list_get_n_cpus (list) > 1)
    g_assert_nonnull (find_task (list, "swapper/1"));
  compare_with_lx_ps (guest, list);
  check_current (guest, list);
  check_sleeping_stack (list);

  /* None of it moved GDB: the stopped CPU's backtrace is still sync's. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "frame", NULL,
                                                         kwb_test_guest_done_cb, guest));
  g_assert_nonnull (strstr (guest->text, "sync"));

  /* Refreshed again at the same stop: the same tasks. */
  refresh (guest, list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
  compare_with_lx_ps (guest, list);

  /* Next stop: a new sync, the sleeps still there. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 2);
  refresh (guest, list);
  compare_with_lx_ps (guest, list);
  g_assert_true (kwb_task_get_is_current (find_task (list, "sync")));
  check_sleeping_stack (list);

  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  g_test_add_func ("/tasks/stop", test_tasks);
  return g_test_run ();
}
