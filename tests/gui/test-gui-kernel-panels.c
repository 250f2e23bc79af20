/* test-gui-kernel-panels.c — the kernel views' panels in the main window at real stops, and their screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real session on the fixture kernel (as test-gui-session.c): the Kernel
 * Log panel is refreshed only while on screen, or when brought to the front
 * later in the same stop; its rows are the kernel's own lx-dmesg; records
 * new since the previous stop are flagged and the older ones are not; the
 * search filters; a code link opens its source through GDB. Then, at
 * 1280x800 with the console visible, screenshots of the layout (light and
 * dark) and of every kernel panel the window registers (each brought to
 * the front, refreshed, and showing what it is for: see
 * kwb_test_show_kernel_panel_content()), so a view added to the window's
 * table is shot without a change here; then the breakpoints sidebar with
 * a watchpoint and a hardware breakpoint, and the README's picture (the
 * Tasks panel docked beside the source, the console below it). They
 * go to $KWB_BUILD_ROOT/tests/gui/screenshots/ (layout-light.png,
 * layout-dark.png, ID.png, ID-dark.png, tasks-stack.png, breakpoints.png,
 * breakpoints-dark.png, readme-main-window.png, which
 * data/screenshots/main-window.png is a copy of).
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-kernel-log-view.h"
#include "kwb-tasks-view.h"
#include "kwb-test-session.h"

typedef struct {
  KwbWindow  *window;
  KwbSession *session;
} Wait;

static char *
gdb_says (Wait       *w,
          const char *command)
{
  return kwb_test_gdb_says (w->session, command);
}

static KwbLogRecord *
record_at (GListModel *records,
           guint       i)
{
  KwbLogRecord *record = g_list_model_get_item (records, i);

  /* The model holds its own reference. */
  g_object_unref (record);
  return record;
}

/* The lines of the shown records as lx-dmesg prints them: the same lines in
 * the same order, and the same time to the microsecond. */
static void
assert_rows_are_lx_dmesg (Wait       *w,
                          GListModel *records)
{
  g_autofree char *dmesg = gdb_says (w, "lx-dmesg");
  g_auto(GStrv) theirs = g_strsplit (dmesg, "\n", -1);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (records); i++)
    {
      KwbLogRecord *record = record_at (records, i);
      g_auto(GStrv) lines = g_strsplit (kwb_log_record_get_text (record), "\n", -1);

      for (guint j = 0; lines[j] != NULL; j++)
        {
          const char *close;

          if (lines[j][0] == '\0' && lines[j + 1] == NULL)
            continue;
          g_assert_nonnull (theirs[n]);
          g_assert_true (theirs[n][0] == '[');
          close = strstr (theirs[n], "] ");
          g_assert_nonnull (close);
          g_assert_cmpstr (close + 2, ==, lines[j]);
          g_assert_cmpfloat_with_epsilon (kwb_log_record_get_time_ns (record) / 1e9,
                                          g_ascii_strtod (theirs[n] + 1, NULL), 1.5e-6);
          n++;
        }
    }
  g_assert_true (theirs[n] == NULL || (theirs[n][0] == '\0' && theirs[n + 1] == NULL));
}

static guint
count_containing (GListModel *records,
                  const char *needle)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (records); i++)
    n += strstr (kwb_log_record_get_text (record_at (records, i)), needle) != NULL;
  return n;
}

typedef struct {
  GtkWidget  *view;
  const char *text;
} LabelWait;

static gboolean
label_shown (gpointer data)
{
  LabelWait *w = data;
  GtkWidget *label = kwb_test_find_by_label (w->view, w->text);

  return label != NULL && gtk_widget_get_mapped (label);
}

static GtkWidget *
wait_label (GtkWidget  *view,
            const char *text)
{
  LabelWait w = { view, text };

  kwb_test_wait_until (label_shown, &w, text);
  return kwb_test_find_by_label (view, text);
}

/* A link in a record opens its source: the record's own, when the boot
 * printed one; else records made here, whose links point into this
 * kernel, through the same window and GDB. */
static void
check_link (Wait             *w,
            KwbKernelLogView *view)
{
  GListModel *records = kwb_kernel_log_view_get_model (view);
  g_autoptr(GListModel) kept = g_object_ref (records);
  g_autoptr(GListStore) made = NULL;
  g_autoptr(GRegex) line_regex = g_regex_new ("Line ([0-9]+) of \"([^\"]+)\"", 0, 0, NULL);
  const char *text = NULL;
  guint n_opened = 0;
  GtkWidget *label;
  gsize start, end;
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (records) && text == NULL; i++)
    if (kwb_code_link_find (kwb_log_record_get_text (record_at (records, i)), 0, NULL, NULL))
      text = kwb_log_record_get_text (record_at (records, i));
  if (text == NULL)
    {
      /* A WARNING as the kernel prints it, at a line of kernel_init. */
      g_autofree char *answer = gdb_says (w, "info line kernel_init");
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *line = NULL;
      g_autofree char *warning = NULL;
      g_autoptr(KwbLogRecord) record = NULL;

      g_assert_true (g_regex_match (line_regex, answer, 0, &match));
      line = g_match_info_fetch (match, 1);
      warning = g_strdup_printf ("WARNING: CPU: 0 PID: 1 at init/main.c:%s kernel_init+0x5/0x130", line);
      g_test_message ("no record of this boot has a code link: one made here");
      record = kwb_log_record_new (1, 4, 0, 1000, 0, warning, -1, TRUE);
      made = g_list_store_new (KWB_TYPE_LOG_RECORD);
      g_list_store_append (made, record);
      kwb_kernel_log_view_set_model (view, G_LIST_MODEL (made));
      text = kwb_log_record_get_text (record);
    }
  /* The record alone on screen, wherever it is in the log. */
  kwb_kernel_log_view_set_search (view, text);
  label = wait_label (GTK_WIDGET (view), text);
  g_assert_true (gtk_label_get_use_markup (GTK_LABEL (label)));
  /* Each link of the record, as a click on it sends it: the window opens
   * the file and line GDB gives for it. */
  for (gsize from = 0; kwb_code_link_find (text, from, &start, &end); from = end)
    {
      g_autofree char *uri = g_strndup (text + start, end - start);
      g_autoptr(KwbCodeLink) link = kwb_code_link_parse (uri);
      g_autofree char *where = kwb_code_link_dup_gdb_location (link);
      g_autofree char *command = g_strdup_printf ("info line %s", where);
      g_autofree char *answer = gdb_says (w, command);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *line = NULL;
      g_autofree char *file = NULL;
      g_autofree char *base = NULL;

      if (!g_regex_match (line_regex, answer, 0, &match))
        {
          /* A real record may name code this kernel's GDB does not have. */
          g_assert_null (made);
          g_test_message ("%s: GDB has no line for it (%s)", uri, answer);
          continue;
        }
      line = g_match_info_fetch (match, 1);
      file = g_match_info_fetch (match, 2);
      base = g_path_get_basename (file);
      kwb_window_close_sources (w->window);
      handled = FALSE;
      g_signal_emit_by_name (label, "activate-link", uri, &handled);
      g_assert_true (handled);
      kwb_test_wait_source_visible (w->window, base, uri);
      g_assert_cmpuint (kwb_source_view_get_cursor_line (kwb_window_get_visible_source (w->window)), ==,
                        g_ascii_strtoull (line, NULL, 10));
      n_opened++;
    }
  g_assert_cmpuint (n_opened, >, 0);
  kwb_kernel_log_view_set_search (view, NULL);
  kwb_kernel_log_view_set_model (view, kept);
}

static void
check_log_panel (KwbApplication *app,
                 KwbWindow      *window,
                 gpointer        data)
{
  Wait w = { window, NULL };
  g_autoptr(KwbTestRefreshes) refreshes = NULL;
  KwbKernelLogView *view = KWB_KERNEL_LOG_VIEW (kwb_test_find_by_type (window, KWB_TYPE_KERNEL_LOG_VIEW));
  GListModel *records;
  guint n_before, n_new = 0;
  guint64 last_seq;
  g_auto(GStrv) panels = kwb_window_list_kernel_panels (window);

  g_assert_nonnull (view);
  g_assert_true (g_strv_contains ((const char * const *) panels, "log"));
  g_assert_cmpint (kwb_window_get_panel_dock (window, "log"), ==, KWB_DOCK_BOTTOM);

  g_test_message ("step %s", "1");
  /* 1. The first stop (start_kernel), the console in front of the log. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  refreshes = kwb_test_refreshes_new (window);
  kwb_test_wait_stopped_in (w.session, "start_kernel");
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (view)));
  /* Off screen: nothing was read at the stop (the window starts the
   * refreshes of the panels on screen as it handles the stop). */
  g_assert_false (kwb_window_kernel_panel_is_current (window, "log"));
  kwb_test_break_at (w.session, "kernel_init");
  kwb_test_break_at (w.session, "free_initmem");

  g_test_message ("step %s", "2");
  /* 2. A stop once the console is up: still off screen, then brought to the
   * front, and refreshed then. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_stopped_in (w.session, "kernel_init");
  g_assert_false (kwb_window_kernel_panel_is_current (window, "log"));
  g_assert_cmpuint (kwb_test_refreshes_count (refreshes, "log"), ==, 0);
  records = kwb_kernel_log_view_get_model (view);
  g_assert_nonnull (records);
  g_assert_cmpuint (g_list_model_get_n_items (records), ==, 0);
  kwb_test_show_kernel_panel (refreshes, "log");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (view)));
  g_assert_cmpuint (kwb_test_refreshes_count (refreshes, "log"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (records), >, 10);
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (view), ==, g_list_model_get_n_items (records));
  /* Shown the first time, the view is at its end: the newest records. */
  kwb_test_wait_until (kwb_test_log_newest_on_screen, view, "the newest record on screen");
  /* The rows are the kernel's own log, banner first, as on the console. */
  g_assert_true (g_str_has_prefix (kwb_log_record_get_text (record_at (records, 0)), "Linux version"));
  kwb_test_wait_terminal_shows (window, "Linux version", "the banner on the serial console");
  assert_rows_are_lx_dmesg (&w, records);
  /* Everything arrived after the previous stop: all new. */
  for (guint i = 0; i < g_list_model_get_n_items (records); i++)
    g_assert_true (kwb_log_record_get_is_new (record_at (records, i)));
  n_before = g_list_model_get_n_items (records);
  last_seq = kwb_log_record_get_seq (record_at (records, n_before - 1));

  g_test_message ("step %s", "3");
  /* 3. The next stop, the panel on screen: refreshed at the stop; only what
   * the kernel printed since the previous stop is new. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_stopped_in (w.session, "free_initmem");
  g_assert_true (kwb_window_kernel_panel_is_current (window, "log"));
  kwb_test_refreshes_wait (refreshes, "log");
  g_assert_cmpuint (kwb_test_refreshes_count (refreshes, "log"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (records), >, n_before);
  for (guint i = 0; i < g_list_model_get_n_items (records); i++)
    {
      KwbLogRecord *record = record_at (records, i);

      g_assert_cmpint (kwb_log_record_get_is_new (record), ==, kwb_log_record_get_seq (record) > last_seq);
      n_new += kwb_log_record_get_is_new (record);
    }
  g_assert_cmpuint (n_new, >, 0);
  g_assert_cmpuint (n_new, ==, kwb_kernel_log_get_n_new (KWB_KERNEL_LOG (records)));
  assert_rows_are_lx_dmesg (&w, records);
  /* The view scrolled to the newest record, which stands out. */
  kwb_test_wait_until (kwb_test_log_newest_on_screen, view, "the newest record on screen");
  {
    const char *newest = kwb_log_record_get_text (record_at (records, g_list_model_get_n_items (records) - 1));

    kwb_kernel_log_view_set_search (view, newest);
    g_assert_true (gtk_widget_has_css_class (wait_label (GTK_WIDGET (view), newest), "heading"));
  }
  kwb_kernel_log_view_set_search (view, "");

  g_test_message ("step %s", "4");
  /* 4. The search: the banner alone, case-insensitively; empty shows all. */
  kwb_kernel_log_view_set_search (view, "LINUX VERSION");
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (view), ==, count_containing (records, "Linux version"));
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (view), >=, 1);
  g_assert_false (gtk_widget_has_css_class (wait_label (GTK_WIDGET (view),
                                                        kwb_log_record_get_text (record_at (records, 0))),
                                            "heading"));
  kwb_kernel_log_view_set_search (view, "");
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (view), ==, g_list_model_get_n_items (records));

  g_test_message ("step %s", "5");
  /* 5. A link in a record opens its source. */
  check_link (&w, view);
  g_assert_true (kwb_kernel_log_view_get_model (view) == records);

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  kwb_test_wait_session_state (w.session, KWB_SESSION_STATE_EXITED);
}

/* ---- screenshots ---- */

static void
shoot (KwbWindow  *window,
       const char *name)
{
  kwb_test_wait_stop_shown (window);
  kwb_test_save_screenshot (GTK_WIDGET (window), name);
}

static void
shoot_panels (KwbTestRefreshes *refreshes,
              KwbWindow        *window,
              const char       *suffix)
{
  g_auto(GStrv) panels = kwb_window_list_kernel_panels (window);

  for (guint i = 0; panels[i] != NULL; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s%s.png", panels[i], suffix);

      kwb_test_show_kernel_panel_content (refreshes, panels[i]);
      shoot (window, name);
      /* The Tasks shot is the one of a sleeping task's stack too. */
      if (g_str_equal (panels[i], "tasks") && *suffix == '\0')
        kwb_test_save_screenshot (GTK_WIDGET (window), "tasks-stack.png");
    }
}

/* ---- the breakpoints sidebar ---- */

static gboolean
has_watchpoint_and_hardware (gpointer data)
{
  GListModel *model = kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (data));
  gboolean watch = FALSE, hardware = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);

      watch |= kwb_breakpoint_get_kind (bp) == KWB_BREAKPOINT_KIND_WATCH_WRITE;
      hardware |= kwb_breakpoint_get_kind (bp) == KWB_BREAKPOINT_KIND_HARDWARE;
    }
  return watch && hardware;
}

static gboolean
two_registers_in_use (gpointer data)
{
  GtkWidget *label = kwb_test_require_widget (GTK_WIDGET (kwb_window_get_breakpoints_page (data)),
                                              "breakpoints_debug_registers");

  return gtk_widget_get_mapped (label) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), "2 of 4 debug registers in use") == 0;
}

/* What the debug registers are for, set at this stop: a watchpoint, as
 * the watch tree and the source view's menu set one (win.watch-expression),
 * and a hardware breakpoint; listed with their kinds in the sidebar. */
static void
set_watchpoint_and_hardware (KwbWindow *window)
{
  kwb_test_activate_action (GTK_WIDGET (window), "win.watch-expression", g_variant_new ("(ss)", "jiffies", "write"));
  kwb_test_break_at_full (kwb_window_get_session (window), "panic", KWB_GDB_BREAK_HARDWARE);
  kwb_window_show_panel (window, "breakpoints");
  kwb_test_wait_until (has_watchpoint_and_hardware, window, "the watchpoint and the hardware breakpoint listed");
  kwb_test_wait_until (two_registers_in_use, window, "two debug registers in use");
}

static void
check_screenshots (KwbApplication *app,
                   KwbWindow      *window,
                   gpointer        data)
{
  g_autoptr(KwbTestRefreshes) refreshes = NULL;
  KwbSession *session;
  KwbSourceView *source;
  AdwStyleManager *style = adw_style_manager_get_default ();

  refreshes = kwb_test_run_to_screenshot_stop (window);
  session = kwb_window_get_session (window);
  kwb_test_wait_source_visible (window, "/arch/x86/mm/init.c", "the stop in arch/x86/mm/init.c");

  /* The layout: 1280x800, the console in front below the source, which
   * keeps its 100 columns with every kernel panel registered. */
  source = kwb_window_get_visible_source (window);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kwb_console_get_terminal (kwb_window_get_console (window)))));
  g_assert_cmpint (kwb_test_source_columns (source), >=, 100);
  shoot (window, "layout-light.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  shoot (window, "layout-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* Every kernel panel in front, refreshed at this stop; then in dark. */
  shoot_panels (refreshes, window, "");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  shoot_panels (refreshes, window, "-dark");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* The breakpoints sidebar with a watchpoint and a hardware breakpoint. */
  set_watchpoint_and_hardware (window);
  shoot (window, "breakpoints.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  shoot (window, "breakpoints-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);

  /* The README's picture: the console below the source, the tasks docked
   * beside it, the sidebars collapsed to give the table the room of its
   * columns (its divider dragged, as a person would). */
  kwb_window_show_panel (window, "console");
  g_assert_true (kwb_window_move_panel (window, "tasks", KWB_DOCK_END));
  kwb_window_set_dock_shown (window, KWB_DOCK_START, FALSE);
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  {
    GtkWidget *tasks = kwb_test_find_by_type (window, KWB_TYPE_TASKS_VIEW);
    GtkPaned *paned = GTK_PANED (gtk_widget_get_ancestor (tasks, GTK_TYPE_PANED));

    g_assert_true (gtk_widget_is_ancestor (tasks, gtk_paned_get_end_child (paned)));
    gtk_paned_set_position (paned, gtk_widget_get_width (GTK_WIDGET (paned)) - 400);
  }
  kwb_test_show_kernel_panel (refreshes, "tasks");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (kwb_console_get_terminal (kwb_window_get_console (window)))));
  shoot (window, "readme-main-window.png");

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  kwb_test_wait_session_state (session, KWB_SESSION_STATE_EXITED);
}

int
main (int   argc,
      char *argv[])
{
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_data_func ("/gui/kernel-panels/log-at-stops", check_log_panel, kwb_test_on_session_project);
  g_test_add_data_func ("/gui/kernel-panels/screenshots", check_screenshots, kwb_test_on_session_project);
  return g_test_run ();
}
