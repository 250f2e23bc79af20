/* test-gui-memory.c — the Memory panel on a real session (fixture kernel, under Xvfb)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel's expression is typed before the session starts; brought on
 * screen at the first stop (start_kernel) the window refreshes it and the
 * dump shows the kernel's banner. Then a variable start_kernel sets before
 * setup_arch is shown, and at a stop in setup_arch its byte is highlighted
 * as changed, and win.show-memory brings the panel back to show another
 * expression. Screenshots go to $KWB_BUILD_ROOT/tests/gui/screenshots/
 * (memory-*.png, the window at 1280×800, light and dark). Needs KWB_FIXTURE_VMLINUX and
 * KWB_FIXTURE_INITRAMFS.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-memory-view.h"
#include "kwb-test-gtk-utils.h"

typedef struct {
  KwbWindow     *window;
  KwbMemoryView *view;
  guint          n_refreshed;  /* the window's ::kernel-view-refreshed::memory */
  guint          n_wanted;
  guint          n_model;      /* the model's ::refreshed */
  gboolean       flag;
} Memory;

static void
on_view_refreshed (KwbWindow  *window,
                   const char *panel,
                   Memory     *m)
{
  g_assert_cmpstr (panel, ==, "memory");
  m->n_refreshed++;
}

static void
on_model_refreshed (Memory *m)
{
  m->n_model++;
}

static gboolean
window_refreshed (gpointer data)
{
  Memory *m = data;

  return m->n_refreshed >= m->n_wanted;
}

static gboolean
model_refreshed (gpointer data)
{
  return ((Memory *) data)->n_model > 0;
}

static gboolean
stopped_in (KwbWindow  *window,
            const char *func)
{
  KwbSession *session = kwb_window_get_session (window);
  const KwbGdbStop *stop = kwb_session_get_last_stop (session);

  if (kwb_session_get_state (session) == KWB_SESSION_STATE_FAILED)
    g_error ("The session failed: %s", kwb_session_get_failure_reason (session));
  return kwb_session_get_state (session) == KWB_SESSION_STATE_STOPPED && stop != NULL &&
         g_strcmp0 (stop->func, func) == 0;
}

static gboolean
stopped_in_start_kernel (gpointer data)
{
  return stopped_in (data, "start_kernel");
}

static gboolean
stopped_in_setup_arch (gpointer data)
{
  return stopped_in (data, "setup_arch");
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

/* Whether byte 0's hex digits carry the view's "changed" highlight. */
static gboolean
first_byte_highlighted (KwbMemoryView *view)
{
  GtkTextView *text = GTK_TEXT_VIEW (kwb_test_require_widget (GTK_WIDGET (view), "memory_text"));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (text);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "changed");
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line_offset (buffer, &iter, 0, kwb_memory_hex_column (0));
  return gtk_text_iter_has_tag (&iter, tag);
}

static void
check_memory (KwbApplication *app,
              KwbWindow      *window,
              gpointer        data)
{
  Memory m = { window };
  KwbSession *session;
  KwbMemory *model;
  g_autofree char *text = NULL;
  const char *status;

  m.view = KWB_MEMORY_VIEW (kwb_test_find_by_type (GTK_WIDGET (window), KWB_TYPE_MEMORY_VIEW));
  g_assert_nonnull (m.view);
  g_signal_connect (window, "kernel-view-refreshed::memory", G_CALLBACK (on_view_refreshed), &m);

  /* Typed before any session: kept for the first stop. */
  kwb_window_show_panel (window, "memory");
  kwb_memory_view_set_expression (m.view, "&linux_banner");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (m.view),
                                                                                    "memory_status"))),
                            "next stop"));

  kwb_test_activate_action (GTK_WIDGET (window), "win.start", NULL);
  session = kwb_window_get_session (window);
  g_assert_nonnull (session);
  kwb_test_wait_until (stopped_in_start_kernel, window, "the stop in start_kernel");
  /* Brought on screen at the stop: refreshed then. */
  kwb_window_show_panel (window, "memory");
  m.n_wanted = 1;
  kwb_test_wait_until (window_refreshed, &m, "the memory panel's refresh at the first stop");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (m.view)));
  model = kwb_memory_view_get_model (m.view);
  g_assert_nonnull (model);
  g_assert_null (kwb_memory_get_error (model));
  text = kwb_memory_view_dup_text (m.view);
  /* "Linux version " in both columns. */
  g_assert_nonnull (strstr (text, "  4c 69 6e 75 78 20 76 65  72 73 69 6f 6e 20 "));
  g_assert_nonnull (strstr (text, "|Linux version "));
  g_assert_cmpuint (strlen (text), ==, 16 * 87);
  status = gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (m.view), "memory_status")));
  g_assert_true (g_str_has_prefix (status, "&linux_banner: 256 bytes at 0x"));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "memory-banner.png");

  /* A new expression at a stop is shown at once. start_kernel sets this
   * flag before it calls setup_arch. */
  g_signal_connect_swapped (model, "refreshed", G_CALLBACK (on_model_refreshed), &m);
  gtk_editable_set_text (GTK_EDITABLE (kwb_test_require_widget (GTK_WIDGET (m.view), "memory_length")), "64");
  kwb_memory_view_set_expression (m.view, "&early_boot_irqs_disabled");
  kwb_test_wait_until (model_refreshed, &m, "the memory panel's refresh for a new expression");
  g_clear_pointer (&text, g_free);
  text = kwb_memory_view_dup_text (m.view);
  g_assert_cmpuint (strlen (text), ==, 4 * 87);
  g_assert_true (g_str_has_prefix (text + kwb_memory_hex_column (0), "00 "));
  g_assert_false (first_byte_highlighted (m.view));

  /* At the next stop the window refreshes it: the flag's byte changed. */
  kwb_session_break_insert_async (session, "setup_arch", 0, NULL, NULL, insert_cb, &m.flag);
  kwb_test_wait_until (kwb_test_flag_set, &m.flag, "the breakpoint in setup_arch");
  m.n_wanted = m.n_refreshed + 1;
  kwb_test_activate_action (GTK_WIDGET (window), "win.continue", NULL);
  kwb_test_wait_until (stopped_in_setup_arch, window, "the stop in setup_arch");
  kwb_test_wait_until (window_refreshed, &m, "the memory panel's refresh at the second stop");
  g_clear_pointer (&text, g_free);
  text = kwb_memory_view_dup_text (m.view);
  g_assert_true (g_str_has_prefix (text + kwb_memory_hex_column (0), "01 "));
  g_assert_true (first_byte_highlighted (m.view));
  g_assert_cmpuint (kwb_memory_count_flag (model, KWB_MEMORY_BYTE_CHANGED), >=, 1);
  status = gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (m.view), "memory_status")));
  g_assert_nonnull (strstr (status, "changed since the previous stop: "));

  /* A name GDB does not know: the reason in the panel, no crash. */
  m.n_model = 0;
  kwb_memory_view_set_expression (m.view, "kwb_no_such_symbol");
  kwb_test_wait_until (model_refreshed, &m, "the refresh of a bad expression");
  status = gtk_label_get_label (GTK_LABEL (kwb_test_require_widget (GTK_WIDGET (m.view), "memory_status")));
  g_assert_nonnull (strstr (status, "No symbol \"kwb_no_such_symbol\""));
  g_clear_pointer (&text, g_free);
  text = kwb_memory_view_dup_text (m.view);
  g_assert_cmpstr (text, ==, "");

  /* "Show in Memory" from elsewhere: the panel comes to the front. */
  kwb_window_show_panel (window, "log");
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (m.view)));
  m.n_model = 0;
  kwb_test_activate_action (GTK_WIDGET (window), "win.show-memory", g_variant_new_string ("init_uts_ns.name.release"));
  kwb_test_wait_until (model_refreshed, &m, "the refresh for win.show-memory");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (m.view)));
  g_assert_cmpstr (kwb_memory_get_expression (model), ==, "init_uts_ns.name.release");
  g_clear_pointer (&text, g_free);
  text = kwb_memory_view_dup_text (m.view);
  g_assert_nonnull (strstr (text, "  36 2e 31")); /* "6.1" of 6.1.x */

  /* Back to the flag for the picture: its changed byte highlighted. */
  m.n_model = 0;
  kwb_memory_view_set_expression (m.view, "&early_boot_irqs_disabled");
  kwb_test_wait_until (model_refreshed, &m, "the refresh for the screenshot");
  g_assert_true (first_byte_highlighted (m.view));
  kwb_test_wait_for_draw (GTK_WIDGET (window));
  kwb_test_save_screenshot (GTK_WIDGET (window), "memory-changed.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (GTK_WIDGET (window), "memory-changed-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  g_signal_handlers_disconnect_by_data (model, &m);
  g_signal_handlers_disconnect_by_data (window, &m);
}

static char *
make_project (void)
{
  const char *vmlinux = g_getenv ("KWB_FIXTURE_VMLINUX");
  const char *initramfs = g_getenv ("KWB_FIXTURE_INITRAMFS");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *build_dir = NULL;
  g_autoptr(KwbProject) project = NULL;

  if (vmlinux == NULL || initramfs == NULL)
    g_error ("KWB_FIXTURE_VMLINUX or KWB_FIXTURE_INITRAMFS is not set: run build-aux/test");
  tmp = g_dir_make_tmp ("kwb-gui-memory-XXXXXX", &error);
  g_assert_no_error (error);
  project = kwb_project_init_directory (tmp, &error);
  g_assert_no_error (error);
  build_dir = g_path_get_dirname (vmlinux);
  kwb_project_set_string (project, "kernel", "build-dir", build_dir);
  kwb_project_set_string (project, "initramfs", "output", initramfs);
  kwb_project_set_string (project, "qemu", "accel", "tcg");
  kwb_project_set_int (project, "qemu", "memory", 256);
  kwb_project_save (project, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&tmp);
}

static void
test_memory_panel (void)
{
  g_autofree char *project = NULL;

  KWB_TEST_IN_SUBPROCESS ();
  project = make_project ();
  kwb_test_set_window_size (1280, 800);
  kwb_test_run_app_with_window ((const char *[]) { project, NULL }, check_memory, NULL);
}

int
main (int   argc,
      char *argv[])
{
  if (!kwb_test_init (&argc, &argv))
    return g_test_run ();
  g_test_add_func ("/gui/memory/session", test_memory_panel);
  return g_test_run ();
}
