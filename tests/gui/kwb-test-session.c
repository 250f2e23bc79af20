/* kwb-test-session.c — GUI tests on a real session: a project on the fixture kernel, waiting for stops
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One copy of what every GUI test that boots the fixture kernel needs (see
 * the header). The project is made through `kwb init` and `kwb set`, as a
 * user would, so the tests also run the CLI's project editing.
 */
#include "config.h"

#include <string.h>

#include "kwb-kernel-log-view.h"
#include "kwb-memory-view.h"
#include "kwb-session-private.h"
#include "kwb-tasks-view.h"
#include "kwb-test-session.h"
#include "kwb-watch-view.h"

static const char *
require_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run the GUI tests through build-aux/test, which builds the "
             "fixture kernel and exports it", name);
  return value;
}

void
kwb_test_run_kwb (const char * const *args)
{
  g_autofree char *kwb = g_build_filename (g_getenv ("KWB_BUILD_ROOT"), "app", "cli", "kwb", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status;

  g_ptr_array_add (argv, kwb);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("kwb %s failed: %s", args[0], err);
}

char *
kwb_test_make_session_project (void)
{
  const char *vmlinux = require_env ("KWB_FIXTURE_VMLINUX");
  const char *initramfs = require_env ("KWB_FIXTURE_INITRAMFS");
  g_autofree char *build_dir = g_path_get_dirname (vmlinux);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("kwb-gui-session-XXXXXX", &error);
  char *project;

  require_env ("KWB_FIXTURE_PROJECT");
  g_assert_no_error (error);
  project = g_build_filename (tmp, "p", NULL);
  kwb_test_run_kwb ((const char *[]) { "init", project, NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "kernel.build-dir", build_dir, NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "initramfs.output", initramfs, NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "qemu.accel", "tcg", NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "qemu.memory", "256", NULL });
  return project;
}

typedef struct {
  KwbSession      *session;
  const char      *func;
  KwbSessionState  state;
} SessionWait;

static gboolean
state_is (gpointer data)
{
  SessionWait *w = data;

  return kwb_session_get_state (w->session) == w->state;
}

void
kwb_test_wait_session_state (KwbSession      *session,
                             KwbSessionState  state)
{
  SessionWait w = { session, NULL, state };
  g_autofree char *what = g_strdup_printf ("the session to be %s", kwb_session_state_to_string (state));

  kwb_test_wait_until (state_is, &w, what);
}

static gboolean
stopped_in (gpointer data)
{
  SessionWait *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  if (kwb_session_get_state (w->session) == KWB_SESSION_STATE_FAILED)
    g_error ("The session failed: %s", kwb_session_get_failure_reason (w->session));
  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         stop->func != NULL && strstr (stop->func, w->func) != NULL;
}

void
kwb_test_wait_stopped_in (KwbSession *session,
                          const char *func)
{
  SessionWait w = { session, func, KWB_SESSION_STATE_STOPPED };
  g_autofree char *what = g_strdup_printf ("a stop in %s", func);

  kwb_test_wait_until (stopped_in, &w, what);
}

char *
kwb_test_dup_terminal_text (KwbWindow *window)
{
  VteTerminal *terminal = kwb_console_get_terminal (kwb_window_get_console (window));
  long col, row;

  /* From the top of the scrollback to the cursor, not just the screen. */
  vte_terminal_get_cursor_position (terminal, &col, &row);
  return vte_terminal_get_text_range (terminal, 0, 0, row, vte_terminal_get_column_count (terminal),
                                      NULL, NULL, NULL);
}

typedef struct {
  KwbWindow  *window;
  const char *needle;
} TerminalWait;

static gboolean
terminal_shows (gpointer data)
{
  TerminalWait *w = data;
  g_autofree char *text = kwb_test_dup_terminal_text (w->window);

  return text != NULL && strstr (text, w->needle) != NULL;
}

void
kwb_test_wait_terminal_shows (KwbWindow  *window,
                              const char *needle,
                              const char *what)
{
  TerminalWait w = { window, needle };

  kwb_test_wait_until (terminal_shows, &w, what);
}

/* ---- the kernel views' panels ---- */

struct _KwbTestRefreshes
{
  KwbWindow  *window;
  KwbSession *session;
  GHashTable *counts; /* panel id → refreshes since the last stop */
};

static void
on_refreshed (KwbWindow        *window,
              const char       *id,
              KwbTestRefreshes *self)
{
  gpointer count = g_hash_table_lookup (self->counts, id);

  g_hash_table_insert (self->counts, g_strdup (id), GUINT_TO_POINTER (GPOINTER_TO_UINT (count) + 1));
}

/* Connected after the window's own handler, which starts the refreshes of
 * the panels on screen; none of them can end before this runs. */
static void
on_stopped (KwbSession       *session,
            gpointer          stop,
            KwbTestRefreshes *self)
{
  g_hash_table_remove_all (self->counts);
}

KwbTestRefreshes *
kwb_test_refreshes_new (KwbWindow *window)
{
  KwbTestRefreshes *self = g_new0 (KwbTestRefreshes, 1);

  self->window = g_object_ref (window);
  self->session = g_object_ref (kwb_window_get_session (window));
  self->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (window, "kernel-view-refreshed", G_CALLBACK (on_refreshed), self);
  g_signal_connect_after (self->session, "stopped", G_CALLBACK (on_stopped), self);
  return self;
}

void
kwb_test_refreshes_free (KwbTestRefreshes *self)
{
  g_signal_handlers_disconnect_by_data (self->window, self);
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_object_unref (self->window);
  g_object_unref (self->session);
  g_hash_table_unref (self->counts);
  g_free (self);
}

guint
kwb_test_refreshes_count (KwbTestRefreshes *self,
                          const char       *id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->counts, id));
}

typedef struct {
  KwbTestRefreshes *refreshes;
  const char       *id;
} RefreshWait;

static gboolean
refreshed (gpointer data)
{
  RefreshWait *w = data;

  return kwb_test_refreshes_count (w->refreshes, w->id) > 0;
}

void
kwb_test_refreshes_wait (KwbTestRefreshes *self,
                         const char       *id)
{
  RefreshWait w = { self, id };
  g_autofree char *what = g_strdup_printf ("the %s panel refreshed at this stop", id);

  kwb_test_wait_until (refreshed, &w, what);
}

/**
 * kwb_test_show_kernel_panel:
 *
 * Brings the kernel view's panel ID to the front, as its tab or the
 * win.show-panel action does, and waits until it shows this stop.
 */
void
kwb_test_show_kernel_panel (KwbTestRefreshes *self,
                            const char       *id)
{
  kwb_test_activate_action (self->window, "win.show-panel", g_variant_new_string (id));
  g_assert_true (kwb_window_kernel_panel_is_current (self->window, id));
  kwb_test_refreshes_wait (self, id);
}

static void
insert_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KwbBreakpoint) bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &error);

  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
kwb_test_break_at_full (KwbSession       *session,
                        const char       *location,
                        KwbGdbBreakFlags  flags)
{
  gboolean done = FALSE;

  kwb_session_break_insert_async (session, location, flags, NULL, NULL, insert_cb, &done);
  kwb_test_wait_until (kwb_test_flag_set, &done, location);
}

void
kwb_test_break_at (KwbSession *session,
                   const char *location)
{
  kwb_test_break_at_full (session, location, KWB_GDB_BREAK_NONE);
}

/**
 * kwb_test_run_to_stop:
 * @func: a function the kernel runs once, after start_kernel
 *
 * Starts the window's session (win.start), breaks at @func from the first
 * stop and continues (win.continue) until the stop there.
 *
 * Returns: (transfer full): the refreshes of the kernel panels, counted
 *   from before the first stop
 */
KwbTestRefreshes *
kwb_test_run_to_stop (KwbWindow  *window,
                      const char *func)
{
  KwbTestRefreshes *refreshes;
  KwbSession *session;

  kwb_test_activate_action (window, "win.start", NULL);
  session = kwb_window_get_session (window);
  g_assert_nonnull (session);
  refreshes = kwb_test_refreshes_new (window);
  kwb_test_wait_stopped_in (session, "start_kernel");
  kwb_test_break_at (session, func);
  kwb_test_activate_action (window, "win.continue", NULL);
  kwb_test_wait_stopped_in (session, func);
  return refreshes;
}

typedef struct {
  gboolean  done;
  char     *out;
} ConsoleWait;

static void
console_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ConsoleWait *w = user_data;
  g_autoptr(GError) error = NULL;

  w->out = kwb_session_console_finish (KWB_SESSION (object), result, &error);
  g_assert_no_error (error);
  w->done = TRUE;
}

/* What GDB itself says to COMMAND, not what our models say. */
char *
kwb_test_gdb_says (KwbSession *session,
                   const char *command)
{
  ConsoleWait w = { FALSE, NULL };

  kwb_session_console_async (session, command, NULL, console_cb, &w);
  kwb_test_wait_until (kwb_test_flag_set, &w.done, command);
  return w.out;
}

typedef struct {
  KwbWindow  *window;
  const char *suffix;
} SourceWait;

static gboolean
source_visible (gpointer data)
{
  SourceWait *w = data;
  KwbSourceView *view = kwb_window_get_visible_source (w->window);

  return view != NULL && kwb_source_view_get_path (view) != NULL &&
         g_str_has_suffix (kwb_source_view_get_path (view), w->suffix);
}

/* Until the source tab in front is a file whose path ends with SUFFIX. */
void
kwb_test_wait_source_visible (KwbWindow  *window,
                              const char *suffix,
                              const char *what)
{
  SourceWait w = { window, suffix };

  kwb_test_wait_until (source_visible, &w, what);
}

/**
 * kwb_test_on_session_project:
 * @check: a #KwbTestWindowFunc
 *
 * A g_test_add_data_func() case: @check runs on the window of a project of
 * its own (kwb_test_make_session_project()), 1280x800 like the Xvfb
 * screen, in a process of its own.
 */
/* A wait that gives up on a session's window says where the session and
 * its GDB were: the end of the MI transcript goes to the test's stderr. */
static void
print_session_state (void)
{
  KwbWindow *window = kwb_test_find_toplevel (KWB_TYPE_WINDOW);
  KwbSession *session = window != NULL ? kwb_window_get_session (window) : NULL;
  g_autofree char *transcript = NULL;
  gsize len;

  if (session == NULL)
    return;
  transcript = kwb_gdb_dup_transcript (kwb_session_get_gdb (session));
  len = transcript ? strlen (transcript) : 0;
  g_printerr ("session state: %s\nGDB transcript (last 8000 bytes):\n%s\n",
              kwb_session_state_to_string (kwb_session_get_state (session)),
              transcript ? transcript + (len > 8000 ? len - 8000 : 0) : "(none)");
}

void
kwb_test_on_session_project (gconstpointer check)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  kwb_test_set_give_up_hook (print_session_state);
  project = kwb_test_make_session_project ();
  /* The size the layout is made for: the Xvfb screen's. */
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, (KwbTestWindowFunc) check, NULL);
}

/* What a person looks at after a stop: the backtrace, and the stop's line
 * on screen in the source. */
static gboolean
stop_shown (gpointer data)
{
  KwbWindow *window = data;
  KwbSourceView *view = kwb_window_get_visible_source (window);
  guint line = view ? kwb_source_view_get_current_line (view) : 0;

  return g_list_model_get_n_items (kwb_session_get_frames (kwb_window_get_session (window))) > 0 &&
         line > 0 && kwb_source_view_line_is_visible (view, line);
}

void
kwb_test_wait_stop_shown (KwbWindow *window)
{
  kwb_test_wait_until (stop_shown, window, "the backtrace and the stop's line on screen");
}

/* ---- what the kernel panels show in screenshots ---- */

/* Whether a label under ROOT shows TEXT inside SCROLLER's visible part
 * (a list view keeps rows it is not showing: a match alone proves nothing). */
static gboolean
label_on_screen (GtkWidget  *root,
                 const char *text,
                 GtkWidget  *scroller)
{
  graphene_rect_t bounds;

  if (!gtk_widget_get_mapped (root))
    return FALSE;
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0 &&
      gtk_widget_compute_bounds (root, scroller, &bounds) && bounds.size.height > 0 &&
      bounds.origin.y >= 0 && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (label_on_screen (child, text, scroller))
      return TRUE;
  return FALSE;
}

/* The log's newest record in the view's visible rows, where a refresh at a
 * stop scrolls. */
gboolean
kwb_test_log_newest_on_screen (gpointer log_view)
{
  GListModel *records = kwb_kernel_log_view_get_model (log_view);
  guint n = records ? g_list_model_get_n_items (records) : 0;
  GtkWidget *table = kwb_test_require_widget (log_view, "kernel_log_table");
  g_autoptr(KwbLogRecord) newest = n > 0 ? g_list_model_get_item (records, n - 1) : NULL;

  return newest != NULL && label_on_screen (table, kwb_log_record_get_text (newest),
                                            gtk_widget_get_ancestor (table, GTK_TYPE_SCROLLED_WINDOW));
}

/* What the panels are shot with: in the watch tree a per-CPU variable
 * (a row per CPU) and a struct, each expanded one level; in the memory
 * dump the kernel's banner. Set as a user would before the session: the
 * views keep them for it. */
#define SHOT_WATCH_PER_CPU "percpu:this_cpu_off"
#define SHOT_WATCH_PER_CPU_NAME "this_cpu_off"
#define SHOT_WATCH_STRUCT "init_task.se"
#define SHOT_MEMORY "&linux_banner"

/* The Watch panel's tree (the Frames panel's locals are one too). */
static KwbWatchView *
watch_panel_view (KwbWindow *window)
{
  return KWB_WATCH_VIEW (kwb_test_require_widget (window, "watch_view"));
}

static void
give_panels_content (KwbWindow *window)
{
  KwbWatchView *watch = watch_panel_view (window);
  KwbMemoryView *memory = KWB_MEMORY_VIEW (kwb_test_find_by_type (window, KWB_TYPE_MEMORY_VIEW));

  g_assert_nonnull (memory);
  kwb_watch_view_add_expression (watch, SHOT_WATCH_PER_CPU);
  kwb_watch_view_add_expression (watch, SHOT_WATCH_STRUCT);
  kwb_memory_view_set_expression (memory, SHOT_MEMORY);
}

/* The watch tree's row of a root named ROOT (CHILD NULL), or of its child
 * named CHILD. */
static GtkTreeListRow *
watch_row (KwbWatchView *view,
           const char   *root,
           const char   *child)
{
  GListModel *rows = kwb_watch_view_get_rows (view);

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(KwbWatchValue) value = gtk_tree_list_row_get_item (row);
      KwbWatchValue *parent = kwb_watch_value_get_parent (value);
      KwbWatchValue *top = child ? parent : value;

      if (top != NULL && kwb_watch_value_get_parent (top) == NULL &&
          g_strcmp0 (kwb_watch_value_get_name (top), root) == 0 &&
          (child == NULL ? parent == NULL : g_strcmp0 (kwb_watch_value_get_name (value), child) == 0))
        return g_steal_pointer (&row);
    }
  return NULL;
}

/* The rows shown under the root named ROOT, read (a value each). */
static guint
n_watch_children (KwbWatchView *view,
                  const char   *root)
{
  GListModel *rows = kwb_watch_view_get_rows (view);
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (rows, i);
      g_autoptr(KwbWatchValue) value = gtk_tree_list_row_get_item (row);
      KwbWatchValue *parent = kwb_watch_value_get_parent (value);

      n += parent != NULL && kwb_watch_value_get_parent (parent) == NULL &&
           g_strcmp0 (kwb_watch_value_get_name (parent), root) == 0 && *kwb_watch_value_get_value (value) != '\0';
    }
  return n;
}

/* Both roots expanded: a row for each of the two CPUs, the struct's members. */
static gboolean
watch_expanded (gpointer data)
{
  KwbWatchView *view = data;
  g_autoptr(GtkTreeListRow) cpu0 = watch_row (view, SHOT_WATCH_PER_CPU_NAME, "CPU 0");
  g_autoptr(GtkTreeListRow) cpu1 = watch_row (view, SHOT_WATCH_PER_CPU_NAME, "CPU 1");

  return cpu0 != NULL && cpu1 != NULL && n_watch_children (view, SHOT_WATCH_STRUCT) >= 3;
}

static gboolean
watch_roots_read (gpointer data)
{
  KwbWatchView *view = data;
  GListModel *roots = G_LIST_MODEL (kwb_watch_view_get_model (view));
  guint n = roots ? g_list_model_get_n_items (roots) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbWatchValue) value = g_list_model_get_item (roots, i);

      if (*kwb_watch_value_get_value (value) == '\0')
        return FALSE;
    }
  return n == 2;
}

/* As a click on their expanders does; the tree keeps them expanded, and
 * read, at the stops after. */
static void
expand_watch_rows (KwbWindow *window)
{
  KwbWatchView *view = watch_panel_view (window);
  const char *roots[] = { SHOT_WATCH_PER_CPU_NAME, SHOT_WATCH_STRUCT };

  kwb_window_show_panel (window, "watch");
  kwb_test_wait_until (watch_roots_read, view, "the watch expressions read");
  /* The rows bound on screen: an expander asks the tree to read its children. */
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autoptr(GtkTreeListRow) row = watch_row (view, roots[i], NULL);

      g_assert_nonnull (row);
      g_assert_true (gtk_tree_list_row_is_expandable (row));
      gtk_tree_list_row_set_expanded (row, TRUE);
    }
  kwb_test_wait_until (watch_expanded, view, "the watch rows expanded");
}

static void
on_stack_shown (KwbTasksView *view,
                KwbTask      *task,
                gboolean     *shown)
{
  *shown = TRUE;
}

/* A sleeping task selected: its stack in the Frames panel, with source. */
static void
show_sleeping_stack (KwbWindow *window)
{
  KwbTasksView *view = KWB_TASKS_VIEW (kwb_test_find_by_type (window, KWB_TYPE_TASKS_VIEW));
  KwbFramesPanel *frames_panel = kwb_window_get_frames_panel (window);
  GtkColumnView *table = GTK_COLUMN_VIEW (kwb_test_require_widget (view, "tasks_table"));
  GtkSingleSelection *rows = GTK_SINGLE_SELECTION (gtk_column_view_get_model (table));
  g_autoptr(KwbTask) sleeper = NULL;
  GListModel *frames;
  gboolean shown = FALSE;
  guint n_with_source = 0;
  gulong handler;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), >=, 10);
  for (guint i = 0; sleeper == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (rows)); i++)
    {
      g_autoptr(KwbTask) task = g_list_model_get_item (G_LIST_MODEL (rows), i);

      if (kwb_task_get_state (task) == 'S' && !kwb_task_get_is_current (task))
        sleeper = g_steal_pointer (&task);
    }
  g_assert_nonnull (sleeper);
  /* The rows laid out, as a person sees them before clicking one: the
   * list view scrolls to the selected row. */
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  /* Selecting the row already selected (the dark shot's) would ask for nothing. */
  gtk_single_selection_set_selected (rows, GTK_INVALID_LIST_POSITION);
  handler = g_signal_connect (view, "stack-shown", G_CALLBACK (on_stack_shown), &shown);
  g_assert_true (kwb_tasks_view_select_pid (view, kwb_task_get_pid (sleeper)));
  kwb_test_wait_until (kwb_test_flag_set, &shown, "the sleeping task's stack");
  g_signal_handler_disconnect (view, handler);

  g_assert_nonnull (kwb_frames_panel_get_frames_title (frames_panel));
  g_assert_nonnull (strstr (kwb_frames_panel_get_frames_title (frames_panel), kwb_task_get_comm (sleeper)));
  frames = G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (kwb_test_require_widget (frames_panel,
                                                                                          "backtrace_list"))));
  g_assert_cmpuint (g_list_model_get_n_items (frames), >=, 3);
  for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
    {
      g_autoptr(KwbFrame) frame = g_list_model_get_item (frames, i);

      n_with_source += kwb_frame_get_file (frame) != NULL && kwb_frame_get_line (frame) > 0;
    }
  g_assert_cmpuint (n_with_source, >=, 2);
  kwb_window_show_panel (window, "frames");
}

static gboolean
memory_shown (gpointer data)
{
  g_autofree char *text = kwb_memory_view_dup_text (data);

  return strstr (text, "|Linux version ") != NULL;
}

/**
 * kwb_test_show_kernel_panel_content:
 *
 * At the stop of kwb_test_run_to_screenshot_stop(): brings the kernel
 * view's panel ID to the front, waits for its refresh, and makes sure it
 * shows what it is for before a screenshot: the log at its newest record;
 * the tasks with a sleeping one selected and its stack in the Frames
 * panel; the memory dump of the banner; the watch tree's rows, each CPU's
 * among them. Other panels show the stopped CPU's backtrace.
 */
void
kwb_test_show_kernel_panel_content (KwbTestRefreshes *self,
                                    const char       *id)
{
  KwbWindow *window = self->window;

  if (!g_str_equal (id, "tasks") && kwb_frames_panel_get_frames_title (kwb_window_get_frames_panel (window)))
    kwb_frames_panel_show_stopped_frames (kwb_window_get_frames_panel (window));
  kwb_test_show_kernel_panel (self, id);
  if (g_str_equal (id, "log"))
    {
      GtkWidget *view = kwb_test_find_by_type (window, KWB_TYPE_KERNEL_LOG_VIEW);

      g_assert_cmpuint (g_list_model_get_n_items (kwb_kernel_log_view_get_model (KWB_KERNEL_LOG_VIEW (view))), >, 10);
      kwb_test_wait_until (kwb_test_log_newest_on_screen, view, "the newest record on screen");
    }
  else if (g_str_equal (id, "tasks"))
    show_sleeping_stack (window);
  else if (g_str_equal (id, "memory"))
    {
      KwbMemoryView *view = KWB_MEMORY_VIEW (kwb_test_find_by_type (window, KWB_TYPE_MEMORY_VIEW));
      g_autofree char *text = NULL;

      kwb_test_wait_until (memory_shown, view, "the banner in the memory dump");
      text = kwb_memory_view_dup_text (view);
      g_assert_cmpuint (strlen (text), ==, 16 * 87);
    }
  else if (g_str_equal (id, "watch"))
    kwb_test_wait_until (watch_expanded, watch_panel_view (window),
                         "the watch rows expanded at this stop");
  kwb_test_wait_stop_shown (window);
  kwb_test_wait_for_draw (GTK_WIDGET (window));
}

/**
 * kwb_test_run_to_screenshot_stop:
 *
 * The stop the screenshots show: in free_initmem, after a stop in
 * kernel_init at which every kernel panel was brought to the front with
 * its content (so the log and the watch tree mark what changed since
 * then), with the console in front again and the stop drawn.
 *
 * Returns: (transfer full): the refreshes of the kernel panels
 */
KwbTestRefreshes *
kwb_test_run_to_screenshot_stop (KwbWindow *window)
{
  KwbTestRefreshes *refreshes;
  KwbSession *session;
  g_auto(GStrv) panels = kwb_window_list_kernel_panels (window);

  give_panels_content (window);
  refreshes = kwb_test_run_to_stop (window, "kernel_init");
  session = kwb_window_get_session (window);
  for (guint i = 0; panels[i] != NULL; i++)
    kwb_test_show_kernel_panel (refreshes, panels[i]);
  expand_watch_rows (window);
  kwb_window_show_panel (window, "console");
  kwb_test_break_at (session, "free_initmem");
  kwb_test_activate_action (window, "win.continue", NULL);
  kwb_test_wait_stopped_in (session, "free_initmem");
  kwb_test_wait_window_width (GTK_WIDGET (window), 1280);
  kwb_test_wait_stop_shown (window);
  return refreshes;
}

guint
kwb_test_find_line (const char *path,
                    const char *needle)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      return i + 1;
  g_error ("%s not found in %s", needle, path);
}

