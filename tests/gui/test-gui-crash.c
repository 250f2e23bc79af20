/* test-gui-crash.c — the window at a crash stop (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A module project (tests/data/modules/kwb_crash_mod) is built against the
 * fixture kernel; its module writes through NULL when "null" is written to
 * /proc/kwb_crash from the window's console. The window must stop at the
 * module's own line (the source view on kwb_crash_mod.c, the backtrace
 * starting at the faulting function), show the crash banner with the
 * kernel's report; after Continue the kernel must go on with its oops
 * handling (it prints the report's end marker and kills the shell, whose
 * init starts a new one) without a second crash stop: the CPU got its own
 * registers back. A screenshot goes to
 * BUILD/tests/gui/screenshots/crash.png. Needs KWB_FIXTURE_PROJECT.
 */
#include "config.h"

#include <adwaita.h>

#include "kwb-core.h"
#include "kwb-test-gtk-utils.h"
#include "kwb-test-session.h"

static gboolean
frames_listed (gpointer data)
{
  return g_list_model_get_n_items (kwb_session_get_frames (data)) >= 2;
}

static void
check_crash (KwbApplication *app,
             KwbWindow      *window,
             gpointer        data)
{
  const char *source = data;
  g_autofree char *file = g_build_filename (source, "kwb_crash_mod.c", NULL);
  KwbSession *session;
  KwbCrash *crash;
  GtkWidget *banner;
  g_autoptr(KwbFrame) first = NULL;
  g_autoptr(KwbFrame) second = NULL;

  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  session = kwb_window_get_session (window);
  g_assert_nonnull (session);
  kwb_test_wait_terminal_shows (window, "Please press Enter", "the shell");
  vte_terminal_feed_child (kwb_console_get_terminal (kwb_window_get_console (window)),
                           "\ninsmod /lib/modules/$(uname -r)/kwb_crash_mod.ko; echo null > /proc/kwb_crash\n", -1);
  kwb_test_wait_stopped_in (session, "kwb_crash_store");

  crash = kwb_session_get_crash (session);
  g_assert_nonnull (crash);
  g_assert_cmpint (kwb_crash_get_kind (crash), ==, KWB_CRASH_OOPS);
  g_assert_true (g_str_has_prefix (kwb_crash_get_title (crash), "BUG: kernel NULL pointer dereference"));

  /* The faulting line, in the module's own source. */
  kwb_test_wait_source_visible (window, "/kwb_crash_mod.c", "the module's source in front");
  kwb_test_wait_stop_shown (window);
  g_assert_cmpuint (kwb_source_view_get_current_line (kwb_window_get_visible_source (window)), ==,
                    kwb_test_find_line (file, "KWB-LINE: store"));
  kwb_test_wait_until (frames_listed, session, "the backtrace");
  first = g_list_model_get_item (kwb_session_get_frames (session), 0);
  second = g_list_model_get_item (kwb_session_get_frames (session), 1);
  g_assert_cmpstr (kwb_frame_get_function (first), ==, "kwb_crash_store");
  g_assert_cmpstr (kwb_frame_get_function (second), ==, "kwb_crash_write");

  /* The banner: what crashed, where, and the kernel's report with links. */
  banner = kwb_test_require_widget (GTK_WIDGET (window), "crash_banner");
  g_assert_true (gtk_widget_get_visible (banner));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (banner, "crash_title"))),
                            "kwb_crash_store"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (banner, "crash_title"))),
                            "kwb_crash_mod.c"));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (banner, "crash_headline"))), ==,
                   kwb_crash_get_title (crash));
  gtk_expander_set_expanded (GTK_EXPANDER (kwb_test_require_widget (banner, "crash_expander")), TRUE);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (banner, "crash_report"))),
                            "<a href=\"RIP: 0010:kwb_crash_store"));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "crash.png");

  /* Continue: the kernel finishes its report and kills the shell; no second oops. */
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_session_state (session, KWB_SESSION_STATE_RUNNING);
  g_assert_false (gtk_widget_get_visible (banner));
  g_assert_null (kwb_session_get_crash (session));
  kwb_test_wait_terminal_shows (window, "---[ end trace", "the end of the oops report");
  vte_terminal_feed_child (kwb_console_get_terminal (kwb_window_get_console (window)),
                           "\necho alive-$((6*7))\n", -1);
  kwb_test_wait_terminal_shows (window, "alive-42", "a new shell answering");
  g_assert_cmpint (kwb_session_get_state (session), ==, KWB_SESSION_STATE_RUNNING);
  g_assert_null (kwb_session_get_crash (session));

  kwb_test_activate_action (GTK_WIDGET (window), "win.stop", NULL);
}

static void
test_crash_stop (void)
{
  g_autofree char *project = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("KWB_SOURCE_ROOT"), "tests", "data", "modules",
                                              "kwb_crash_mod", NULL);

  KWB_TEST_IN_SUBPROCESS ();
  project = kwb_test_make_session_project ();
  /* The module goes into the project's own initramfs, not the fixture's. */
  kwb_test_run_kwb ((const char *[]) { "set", project, "initramfs.output", "build/initramfs.cpio.gz", NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "modules.projects", source, NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "debug.break-at-start", "false", NULL });
  kwb_test_run_kwb ((const char *[]) { "set", project, "qemu.freeze", "false", NULL });
  kwb_test_run_kwb ((const char *[]) { "module", "build", project, NULL });
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, check_crash, source);
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_func ("/gui/crash/stop", test_crash_stop);
  return g_test_run ();
}
