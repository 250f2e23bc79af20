/* test-gui-tasks.c — the Tasks panel on a real session at 1280×800
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixture project (KWB_FIXTURE_VMLINUX, KWB_FIXTURE_INITRAMFS) boots to
 * BusyBox's shell with a breakpoint in sync. The test types a background
 * sleep and sync in the console; at the stop it brings the Tasks panel on
 * screen, waits for ::kernel-view-refreshed::tasks, and checks the rows:
 * the kernel's tasks with sync current and highlighted. Selecting the
 * sleeping task puts its kernel stack, with source lines, in the Frames
 * panel under its name, and its frames open their source lines;
 * selecting sync gives GDB's backtrace back.
 * Screenshots (light and dark): tests/gui/screenshots/tasks-*.png.
 */
#include "config.h"

#include <string.h>

#include "kwb-frames-panel.h"
#include "kwb-project-trust.h"
#include "kwb-tasks-view.h"
#include "kwb-test-gtk-utils.h"

typedef struct {
  KwbWindow    *window;
  KwbTasksView *view;
  const char   *text;
  guint         n_refreshed;
  gboolean      stack_shown;
} Wait;

/* What the console's screen shows (the prompt is on it). */
static gboolean
terminal_has (gpointer data)
{
  Wait *w = data;
  VteTerminal *terminal = kwb_console_get_terminal (kwb_window_get_console (w->window));
  g_autofree char *text = terminal ? vte_terminal_get_text (terminal, NULL, NULL, NULL) : NULL;

  return text != NULL && strstr (text, w->text) != NULL;
}

static gboolean
stopped_in_sync (gpointer data)
{
  Wait *w = data;
  KwbSession *session = kwb_window_get_session (w->window);
  const KwbGdbStop *stop = session ? kwb_session_get_last_stop (session) : NULL;

  return session != NULL && kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED &&
         stop != NULL && stop->func != NULL && strstr (stop->func, "sync") != NULL;
}

static gboolean
shows_hrtimer_c (gpointer data)
{
  KwbSourceView *view = kwb_window_get_visible_source (((Wait *) data)->window);

  return view != NULL && kwb_source_view_get_path (view) != NULL &&
         g_str_has_suffix (kwb_source_view_get_path (view), "/kernel/time/hrtimer.c");
}

static gboolean
refreshed (gpointer data)
{
  return ((Wait *) data)->n_refreshed > 0;
}

static gboolean
stack_shown (gpointer data)
{
  return ((Wait *) data)->stack_shown;
}

static void
on_refreshed (KwbWindow  *window,
              const char *id,
              Wait       *w)
{
  g_assert_cmpstr (id, ==, "tasks");
  w->n_refreshed++;
}

static void
on_stack_shown (KwbTasksView *view,
                KwbTask      *task,
                Wait         *w)
{
  w->stack_shown = TRUE;
}

/* The rows GTK made for the table, as text: "PID TGID CPU STATE COMMAND". */
static GListModel *
shown_model (KwbTasksView *view)
{
  GtkColumnView *table = GTK_COLUMN_VIEW (kwb_test_require_widget (view, "tasks_table"));

  return G_LIST_MODEL (gtk_column_view_get_model (table));
}

static KwbTask *
find_sleeper (GListModel *model)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (model, i);

      if (kwb_task_get_state (task) == 'S' && !kwb_task_get_kernel_thread (task) &&
          (g_str_equal (kwb_task_get_comm (task), "sleep") || g_str_equal (kwb_task_get_comm (task), "exe")))
        return task;
    }
  return NULL;
}

/* Labels drawn in the table that are bold and in the accent colour. */
static guint
n_highlighted_labels (GtkWidget *widget)
{
  guint n = 0;

  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "accent") &&
      gtk_widget_has_css_class (widget, "heading"))
    n++;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += n_highlighted_labels (child);
  return n;
}

static void
check_tasks (KwbApplication *app,
             KwbWindow      *window,
             gpointer        data)
{
  Wait w = { window };
  KwbFramesPanel *frames_panel = kwb_window_get_frames_panel (window);
  VteTerminal *terminal;
  GListModel *model, *backtrace;
  KwbTask *sleeper;
  guint n_sync = 0, n_with_source = 0;

  g_assert_true (kwb_window_start_session (window));
  w.text = "Please press Enter";
  kwb_test_wait_until_full (terminal_has, &w, 240, "the BusyBox shell in the console");
  /* The session's own terminal, made when it started. */
  terminal = kwb_console_get_terminal (kwb_window_get_console (window));
  vte_terminal_feed_child (terminal, "\n", -1);
  w.text = "/ # ";
  kwb_test_wait_until (terminal_has, &w, "the shell prompt");
  /* The foreground sleep lets the background one go to sleep first. */
  vte_terminal_feed_child (terminal, "sleep 1000 & sleep 1; sync\n", -1);
  kwb_test_wait_until (stopped_in_sync, &w, "the stop in sync");

  /* Brought on screen at the stop: refreshed then. */
  w.view = KWB_TASKS_VIEW (kwb_test_find_by_type (GTK_WIDGET (window), KWB_TYPE_TASKS_VIEW));
  g_assert_nonnull (w.view);
  g_signal_connect (window, "kernel-view-refreshed::tasks", G_CALLBACK (on_refreshed), &w);
  g_signal_connect (w.view, "stack-shown", G_CALLBACK (on_stack_shown), &w);
  kwb_window_show_panel (window, "tasks");
  kwb_test_wait_until (refreshed, &w, "the tasks panel's refresh");
  g_assert_null (kwb_window_get_last_toast (window));

  model = shown_model (w.view);
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 10);
  g_assert_cmpuint (kwb_tasks_view_get_n_shown (w.view), ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (model, i);

      if (g_str_equal (kwb_task_get_comm (task), "sync"))
        {
          n_sync++;
          g_assert_true (kwb_task_get_is_current (task));
        }
    }
  g_assert_cmpuint (n_sync, ==, 1);
  /* sync's row is bold and coloured: its five cells. */
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpuint (n_highlighted_labels (GTK_WIDGET (w.view)), >=, 5);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (w.view, "tasks_summary"))),
                            "tasks"));

  /* A sleeping task: its stack in the Frames panel, with source. */
  sleeper = find_sleeper (model);
  g_assert_nonnull (sleeper);
  g_assert_true (kwb_tasks_view_select_pid (w.view, kwb_task_get_pid (sleeper)));
  kwb_test_wait_until (stack_shown, &w, "the sleeping task's stack");
  g_assert_nonnull (kwb_frames_panel_get_frames_title (frames_panel));
  g_assert_true (g_str_has_prefix (kwb_frames_panel_get_frames_title (frames_panel), "Stack of "));
  g_assert_nonnull (strstr (kwb_frames_panel_get_frames_title (frames_panel), kwb_task_get_comm (sleeper)));
  backtrace = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (kwb_test_require_widget (frames_panel,
                                                                                             "backtrace_list"))));
  g_assert_cmpuint (g_list_model_get_n_items (backtrace), >=, 5);
  for (guint i = 0; i < g_list_model_get_n_items (backtrace); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (backtrace, i);

      if (i == 0)
        g_assert_cmpstr (kwb_frame_get_function (frame), ==, "__schedule");
      n_with_source += kwb_frame_get_file (frame) != NULL && kwb_frame_get_line (frame) > 0;
    }
  g_assert_cmpuint (n_with_source, >=, 4);
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (frames_panel, "stack_bar")));
  /* The last rows on screen: the sleeper selected, sync (the newest) highlighted. */
  {
    GtkWidget *list = kwb_test_find_by_type (kwb_test_require_widget (w.view, "tasks_table"), GTK_TYPE_LIST_VIEW);

    gtk_widget_activate_action (list, "list.scroll-to-item", "u", g_list_model_get_n_items (model) - 1);
  }
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "tasks-sleeping-stack.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (GTK_WIDGET (window), "tasks-sleeping-stack-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* A frame of that stack opens its source line, as GDB's own do. */
  kwb_frames_panel_select_frame (frames_panel, 2);
  kwb_test_wait_until (shows_hrtimer_c, &w, "kernel/time/hrtimer.c in the source view");

  /* The search narrows the rows. */
  kwb_tasks_view_set_search (w.view, "kthreadd");
  g_assert_cmpuint (kwb_tasks_view_get_n_shown (w.view), ==, 1);
  kwb_tasks_view_set_search (w.view, "");
  g_assert_cmpuint (kwb_tasks_view_get_n_shown (w.view), ==, g_list_model_get_n_items (model));

  /* sync, the stopped CPU's task: GDB's own backtrace again. */
  w.stack_shown = FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (model, i);

      if (g_str_equal (kwb_task_get_comm (task), "sync"))
        g_assert_true (kwb_tasks_view_select_pid (w.view, kwb_task_get_pid (task)));
    }
  kwb_test_wait_until (stack_shown, &w, "sync's stack");
  g_assert_null (kwb_frames_panel_get_frames_title (frames_panel));
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (frames_panel, "stack_bar")));
  g_assert_true (gtk_list_view_get_model (GTK_LIST_VIEW (kwb_test_require_widget (frames_panel, "backtrace_list")))
                 != NULL);
  {
    GtkSingleSelection *shown = GTK_SINGLE_SELECTION (
      gtk_list_view_get_model (GTK_LIST_VIEW (kwb_test_require_widget (frames_panel, "backtrace_list"))));

    g_assert_true (gtk_single_selection_get_model (shown) == kwb_session_get_frames (kwb_window_get_session (window)));
  }
}

static void
test_tasks_panel (void)
{
  const char *vmlinux = g_getenv ("KWB_FIXTURE_VMLINUX");
  const char *initramfs = g_getenv ("KWB_FIXTURE_INITRAMFS");
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbProject) project = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *build_dir = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  if (vmlinux == NULL || initramfs == NULL)
    g_error ("KWB_FIXTURE_VMLINUX or KWB_FIXTURE_INITRAMFS is not set: run build-aux/test");
  tmp = g_dir_make_tmp ("kwb-gui-tasks-XXXXXX", &error);
  g_assert_no_error (error);
  dir = g_build_filename (tmp, "p", NULL);
  build_dir = g_path_get_dirname (vmlinux);
  project = kwb_project_init_directory (dir, &error);
  g_assert_no_error (error);
  kwb_project_set_string (project, "kernel", "build-dir", build_dir);
  kwb_project_set_string (project, "initramfs", "output", initramfs);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_set_boolean (project, "debug", "break-at-start", FALSE);
  kwb_project_set_string_list (project, "debug", "breakpoints", (const char * const []) { "__do_sys_sync", NULL });
  g_assert_true (kwb_project_save (project, &error));
  g_assert_true (kwb_project_trust_grant (project, &error));
  g_assert_no_error (error);
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { dir, NULL }, check_tasks, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_func ("/gui/tasks/panel", test_tasks_panel);
  return g_test_run ();
}
