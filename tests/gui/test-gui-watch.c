/* test-gui-watch.c — the Watch panel on a real session (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window starts the fixture kernel (a stop at start_kernel), the Watch
 * panel gets jiffies, init_task.pid, init_task.tasks and percpu:runqueues from
 * its entry; then the guest boots to the shell and stops in sync. There
 * the window's refresh (::kernel-view-refreshed::watch) must show jiffies
 * changed (accent, bold) and init_task.pid not; expanding the per-CPU row
 * shows one row per possible CPU, expanding a CPU its struct rq; init_task.tasks
 * walked as task_struct.tasks shows the tasks. A screenshot goes to
 * BUILD/tests/gui/screenshots/watch.png. The Frames panel's locals are the
 * same tree: start_kernel's command_line shows there (watch-locals.png).
 * Needs KWB_FIXTURE_PROJECT.
 */
#include "config.h"

#include <adwaita.h>

#include "kwb-core.h"
#include "kwb-watch-view.h"
#include "kwb-test-gtk-utils.h"
#include "kwb-test-session.h"

typedef struct {
  KwbWindow    *window;
  KwbSession   *session;
  KwbWatchView *view;
  guint         refreshed;
  const char   *func;
  gboolean      done;
  char         *answer;   /* what an evaluation returned */
} Wait;

static gboolean
stopped_in (gpointer data)
{
  Wait *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  if (kwb_session_get_state (w->session) == KWB_SESSION_STATE_FAILED)
    g_error ("The session failed: %s", kwb_session_get_failure_reason (w->session));
  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         stop->func != NULL && strstr (stop->func, w->func) != NULL;
}

static gboolean
running (gpointer data)
{
  Wait *w = data;

  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_RUNNING;
}

static gboolean
shell_ready (gpointer data)
{
  Wait *w = data;
  VteTerminal *terminal = kwb_console_get_terminal (kwb_window_get_console (w->window));
  long col, row;
  g_autofree char *text = NULL;

  vte_terminal_get_cursor_position (terminal, &col, &row);
  text = vte_terminal_get_text_range (terminal, 0, 0, row, vte_terminal_get_column_count (terminal),
                                      NULL, NULL, NULL);
  return text != NULL && (strstr (text, "/ # ") != NULL || strstr (text, "Please press Enter") != NULL);
}

static void
on_refreshed (KwbWindow  *window,
              const char *panel,
              Wait       *w)
{
  g_assert_cmpstr (panel, ==, "watch");
  w->refreshed++;
}

static gboolean
refreshed (gpointer data)
{
  return ((Wait *) data)->refreshed > 0;
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;
  g_autoptr(GError) error = NULL;
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == kwb_watch_walk_async)
    kwb_watch_walk_finish (KWB_WATCH (object), result, &error);
  else if (tag == kwb_session_evaluate_async)
    {
      g_free (w->answer);
      w->answer = kwb_session_evaluate_finish (KWB_SESSION (object), result, &error);
    }
  else
    g_object_unref (kwb_session_break_insert_finish (KWB_SESSION (object), result, &error));
  g_assert_no_error (error);
  w->done = TRUE;
}

/* The shown row whose value is named NAME (and whose parent is PARENT). */
static GtkTreeListRow *
find_row (Wait          *w,
          KwbWatchValue *parent,
          const char    *name)
{
  GListModel *rows = kwb_watch_view_get_rows (w->view);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(KwbWatchValue) value = gtk_tree_list_row_get_item (row);

      if (g_str_equal (kwb_watch_value_get_name (value), name) && kwb_watch_value_get_parent (value) == parent)
        return g_steal_pointer (&row);
    }
  return NULL;
}

static KwbWatchValue *
root (Wait       *w,
      const char *name)
{
  g_autoptr(GtkTreeListRow) row = find_row (w, NULL, name);

  g_assert_nonnull (row);
  return gtk_tree_list_row_get_item (row);
}

typedef struct {
  Wait       *w;
  const char *root;
  const char *child;
} RowWait;

static gboolean
row_shown (gpointer data)
{
  RowWait *r = data;
  g_autoptr(KwbWatchValue) parent = root (r->w, r->root);
  g_autoptr(GtkTreeListRow) row = find_row (r->w, parent, r->child);

  return row != NULL;
}

/* start_kernel's local command_line, a char *, read and expandable. */
static gboolean
command_line_read (gpointer data)
{
  Wait *w = data;
  g_autoptr(GtkTreeListRow) row = find_row (w, NULL, "command_line");
  g_autoptr(KwbWatchValue) value = row ? gtk_tree_list_row_get_item (row) : NULL;

  return value != NULL && g_str_has_prefix (kwb_watch_value_get_value (value), "0x") &&
         g_strcmp0 (kwb_watch_value_get_type_name (value), "char *") == 0 && gtk_tree_list_row_is_expandable (row);
}

static gboolean
roots_read (gpointer data)
{
  Wait *w = data;
  GListModel *roots = G_LIST_MODEL (kwb_watch_view_get_model (w->view));

  for (guint i = 0; i < g_list_model_get_n_items (roots); i++)
    {
      g_autoptr(KwbWatchValue) value = g_list_model_get_item (roots, i);

      if (*kwb_watch_value_get_value (value) == '\0')
        return FALSE;
    }
  return g_list_model_get_n_items (roots) == 4;
}

/* The value label of the row of VALUE on screen. */
static GtkWidget *
value_label (Wait          *w,
             KwbWatchValue *value)
{
  {
    GQueue queue = G_QUEUE_INIT;

    g_queue_push_tail (&queue, w->view);
    while (!g_queue_is_empty (&queue))
      {
        GtkWidget *widget = g_queue_pop_head (&queue);

        if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "monospace") &&
            g_strcmp0 (gtk_label_get_label (GTK_LABEL (widget)), kwb_watch_value_get_value (value)) == 0)
          return widget;
        for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
          g_queue_push_tail (&queue, c);
      }
  }
  return NULL;
}

static void
check_watch (KwbApplication *app,
             KwbWindow      *window,
             gpointer        data)
{
  Wait w = { window };
  g_autoptr(KwbWatchValue) jiffies = NULL;
  g_autoptr(KwbWatchValue) pid = NULL;
  g_autoptr(KwbWatchValue) tasks = NULL;
  g_autoptr(GtkTreeListRow) rq_row = NULL;
  g_autoptr(GtkTreeListRow) cpu_row = NULL;
  g_autoptr(GtkTreeListRow) tasks_row = NULL;
  g_autoptr(KwbWatchValue) rq = NULL;
  RowWait r = { &w };
  Wait locals = { window };
  GtkWidget *label;
  g_autofree char *last_cpu = NULL;

  g_signal_connect (window, "kernel-view-refreshed::watch", G_CALLBACK (on_refreshed), &w);
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  g_assert_nonnull (w.session);
  w.func = "start_kernel";
  kwb_test_wait_until (stopped_in, &w, "a stop in start_kernel");

  /* The frame's locals are the same tree, without an entry. */
  kwb_frames_panel_show_page (kwb_window_get_frames_panel (window), "locals");
  locals.view = KWB_WATCH_VIEW (kwb_test_require_widget (GTK_WIDGET (window), "locals_tree"));
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (GTK_WIDGET (locals.view), "watch_entry")));
  kwb_test_wait_until (command_line_read, &locals, "start_kernel's locals in the tree");
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "watch-locals.png");
  kwb_frames_panel_show_page (kwb_window_get_frames_panel (window), "backtrace");

  kwb_window_show_panel (window, "watch");
  w.view = KWB_WATCH_VIEW (kwb_test_require_widget (GTK_WIDGET (window), "watch_view"));
  g_assert_nonnull (w.view);
  kwb_test_wait_until (refreshed, &w, "the watch panel's refresh when shown");
  /* Typed in the entry, read at once: the guest is stopped. */
  for (guint i = 0; i < 4; i++)
    {
      const char *expressions[] = { "jiffies", "init_task.pid", "init_task.tasks", "percpu:runqueues" };
      GtkWidget *entry = kwb_test_require_widget (w.view, "watch_entry");

      gtk_editable_set_text (GTK_EDITABLE (entry), expressions[i]);
      g_signal_emit_by_name (entry, "activate");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
    }
  kwb_test_wait_until (roots_read, &w, "the four expressions read");
  jiffies = root (&w, "jiffies");
  pid = root (&w, "init_task.pid");
  g_assert_false (kwb_watch_value_get_changed (jiffies));

  /* On to the shell, then a stop in sync. */
  w.done = FALSE;
  kwb_session_break_insert_async (w.session, "__do_sys_sync", KWB_GDB_BREAK_NONE, NULL, NULL, done_cb, &w);
  kwb_test_wait_until (kwb_test_flag_set, &w.done, "the breakpoint in sync");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_until (running, &w, "the guest running");
  kwb_test_wait_until (shell_ready, &w, "the BusyBox shell in the console");
  w.refreshed = 0;
  vte_terminal_feed_child (kwb_console_get_terminal (kwb_window_get_console (window)), "\nsync\n", -1);
  w.func = "sync";
  kwb_test_wait_until (stopped_in, &w, "a stop in sync");
  kwb_test_wait_until (refreshed, &w, "the watch panel's refresh at the stop");

  g_assert_true (kwb_watch_value_get_changed (jiffies));
  g_assert_false (kwb_watch_value_get_changed (pid));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  label = value_label (&w, jiffies);
  g_assert_nonnull (label);
  g_assert_true (gtk_widget_has_css_class (label, "accent"));
  g_assert_true (gtk_widget_has_css_class (label, "heading"));
  label = value_label (&w, pid);
  g_assert_nonnull (label);
  g_assert_false (gtk_widget_has_css_class (label, "accent"));

  /* Expanded: one row per CPU, and a CPU's struct rq. */
  rq_row = find_row (&w, NULL, "runqueues");
  g_assert_nonnull (rq_row);
  rq = gtk_tree_list_row_get_item (rq_row);
  g_assert_true (gtk_tree_list_row_is_expandable (rq_row));
  gtk_tree_list_row_set_expanded (rq_row, TRUE);
  /* The last possible CPU's row: CPU 1. */
  {
    guint64 possible = 0;

    w.done = FALSE;
    kwb_session_evaluate_async (w.session, "__cpu_possible_mask.bits[0]", NULL, done_cb, &w);
    kwb_test_wait_until (kwb_test_flag_set, &w.done, "the possible CPUs");
    possible = g_ascii_strtoull (w.answer, NULL, 10);
    g_assert_cmpuint (possible, !=, 0);
    g_assert_cmpuint (possible, ==, 3);
    last_cpu = g_strdup_printf ("CPU %d", g_bit_nth_msf (possible, -1));
  }
  r.root = "runqueues";
  r.child = last_cpu;
  kwb_test_wait_until (row_shown, &r, "the last CPU's row");
  cpu_row = find_row (&w, rq, "CPU 0");
  g_assert_nonnull (cpu_row);
  gtk_tree_list_row_set_expanded (cpu_row, TRUE);
  {
    g_autoptr(KwbWatchValue) cpu0 = gtk_tree_list_row_get_item (cpu_row);
    GListModel *members = kwb_watch_value_get_children (cpu0);

    while (g_list_model_get_n_items (members) == 0)
      g_main_context_iteration (NULL, TRUE);
    g_assert_nonnull (find_row (&w, cpu0, "nr_running"));
  }

  /* init_task.tasks walked as task_struct.tasks: its rows are the tasks. */
  tasks_row = find_row (&w, NULL, "init_task.tasks");
  tasks = gtk_tree_list_row_get_item (tasks_row);
  g_assert_true (kwb_watch_value_get_is_list_head (tasks));
  w.done = FALSE;
  kwb_watch_walk_async (kwb_watch_view_get_model (w.view), tasks, "task_struct.tasks", NULL, done_cb, &w);
  kwb_test_wait_until (kwb_test_flag_set, &w.done, "the walk");
  gtk_tree_list_row_set_expanded (tasks_row, TRUE);
  r.root = "init_task.tasks";
  r.child = "[3]";
  kwb_test_wait_until (row_shown, &r, "the walked tasks' rows");

  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "watch.png");

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_free (w.answer);
}

static void
test_watch_panel (void)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = kwb_test_make_session_project ();
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, check_watch, NULL);
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_func ("/gui/watch/panel", test_watch_panel);
  return g_test_run ();
}
