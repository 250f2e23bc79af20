/* test-gui-console-diagnosis.c — a failed boot's diagnosis above the serial console (fixture kernel, Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A project on the fixture kernel without an initramfs (kernel.initramfs is
 * builtin, and the kernel holds none) is booted from the window: the guest
 * stops at start_kernel, continues, and panics. The terminal's lines reach
 * the console's diagnosis and the banner says what to do; Hide hides it.
 * A message the terminal wrapped over two rows is then fed to it as well.
 * The screenshot is console-diagnosis.png in the test's folder.
 */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "kwb-console.h"
#include "kwb-core.h"
#include "kwb-test-gtk-utils.h"
#include "kwb-test-session.h"

typedef struct {
  KwbWindow  *window;
  KwbSession *session;
} Wait;

static gboolean
stopped_at_start (gpointer data)
{
  Wait *w = data;
  const KwbGdbStop *stop = kwb_session_get_last_stop (w->session);

  return kwb_session_get_state (w->session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         g_strcmp0 (stop->func, "start_kernel") == 0;
}

static gboolean
banner_shown (gpointer data)
{
  Wait *w = data;
  GtkRevealer *revealer = GTK_REVEALER (kwb_test_require_widget (GTK_WIDGET (w->window),
                                                                 "console_diagnosis_revealer"));

  return gtk_revealer_get_reveal_child (revealer) && gtk_revealer_get_child_revealed (revealer);
}

static gboolean
banner_hidden (gpointer data)
{
  Wait *w = data;
  GtkRevealer *revealer = GTK_REVEALER (kwb_test_require_widget (GTK_WIDGET (w->window),
                                                                 "console_diagnosis_revealer"));

  return !gtk_revealer_get_child_revealed (revealer);
}

static void
check_no_initramfs (KwbApplication *app,
                    KwbWindow      *window,
                    gpointer        data)
{
  Wait w = { window, NULL };
  KwbConsole *console = kwb_window_get_console (window);
  GtkWidget *title;
  GtkWidget *advice;

  g_assert_false (banner_shown (&w));
  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  w.session = kwb_window_get_session (window);
  g_assert_nonnull (w.session);
  kwb_test_wait_until (stopped_at_start, &w, "the stop at start_kernel");
  /* Halted in GDB, nothing printed yet: the console is not diagnosed. */
  g_assert_nonnull (kwb_console_get_diagnosis (console));
  g_assert_false (kwb_console_diagnosis_has_problem (kwb_console_get_diagnosis (console),
                                                     KWB_CONSOLE_PROBLEM_SILENT));
  g_assert_false (banner_shown (&w));

  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_until (banner_shown, &w, "the diagnosis banner above the console");
  g_assert_true (kwb_console_diagnosis_has_problem (kwb_console_get_diagnosis (console),
                                                    KWB_CONSOLE_PROBLEM_NO_INITRAMFS));
  g_assert_false (kwb_console_diagnosis_has_problem (kwb_console_get_diagnosis (console),
                                                     KWB_CONSOLE_PROBLEM_NO_INIT));
  title = kwb_test_require_widget (GTK_WIDGET (window), "console_diagnosis_title");
  advice = kwb_test_require_widget (GTK_WIDGET (window), "console_diagnosis_advice");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==,
                   kwb_console_problem_get_title (KWB_CONSOLE_PROBLEM_NO_INITRAMFS));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (advice)), "kwb initramfs"));
  g_assert_true (gtk_widget_is_drawable (title));
  /* The banner is there for the kernel's panic: the window stopped at it,
   * before the kernel printed it (the crash stop has the message). */
  {
    KwbCrash *crash = kwb_session_get_crash (w.session);

    g_assert_nonnull (crash);
    g_assert_cmpint (kwb_crash_get_kind (crash), ==, KWB_CRASH_PANIC);
    g_assert_nonnull (strstr (kwb_crash_get_title (crash), "No working init found"));
    g_assert_true (gtk_widget_get_visible (kwb_test_require_widget (GTK_WIDGET (window), "crash_banner")));
  }
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "console-diagnosis.png");

  kwb_test_click (kwb_test_require_widget (GTK_WIDGET (window), "console_diagnosis_close"));
  kwb_test_wait_until (banner_hidden, &w, "the banner hidden by its close button");

  /* A message the terminal wraps over two rows is still one line. */
  {
    VteTerminal *terminal = kwb_console_get_terminal (console);
    glong columns = vte_terminal_get_column_count (terminal);
    g_autofree char *pad = g_strnfill (columns - 20, '.');
    g_autofree char *line = g_strdup_printf ("\r\n%s/etc/init.d/rcS: line 3: can't create "
                                             "/proc/sys/kernel/hotplug: nonexistent directory\r\n", pad);

    vte_terminal_feed (terminal, line, -1);
    kwb_test_wait_until (banner_shown, &w, "the banner for a wrapped message");
    g_assert_true (kwb_console_diagnosis_has_problem (kwb_console_get_diagnosis (console),
                                                      KWB_CONSOLE_PROBLEM_NO_HOTPLUG));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (title)), ==,
                     kwb_console_problem_get_title (KWB_CONSOLE_PROBLEM_NO_HOTPLUG));
  }
}

static void
test_no_initramfs (void)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = kwb_test_make_session_project ();
  kwb_test_run_kwb ((const char *[]) { "set", project, "kernel.initramfs", "builtin", NULL });
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, check_no_initramfs, NULL);
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_func ("/gui/console-diagnosis/no-initramfs", test_no_initramfs);
  return g_test_run ();
}
