/* test-gui-session.c — the main window with a real debug session on the fixture kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Under Xvfb, like test-gui.c, but with QEMU and GDB for real: a project of
 * our own points at the fixture's kernel build and initramfs (the fixture
 * project is never touched). The window is driven through its actions and
 * the functions its gestures call; what GDB has is checked with GDB's own
 * `info breakpoints`. Screenshots go to $KWB_BUILD_ROOT/tests/gui/screenshots/.
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "kwb-application.h"
#include "kwb-window.h"
#include "kwb-modules-page.h"
#include "kwb-test-session.h"

/* Into FOUND, which may hold widgets already. */
static void
find_all (GtkWidget  *root,
          const char *name,
          GPtrArray  *found)
{
  g_autoptr(GPtrArray) all = kwb_test_find_all (root, name);

  g_ptr_array_extend (found, all, NULL, NULL);
}

/* ---- waiting on the session ---- */

typedef struct {
  KwbWindow  *window;
  KwbSession *session;
  const char *func;       /* a sidebar row's title */
  const char *suffix;     /* the current/visible file ends with this */
  const char *text;       /* terminal text */
  guint       count;
  gpointer    old;
  gboolean    flag;
  KwbBreakpoint *bp;
} Wait;

static void
wait_state (Wait            *w,
            KwbSessionState  state)
{
  kwb_test_wait_session_state (w->session, state);
}

static void
wait_stopped_in (Wait       *w,
                 const char *func)
{
  kwb_test_wait_stopped_in (w->session, func);
}

static gboolean
current_in (gpointer data)
{
  Wait *w = data;
  const char *path = kwb_window_get_current_location (w->window, NULL);

  return path != NULL && g_str_has_suffix (path, w->suffix);
}

static char *
terminal_text (KwbWindow *window)
{
  return kwb_test_dup_terminal_text (window);
}

static gboolean
current_line_visible (gpointer data)
{
  Wait *w = data;

  return kwb_source_view_line_is_visible (kwb_window_get_visible_source (w->window), w->count);
}

static gboolean
shell_ready (gpointer data)
{
  Wait *w = data;
  g_autofree char *text = terminal_text (w->window);

  return text != NULL && (strstr (text, "/ # ") != NULL || strstr (text, "Please press Enter") != NULL);
}

/* What GDB itself says, not what our model says. */
static char *
gdb_says (Wait       *w,
          const char *command)
{
  return kwb_test_gdb_says (w->session, command);
}

static void
insert_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;
  g_autoptr(GError) error = NULL;

  w->bp = kwb_session_break_insert_finish (KWB_SESSION (object), result, &error);
  g_assert_no_error (error);
  w->flag = TRUE;
}

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *w = user_data;
  g_autoptr(GError) error = NULL;

  kwb_session_break_change_finish (KWB_SESSION (object), result, &error);
  g_assert_no_error (error);
  w->flag = TRUE;
}

static KwbBreakpoint *
find_model_breakpoint (GListModel *model,
                       const char *function_part)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);

      if (kwb_breakpoint_get_function (bp) != NULL && strstr (kwb_breakpoint_get_function (bp), function_part))
        return g_steal_pointer (&bp);
    }
  return NULL;
}

static gboolean
sidebar_has_newuname (gpointer data)
{
  Wait *w = data;
  g_autoptr(KwbBreakpoint) bp =
    find_model_breakpoint (kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (w->window)), "newuname");

  return bp != NULL && (w->flag ? !kwb_breakpoint_get_enabled (bp) : TRUE);
}

static void
print_page_failure (KwbBreakpointsPage *page,
                    const char         *message)
{
  g_printerr ("breakpoints page: %s\n", message);
}

static gboolean
sidebar_lacks_newuname (gpointer data)
{
  Wait *w = data;
  g_autoptr(KwbBreakpoint) bp =
    find_model_breakpoint (kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (w->window)), "newuname");

  return bp == NULL;
}

static gboolean
frames_listed (gpointer data)
{
  Wait *w = data;

  return g_list_model_get_n_items (kwb_session_get_frames (w->session)) > 0;
}

static gboolean
gdb_console_has (gpointer data)
{
  Wait *w = data;
  g_autofree char *text = kwb_gdb_console_dup_text (kwb_console_get_gdb_console (kwb_window_get_console (w->window)));

  return strstr (text, w->text) != NULL;
}

static gboolean
stopped_at_line (gpointer data)
{
  Wait *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         stop->line == (int) w->count;
}

static gboolean
model_has_condition (gpointer data)
{
  Wait *w = data;
  GListModel *model = kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (w->window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);

      if (g_strcmp0 (kwb_breakpoint_get_condition (bp), "1 == 1") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
model_lacks_condition (gpointer data)
{
  return !model_has_condition (data);
}

static gboolean
locals_have (gpointer data)
{
  Wait *w = data;
  g_autofree char *text = kwb_frames_panel_dup_locals_text (kwb_window_get_frames_panel (w->window));

  return strstr (text, w->text) != NULL;
}

static gboolean
locals_shown (gpointer data)
{
  Wait *w = data;
  g_autofree char *text = kwb_frames_panel_dup_registers_text (kwb_window_get_frames_panel (w->window));

  return strstr (text, "rip") != NULL;
}

static gboolean
button_sensitive (KwbWindow  *window,
                  const char *name)
{
  return gtk_widget_is_sensitive (kwb_test_require_widget (GTK_WIDGET (window), name));
}

/* The cell centre of column COL on the row ROWS_UP above the cursor. */
static void
terminal_point (VteTerminal *terminal,
                long         col,
                long         rows_up,
                double      *x,
                double      *y)
{
  long cursor_col, cursor_row;
  double top = gtk_adjustment_get_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (terminal)));
  long cw = vte_terminal_get_char_width (terminal);
  long ch = vte_terminal_get_char_height (terminal);

  vte_terminal_get_cursor_position (terminal, &cursor_col, &cursor_row);
  *x = col * cw + cw / 2.0;
  *y = (cursor_row - rows_up - top) * ch + ch / 2.0;
}

/* VTE parses fed text on its own schedule: poll for the match. */
static gboolean
link_under_point (gpointer data)
{
  Wait *w = data;
  KwbConsole *console = kwb_window_get_console (w->window);
  g_autofree char *link = NULL;
  double x, y;

  terminal_point (kwb_console_get_terminal (console), w->count, 1, &x, &y);
  link = kwb_console_dup_link_at (console, x, y);
  return link != NULL;
}

static void
check_session (KwbApplication *app,
               KwbWindow      *window,
               gpointer        data)
{
  Wait w = { window, NULL };
  KwbConsole *console = kwb_window_get_console (window);
  VteTerminal *terminal = kwb_console_get_terminal (console);
  KwbSourceView *view;
  g_autoptr(KwbFrame) frame = NULL;
  g_autoptr(KwbBreakpoint) bp = NULL;
  g_autofree char *link = NULL;
  g_autofree char *sys_c = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expect = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const KwbGdbStop *stop;
  guint line, syscall_line, bp_line;
  double x, y;

  /* A change the page could not make is otherwise only a toast. */
  g_signal_connect (kwb_window_get_breakpoints_page (window), "failed", G_CALLBACK (print_page_failure), NULL);

  g_test_message ("step %s", "1");
  /* 1. Start from the window; the project breaks at start_kernel. */
  g_assert_true (button_sensitive (window, "start_button"));
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  g_assert_nonnull (w.session);
  /* Each boot has a terminal of its own. */
  terminal = kwb_console_get_terminal (console);
  wait_stopped_in (&w, "start_kernel");
  stop = kwb_session_get_last_stop (w.session);
  w.suffix = "/init/main.c";
  kwb_test_wait_until (current_in, &w, "init/main.c with the stop mark");
  kwb_window_get_current_location (window, &line);
  g_assert_cmpuint (line, ==, (guint) stop->line);
  view = kwb_window_get_visible_source (window);
  g_assert_true (g_str_has_suffix (kwb_source_view_get_path (view), "/init/main.c"));
  g_assert_cmpuint (kwb_source_view_get_current_line (view), ==, line);
  g_assert_cmpstr (kwb_source_view_get_language_id (view), ==, "c");
  w.count = line;
  kwb_test_wait_until (current_line_visible, &w, "the stop line scrolled into view");
  kwb_test_wait_until (frames_listed, &w, "the backtrace");
  /* At a stop: the backtrace in front, the serial console below, and the
   * source still 100 columns wide. */
  kwb_test_wait_window_width (GTK_WIDGET (window), 1280);
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (kwb_test_require_widget (GTK_WIDGET (window), "backtrace_list")));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (terminal)));
  g_assert_cmpint (kwb_test_source_columns (view), >=, 100);
  frame = g_list_model_get_item (kwb_session_get_frames (w.session), 0);
  g_assert_cmpstr (kwb_frame_get_function (frame), ==, "start_kernel");
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  find_all (kwb_test_require_widget (GTK_WIDGET (window), "backtrace_list"), "frame_row", rows);
  g_assert_cmpuint (rows->len, >=, 1);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (rows->pdata[0]))),
                            "start_kernel"));
  w.window = window;
  kwb_test_wait_until (locals_shown, &w, "the registers of the frame");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (window), "status_label"))),
                            "start_kernel"));
  g_assert_true (button_sensitive (window, "continue_button"));
  g_assert_false (button_sensitive (window, "interrupt_button"));
  g_assert_false (button_sensitive (window, "start_button"));
  g_assert_true (kwb_console_get_attached (console));
  /* The Modules page follows this session's module list. */
  {
    KwbModulesPage *modules_page = KWB_MODULES_PAGE (kwb_test_require_widget (GTK_WIDGET (window), "modules_sidebar"));

    g_assert_nonnull (kwb_modules_page_get_modules (modules_page));
    g_assert_true (G_LIST_MODEL (kwb_modules_page_get_modules (modules_page)) != NULL);
  }
  w.text = "command_line";
  kwb_test_wait_until (locals_have, &w, "start_kernel's locals");
  kwb_test_save_screenshot (GTK_WIDGET (window), "session-stopped-start-kernel.png");

  /* Activating a frame: the source jumps to it, locals follow. */
  {
    g_autoptr(KwbFrame) caller = g_list_model_get_item (kwb_session_get_frames (w.session), 1);
    KwbFramesPanel *panel = kwb_window_get_frames_panel (window);

    kwb_frames_panel_select_frame (panel, 1);
    w.suffix = "/arch/x86/kernel/head64.c";
    kwb_test_wait_until (current_in, &w, "the caller's frame in head64.c");
    kwb_window_get_current_location (window, &line);
    g_assert_cmpuint (line, ==, kwb_frame_get_line (caller));
    w.text = "real_mode_data (argument) = ";
    kwb_test_wait_until (locals_have, &w, "the caller's argument in the locals");
    kwb_frames_panel_select_frame (panel, 0);
    w.suffix = "/init/main.c";
    kwb_test_wait_until (current_in, &w, "back to start_kernel");
    w.text = "command_line";
    kwb_test_wait_until (locals_have, &w, "start_kernel's locals again");
    kwb_window_get_current_location (window, &line);
  }

  g_test_message ("step %s", "2");
  /* Run to cursor (Ctrl+F10) from start_kernel to setup_arch. */
  {
    KwbSourceView *main_c = kwb_window_get_visible_source (window);
    guint target = kwb_test_find_line (kwb_source_view_get_path (main_c), "setup_arch(&command_line);");

    kwb_source_view_scroll_to_line (main_c, target);
    kwb_test_activate_action (GTK_WIDGET (window), "win.run-to-cursor", NULL);
    w.count = target;
    kwb_test_wait_until (stopped_at_line, &w, "run to cursor to reach setup_arch's line");
    w.suffix = "/init/main.c";
    kwb_test_wait_until (current_in, &w, "the stop mark on setup_arch's line");
    kwb_window_get_current_location (window, &line);
    g_assert_cmpuint (line, ==, target);
  }

  /* The gutter's context-menu actions: a conditional breakpoint, then
   * delete. (Popping the menu itself up makes GDK 4.8 complain about the
   * monitor under Xvfb, fatal here: the actions are called directly.) */
  {
    KwbSourceView *main_c = kwb_window_get_visible_source (window);
    guint target = kwb_test_find_line (kwb_source_view_get_path (main_c), "trap_init();");
    g_autoptr(KwbBreakpoint) cond_bp = NULL;
    AdwMessageDialog *dialog = NULL;
    g_autofree char *info = NULL;

    /* What its "Add Conditional Breakpoint…" item activates. */
    kwb_test_activate_action (GTK_WIDGET (window), "win.breakpoint-condition", g_variant_new_uint32 (target));
    for (GList *l = gtk_window_list_toplevels (); l; l = g_list_delete_link (l, l))
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_assert_nonnull (dialog);
    gtk_editable_set_text (GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog)), "1 == 1");
    adw_message_dialog_response (dialog, "set");
    gtk_window_destroy (GTK_WINDOW (dialog));
    w.text = "trap_init";
    kwb_test_wait_until (model_has_condition, &w, "the conditional breakpoint");
    info = gdb_says (&w, "info breakpoints");
    g_assert_nonnull (strstr (info, "stop only if 1 == 1"));
    g_assert_cmpint (kwb_source_view_get_breakpoint_mark (main_c, target), ==, KWB_BREAKPOINT_MARK_ENABLED);
    kwb_test_activate_action (GTK_WIDGET (window), "win.breakpoint-delete", g_variant_new_uint32 (target));
    kwb_test_wait_until (model_lacks_condition, &w, "the conditional breakpoint deleted");
    g_assert_cmpint (kwb_source_view_get_breakpoint_mark (main_c, target), ==, KWB_BREAKPOINT_MARK_NONE);
  }

  /* 2. An oops line in the console is a link to its source line. */
  vte_terminal_feed (terminal, "\r\n[    1.234567] RIP: 0010:__do_sys_newuname+0x1a/0xd0\r\n", -1);
  w.count = 22;
  kwb_test_wait_until (link_under_point, &w, "the oops line to be a link");
  terminal_point (terminal, 22, 1, &x, &y);
  link = kwb_console_dup_link_at (console, x, y);
  g_assert_nonnull (link);
  g_assert_nonnull (strstr (link, "__do_sys_newuname+0x1a/0xd0"));
  g_assert_true (kwb_console_activate_link (console, link));
  w.suffix = "/kernel/sys.c";
  kwb_test_wait_source_visible (window, w.suffix, "the oops link to open kernel/sys.c");
  view = kwb_window_get_visible_source (window);
  sys_c = g_strdup (kwb_source_view_get_path (view));
  syscall_line = kwb_test_find_line (sys_c, "SYSCALL_DEFINE1(newuname");
  g_assert_cmpuint (kwb_source_view_get_cursor_line (view), >=, syscall_line);
  g_assert_cmpuint (kwb_source_view_get_cursor_line (view), <, syscall_line + 30);
  /* A call-trace line ("? func+off/size") too, and the stop mark stays. */
  vte_terminal_feed (terminal, " ? start_kernel+0x1a/0x30\r\n", -1);
  w.count = 5;
  kwb_test_wait_until (link_under_point, &w, "the call-trace line to be a link");
  g_clear_pointer (&link, g_free);
  terminal_point (terminal, 5, 1, &x, &y);
  link = kwb_console_dup_link_at (console, x, y);
  g_assert_nonnull (link);
  g_assert_true (kwb_console_activate_link (console, link));
  w.suffix = "/init/main.c";
  kwb_test_wait_source_visible (window, w.suffix, "the call-trace link to open init/main.c");
  g_assert_cmpuint (kwb_source_view_get_current_line (kwb_window_get_visible_source (window)), ==, line);

  g_test_message ("step %s", "3");
  /* 3. A stop without source shows the disassembly. int3_magic is asm
   * without line information that boot runs (the int3 self-test). */
  w.flag = FALSE;
  kwb_session_break_insert_async (w.session, "*int3_magic", KWB_GDB_BREAK_NONE, NULL, NULL, insert_cb, &w);
  kwb_test_wait_until (kwb_test_flag_set, &w.flag, "the int3_magic breakpoint");
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (&w, "int3_magic");
  w.suffix = "";
  kwb_test_wait_until (current_in, &w, "the disassembly with the stop mark");
  view = kwb_window_get_visible_source (window);
  g_assert_null (kwb_source_view_get_path (view));
  g_assert_cmpstr (kwb_source_view_get_title (view), ==, "Disassembly");
  {
    g_autofree char *text = kwb_source_view_dup_line_text (view, kwb_source_view_get_current_line (view));

    g_assert_nonnull (strstr (text, "<int3_magic+0>"));
  }
  kwb_test_save_screenshot (GTK_WIDGET (window), "session-disassembly.png");
  w.flag = FALSE;
  kwb_session_break_delete_async (w.session, kwb_breakpoint_get_number (w.bp), NULL, change_cb, &w);
  kwb_test_wait_until (kwb_test_flag_set, &w.flag, "deleting the int3_magic breakpoint");
  g_clear_object (&w.bp);

  g_test_message ("step %s", "4");
  /* 4. F5 on to the shell. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_state (&w, KWB_SESSION_STATE_RUNNING);
  kwb_test_wait_until (shell_ready, &w, "the BusyBox shell in the console");
  {
    g_autofree char *text = terminal_text (window);

    if (strstr (text, "/ # ") == NULL)
      {
        vte_terminal_feed_child (terminal, "\n", -1);
        kwb_test_wait_terminal_shows (window, "/ # ", "the shell prompt");
      }
  }
  g_assert_null (kwb_window_get_current_location (window, NULL));
  g_assert_false (button_sensitive (window, "continue_button"));
  g_assert_true (button_sensitive (window, "interrupt_button"));
  g_assert_true (button_sensitive (window, "stop_button"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (window), "status_label"))),
                            "Running"));
  kwb_test_save_screenshot (GTK_WIDGET (window), "session-running-shell.png");

  g_test_message ("step %s", "5");
  /* 5. A gutter click on SYSCALL_DEFINE1(newuname while the guest runs. */
  view = kwb_window_open_source (window, sys_c);
  g_assert_nonnull (view);
  kwb_source_view_activate_line (view, syscall_line, GDK_BUTTON_PRIMARY);
  w.flag = FALSE;
  kwb_test_wait_until (sidebar_has_newuname, &w, "the new breakpoint in the sidebar");
  bp = find_model_breakpoint (kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (window)), "newuname");
  bp_line = kwb_breakpoint_get_line (bp);
  g_assert_cmpuint (bp_line, >=, syscall_line);
  g_assert_cmpuint (bp_line, <, syscall_line + 5);
  g_assert_cmpint (kwb_source_view_get_breakpoint_mark (view, bp_line), ==, KWB_BREAKPOINT_MARK_ENABLED);
  wait_state (&w, KWB_SESSION_STATE_RUNNING);
  out = gdb_says (&w, "info breakpoints");
  expect = g_strdup_printf ("kernel/sys.c:%u", bp_line);
  g_assert_nonnull (strstr (out, expect));
  g_clear_pointer (&out, g_free);
  wait_state (&w, KWB_SESSION_STATE_RUNNING);

  g_test_message ("step %s", "6");
  /* 6. The command typed in the terminal hits it; the view follows. */
  vte_terminal_feed_child (terminal, "uname -r\n", -1);
  /* The line's first location may be the syscall's wrapper
   * (__x64_sys_newuname) with __do_sys_newuname inlined. */
  wait_stopped_in (&w, "sys_newuname");
  w.suffix = "/kernel/sys.c";
  kwb_test_wait_until (current_in, &w, "kernel/sys.c with the stop mark");
  view = kwb_window_get_visible_source (window);
  kwb_window_get_current_location (window, &line);
  g_assert_cmpuint (line, ==, (guint) kwb_session_get_last_stop (w.session)->line);
  g_assert_true (kwb_source_view_get_hit_mark (view));
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 1);
  kwb_test_wait_until (frames_listed, &w, "the backtrace at the hit");
  /* A syscall from the shell: the backtrace ends in the user program, whose
   * frames GDB has no symbols for. They say "user space", not "??". */
  {
    GListModel *frames = kwb_session_get_frames (w.session);
    guint user_frames = 0, user_rows = 0;

    for (guint i = 0; i < g_list_model_get_n_items (frames); i++)
      {
        g_autoptr(KwbFrame) f = g_list_model_get_item (frames, i);

        user_frames += kwb_frame_is_user_space (f);
      }
    g_assert_cmpuint (user_frames, >=, 1);
    kwb_test_wait_for_draw (GTK_WIDGET (window));
    g_ptr_array_set_size (rows, 0);
    find_all (kwb_test_require_widget (GTK_WIDGET (window), "backtrace_list"), "frame_row", rows);
    for (guint i = 0; i < rows->len; i++)
      {
        const char *title = gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (rows->pdata[i])));

        g_assert_null (strstr (title, "??"));
        user_rows += g_str_has_suffix (title, "user space");
      }
    g_assert_cmpuint (user_rows, ==, user_frames);
  }
  kwb_test_save_screenshot (GTK_WIDGET (window), "session-breakpoint-hit.png");
  /* Dark style: the source scheme and the terminal follow. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (GTK_WIDGET (window), "session-breakpoint-hit-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  g_test_message ("step %s", "7");
  /* 7. F5 continues: uname prints the release. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_state (&w, KWB_SESSION_STATE_RUNNING);
  kwb_test_wait_terminal_shows (window, "6.1", "uname’s output");

  g_test_message ("step %s", "8");
  /* 8. The sidebar's switch and delete button act in GDB. */
  g_ptr_array_set_size (rows, 0);
  find_all (GTK_WIDGET (kwb_window_get_breakpoints_page (window)), "breakpoint_row", rows);
  {
    GtkWidget *row = NULL;

    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget *r = rows->pdata[i];

        if (!GTK_IS_BOX (r))
          continue;
        if (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (r, "breakpoint_title"))), "newuname"))
          row = r;
      }
    g_assert_nonnull (row);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (kwb_test_require_widget (row, "breakpoint_switch"))));
    gtk_switch_set_active (GTK_SWITCH (kwb_test_require_widget (row, "breakpoint_switch")), FALSE);
    w.flag = TRUE; /* wait for it disabled */
    kwb_test_wait_until (sidebar_has_newuname, &w, "the breakpoint disabled");
    wait_state (&w, KWB_SESSION_STATE_RUNNING);
    out = gdb_says (&w, "info breakpoints");
    {
      g_autofree char *pattern = g_strdup_printf ("(?m)^%s\\s+breakpoint\\s+keep\\s+n\\s", kwb_breakpoint_get_number (bp));

      g_assert_true (g_regex_match_simple (pattern, out, 0, 0));
    }
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (kwb_source_view_get_breakpoint_mark (kwb_window_open_source (window, sys_c), bp_line), ==,
                     KWB_BREAKPOINT_MARK_DISABLED);
    wait_state (&w, KWB_SESSION_STATE_RUNNING);
    g_signal_emit_by_name (kwb_test_require_widget (row, "breakpoint_delete"), "clicked");
    kwb_test_wait_until (sidebar_lacks_newuname, &w, "the breakpoint deleted");
    out = gdb_says (&w, "info breakpoints");
    g_assert_null (strstr (out, expect));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (kwb_source_view_get_breakpoint_mark (kwb_window_open_source (window, sys_c), bp_line), ==,
                     KWB_BREAKPOINT_MARK_NONE);
  }

  g_test_message ("step %s", "9");
  /* 9. The GDB console tab, with history. */
  {
    KwbGdbConsole *gdb_console = kwb_console_get_gdb_console (console);

    kwb_test_activate_action (GTK_WIDGET (window), "win.gdb-console", NULL);
    kwb_gdb_console_run (gdb_console, "p 40+2");
    w.text = "= 42";
    kwb_test_wait_until (gdb_console_has, &w, "the GDB console’s answer");
    kwb_gdb_console_history_move (gdb_console, -1);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kwb_gdb_console_get_entry (gdb_console))), ==, "p 40+2");
    kwb_gdb_console_history_move (gdb_console, +1);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kwb_gdb_console_get_entry (gdb_console))), ==, "");
    kwb_console_show_page (console, "serial");
  }

  g_test_message ("step %s", "10");
  /* 10. Stop: the VM goes, the controls follow. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_state (&w, KWB_SESSION_STATE_EXITED);
  g_assert_false (button_sensitive (window, "stop_button"));
  g_assert_true (button_sensitive (window, "start_button"));
}

/* ---- before a session: quick open, breakpoints kept for the start ---- */

static gboolean
quick_open_ready (gpointer data)
{
  return kwb_quick_open_get_ready (data);
}

static gboolean
sidebar_has_fork (gpointer data)
{
  Wait *w = data;
  g_autoptr(KwbBreakpoint) bp =
    find_model_breakpoint (kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (w->window)),
                           "kernel_clone");

  return bp != NULL;
}

static gboolean
session_replaced (gpointer data)
{
  Wait *w = data;
  KwbSession *now = kwb_window_get_session (w->window);

  return now != NULL && now != w->old;
}

static void
check_before_session (KwbApplication *app,
                      KwbWindow      *window,
                      gpointer        data)
{
  Wait w = { window, NULL };
  KwbQuickOpen *quick_open;
  GListModel *results;
  KwbSourceView *view;
  g_autofree char *fork_c = NULL;
  gboolean found = FALSE;
  guint line;

  /* Ctrl+O lists the tree once, in a thread, and then filters it. */
  quick_open = kwb_window_quick_open (window);
  kwb_test_wait_until (quick_open_ready, quick_open, "the source tree listing");
  g_assert_cmpuint (kwb_quick_open_get_n_files (quick_open), >, 50000);
  kwb_quick_open_set_query (quick_open, "kernel/fork");
  results = kwb_quick_open_get_results (quick_open);
  g_assert_cmpuint (g_list_model_get_n_items (results), >, 0);
  for (guint i = 0; i < 3 && i < g_list_model_get_n_items (results); i++)
    found |= g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (results), i), "kernel/fork.c") == 0;
  g_assert_true (found);
  kwb_quick_open_set_query (quick_open, "zzzzqqqq");
  g_assert_cmpuint (g_list_model_get_n_items (results), ==, 0);
  kwb_quick_open_set_query (quick_open, "fork.c");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (results), 0), ==, "kernel/fork.c");
  kwb_test_save_screenshot (GTK_WIDGET (quick_open), "quick-open.png");
  kwb_quick_open_activate (quick_open, 0);

  view = kwb_window_get_visible_source (window);
  g_assert_nonnull (view);
  fork_c = g_strdup (kwb_source_view_get_path (view));
  g_assert_true (g_str_has_suffix (fork_c, "/kernel/fork.c"));

  /* F9 on a line before booting: kept, marked, applied at start. */
  line = kwb_test_find_line (fork_c, "pid_t kernel_clone(struct kernel_clone_args *args)");
  kwb_source_view_scroll_to_line (view, line + 2); /* a line inside the body */
  kwb_test_activate_action (GTK_WIDGET (window), "win.toggle-breakpoint", NULL);
  g_assert_cmpint (kwb_source_view_get_breakpoint_mark (view, line + 2), ==, KWB_BREAKPOINT_MARK_ENABLED);
  g_assert_cmpstr (adw_status_page_get_title (ADW_STATUS_PAGE (kwb_test_require_widget (GTK_WIDGET (window), "breakpoints_page"))),
                   ==, "1 Breakpoint Waiting");
  kwb_test_save_screenshot (GTK_WIDGET (window), "before-session-breakpoint.png");

  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  wait_stopped_in (&w, "start_kernel");
  kwb_test_wait_until (sidebar_has_fork, &w, "the breakpoint set before the session, in GDB");

  /* Restart (Ctrl+Shift+F5): a new boot with the same breakpoints, the
   * terminal on the new serial console. */
  {
    KwbSession *first = w.session;

    g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
    kwb_test_activate_action (GTK_WIDGET (window), "win.restart", NULL);
    w.old = first;
    kwb_test_wait_until (session_replaced, &w, "a new session");
    w.session = kwb_window_get_session (window);
    if (first != NULL)
      g_object_remove_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  }
  wait_stopped_in (&w, "start_kernel");
  kwb_test_wait_until (sidebar_has_fork, &w, "the breakpoint carried into the new session");
  g_assert_true (kwb_console_get_attached (kwb_window_get_console (window)));
  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_state (&w, KWB_SESSION_STATE_EXITED);

  /* Start again after a stop: the same, from win.start. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  wait_stopped_in (&w, "start_kernel");
  kwb_test_wait_until (sidebar_has_fork, &w, "the breakpoint in the third session");
  /* The kernel's messages reach the new terminal; then init's fork hits. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  wait_stopped_in (&w, "kernel_clone");
  kwb_test_wait_terminal_shows (window, "Linux version", "the kernel's messages in the terminal after a restart");
  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_state (&w, KWB_SESSION_STATE_EXITED);
}

/* ---- watchpoints: the window's action, the sidebar, the source menu ---- */

static GtkWidget *
sidebar_row (KwbWindow  *window,
             const char *title)
{
  g_autoptr(GPtrArray) rows = kwb_test_find_all (GTK_WIDGET (kwb_window_get_breakpoints_page (window)),
                                                 "breakpoint_row");

  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = rows->pdata[i];

      if (GTK_IS_BOX (row) &&
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (row, "breakpoint_title"))), title) == 0)
        return row;
    }
  return NULL;
}

static gboolean
sidebar_row_says (gpointer data)
{
  Wait *w = data;
  GtkWidget *row = sidebar_row (w->window, w->func);
  return row != NULL &&
         strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (row, "breakpoint_subtitle"))), w->text);
}

static gboolean
registers_say (gpointer data)
{
  Wait *w = data;
  GtkWidget *label = kwb_test_require_widget (GTK_WIDGET (kwb_window_get_breakpoints_page (w->window)),
                                              "breakpoints_debug_registers");

  return gtk_widget_get_visible (label) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), w->text) == 0;
}

static gboolean
status_says (gpointer data)
{
  Wait *w = data;

  return strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (w->window), "status_label"))),
                 w->text) != NULL;
}

static gboolean
model_has_hardware_at (gpointer data)
{
  Wait *w = data;
  GListModel *model = kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (w->window));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KwbBreakpoint) bp = g_list_model_get_item (model, i);

      if (kwb_breakpoint_get_kind (bp) == KWB_BREAKPOINT_KIND_HARDWARE && kwb_breakpoint_get_line (bp) == w->count)
        return TRUE;
    }
  return FALSE;
}

static gboolean
stopped_by_watchpoint (gpointer data)
{
  Wait *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  if (kwb_session_get_state (w->session) == KWB_SESSION_STATE_FAILED)
    g_error ("The session failed: %s", kwb_session_get_failure_reason (w->session));
  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         g_strcmp0 (stop->reason, "watchpoint-trigger") == 0;
}

/* What "Stop When Written" takes at the cursor, on a file of our own. */
static void
check_watch_expressions (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWidget *window = gtk_window_new ();
  KwbSourceView *view;
  GtkTextBuffer *buffer;
  GtkTextIter iter, end;
  /* Cursor columns in "  p->comm[0] = x.y;". */
  static const struct { int column; const char *expected; } cases[] = {
    { 6, "p->comm" },   /* inside "comm": the member with its chain */
    { 9, "p->comm" },   /* just after it */
    { 2, "p" },
    { 17, "x.y" },
    { 13, NULL },       /* on "=": nothing to watch */
  };
  const char *text = "  p->comm[0] = x.y;\n";
  int fd = g_file_open_tmp ("kwb-watch-XXXXXX.c", &path, &error);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_close (fd, NULL);
  view = kwb_source_view_new_for_file (path, &error);
  g_assert_no_error (error);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kwb_source_view_get_text_view (view)));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expression = NULL;

      gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, cases[i].column);
      gtk_text_buffer_place_cursor (buffer, &iter);
      expression = kwb_source_view_dup_watch_expression (view);
      g_assert_cmpstr (expression, ==, cases[i].expected);
    }
  /* A selection wins, as selected. */
  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, 2);
  gtk_text_buffer_get_iter_at_line_offset (buffer, &end, 0, 12);
  gtk_text_buffer_select_range (buffer, &iter, &end);
  {
    g_autofree char *expression = kwb_source_view_dup_watch_expression (view);

    g_assert_cmpstr (expression, ==, "p->comm[0]");
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
}

static void
check_watchpoint (KwbApplication *app,
                  KwbWindow      *window,
                  gpointer        data)
{
  Wait w = { window, NULL };
  KwbSourceView *view;
  GtkTextBuffer *buffer;
  GtkTextIter iter, match;
  GtkWidget *row;
  const KwbGdbStop *stop;

  check_watch_expressions ();

  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  wait_stopped_in (&w, "start_kernel");
  /* A stop brings the frames to the front of the dock the sidebar shares. */
  kwb_window_show_panel (window, "breakpoints");
  w.text = "0 of 4 debug registers in use";
  kwb_test_wait_until (registers_say, &w, "no debug register in use");

  /* The action other views use: a write watchpoint, listed with its kind. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.watch-expression", g_variant_new ("(ss)", "jiffies", "write"));
  w.func = "jiffies";
  w.text = "watchpoint";
  kwb_test_wait_until (sidebar_row_says, &w, "the watchpoint in the sidebar");
  row = sidebar_row (window, "jiffies");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (row, "breakpoint_kind"))), ==, "on write");
  g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (row, "breakpoint_kind")));
  w.text = "1 of 4 debug registers in use";
  kwb_test_wait_until (registers_say, &w, "one debug register in use");

  /* Continue: the tick writes jiffies, the sidebar counts the hit. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_until (stopped_by_watchpoint, &w, "the watchpoint's stop");
  stop = kwb_session_get_last_stop (w.session);
  g_assert_cmpstr (stop->watch_expression, ==, "jiffies");
  g_assert_nonnull (stop->value_new);
  kwb_window_show_panel (window, "breakpoints");
  w.text = "1 hit";
  kwb_test_wait_until (sidebar_row_says, &w, "the hit count in the sidebar");
  w.text = g_strdup_printf ("= %s", stop->value_new);
  kwb_test_wait_until (sidebar_row_says, &w, "the new value in the sidebar");
  g_free ((char *) w.text);
  /* The status bar says what the watchpoint saw. */
  w.text = g_strdup_printf ("Watchpoint jiffies: %s → %s, in ", stop->value_old, stop->value_new);
  kwb_test_wait_until (status_says, &w, "the old and new values in the status bar");
  g_free ((char *) w.text);

  /* "Stop When Read" from the source view's menu, on the identifier under
   * the cursor: loops_per_jiffy is defined in init/main.c, where the start
   * breakpoint is. */
  {
    g_autoptr(KwbBreakpoint) start = find_model_breakpoint (kwb_breakpoints_page_get_model (kwb_window_get_breakpoints_page (window)),
                                                            "start_kernel");
    g_autofree char *main_c = kwb_session_map_source_path (w.session, kwb_breakpoint_get_fullname (start));

    g_assert_nonnull (main_c);
    view = kwb_window_open_source (window, main_c);
  }
  g_assert_nonnull (view);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (kwb_source_view_get_text_view (view)));
  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_true (gtk_text_iter_forward_search (&iter, "loops_per_jiffy", 0, &match, NULL, NULL));
  gtk_text_iter_forward_chars (&match, 3);
  gtk_text_buffer_place_cursor (buffer, &match);
  kwb_test_activate_action (GTK_WIDGET (view), "source.watch-read", NULL);
  w.func = "loops_per_jiffy";
  w.text = "watchpoint";
  kwb_test_wait_until (sidebar_row_says, &w, "the read watchpoint in the sidebar");
  row = sidebar_row (window, "loops_per_jiffy");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (row, "breakpoint_kind"))), ==, "on read");
  w.text = "2 of 4 debug registers in use";
  kwb_test_wait_until (registers_say, &w, "two debug registers in use");

  /* The text's context menu has the three items; "Hardware Breakpoint
   * Here" sets one on the cursor's line, listed as hardware. */
  {
    GMenuModel *extra = gtk_text_view_get_extra_menu (GTK_TEXT_VIEW (kwb_source_view_get_text_view (view)));
    GMenuModel *section = g_menu_model_get_item_link (extra, 0, G_MENU_LINK_SECTION);
    const char *actions[] = { "source.watch-write", "source.watch-read", "source.hardware-breakpoint" };

    g_assert_cmpint (g_menu_model_get_n_items (section), ==, G_N_ELEMENTS (actions));
    for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
      {
        g_autofree char *action = NULL;

        g_assert_true (g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
        g_assert_cmpstr (action, ==, actions[i]);
      }
    g_object_unref (section);
  }
  gtk_text_buffer_get_start_iter (buffer, &iter);
  g_assert_true (gtk_text_iter_forward_search (&iter, "\tboot_cpu_init();", 0, &match, NULL, NULL));
  gtk_text_iter_forward_chars (&match, 3);
  gtk_text_buffer_place_cursor (buffer, &match);
  w.count = gtk_text_iter_get_line (&match) + 1;
  kwb_test_activate_action (GTK_WIDGET (view), "source.hardware-breakpoint", NULL);
  kwb_test_wait_until (model_has_hardware_at, &w, "the hardware breakpoint on the cursor's line");
  w.text = "3 of 4 debug registers in use";
  kwb_test_wait_until (registers_say, &w, "three debug registers in use");

  /* The start breakpoint is an ordinary one: no kind, its hit counted. */
  w.func = "start_kernel";
  w.text = "1 hit";
  kwb_test_wait_until (sidebar_row_says, &w, "start_kernel's hit count");
  g_assert_false (gtk_widget_get_visible (kwb_test_require_widget (sidebar_row (window, "start_kernel"),
                                                                   "breakpoint_kind")));

  kwb_window_show_panel (window, "breakpoints");
  kwb_test_save_screenshot (GTK_WIDGET (window), "watchpoints.png");

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  wait_state (&w, KWB_SESSION_STATE_EXITED);
}

int
main (int   argc,
      char *argv[])
{
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_data_func ("/gui/session/debug", check_session, kwb_test_on_session_project);
  g_test_add_data_func ("/gui/session/before-start", check_before_session, kwb_test_on_session_project);
  g_test_add_data_func ("/gui/session/watchpoint", check_watchpoint, kwb_test_on_session_project);
  return g_test_run ();
}
