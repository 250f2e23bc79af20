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

#include "kwb-test-session.h"

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
kwb_test_break_at (KwbSession *session,
                   const char *location)
{
  gboolean done = FALSE;

  kwb_session_break_insert_async (session, location, KWB_GDB_BREAK_NONE, NULL, NULL, insert_cb, &done);
  kwb_test_wait_until (kwb_test_flag_set, &done, location);
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
void
kwb_test_on_session_project (gconstpointer check)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
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

/**
 * kwb_test_run_to_screenshot_stop:
 *
 * The stop the screenshots show: in free_initmem, after a stop in
 * kernel_init at which every kernel panel was brought to the front (so
 * the log marks what is new since then), with the console in front again
 * and the stop drawn.
 *
 * Returns: (transfer full): the refreshes of the kernel panels
 */
KwbTestRefreshes *
kwb_test_run_to_screenshot_stop (KwbWindow *window)
{
  KwbTestRefreshes *refreshes = kwb_test_run_to_stop (window, "kernel_init");
  KwbSession *session = kwb_window_get_session (window);
  g_auto(GStrv) panels = kwb_window_list_kernel_panels (window);

  for (guint i = 0; panels[i] != NULL; i++)
    kwb_test_show_kernel_panel (refreshes, panels[i]);
  kwb_window_show_panel (window, "console");
  kwb_test_break_at (session, "free_initmem");
  kwb_test_activate_action (window, "win.continue", NULL);
  kwb_test_wait_stopped_in (session, "free_initmem");
  kwb_test_wait_window_width (GTK_WIDGET (window), 1280);
  kwb_test_wait_stop_shown (window);
  return refreshes;
}
