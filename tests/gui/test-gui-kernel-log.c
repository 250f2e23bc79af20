/* test-gui-kernel-log.c — the kernel log view: columns, new records, search, light and dark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view alone, on a model of records made here (the records themselves
 * come from guest memory in tests/integration/test-kernel-log): what it
 * shows, how the search filters, and screenshots of it in both styles.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-kernel-log-view.h"
#include "kwb-test-gtk-utils.h"

static GListStore *
make_records (void)
{
  GListStore *store = g_list_store_new (KWB_TYPE_LOG_RECORD);
  static const struct { guint level; guint64 ns; const char *text; gboolean is_new; } records[] = {
    { 5, 0, "Linux version 6.12.57 (root@vm) (gcc (Debian 12.2.0-14) 12.2.0) #1", FALSE },
    { 6, 0, "Command line: console=ttyS0 rdinit=/linuxrc loglevel=8 panic=-1", FALSE },
    { 6, 1500, "BIOS-provided physical RAM map:", FALSE },
    { 4, 214000000, "ACPI: PM-Timer IO Port: 0x608", FALSE },
    { 3, 512000000, "i8042: Can't read CTR while initializing i8042", FALSE },
    { 6, 781000000, "Freeing unused kernel image (initmem) memory: 1276K", FALSE },
    { 6, 784025000, "Run /linuxrc as init process", FALSE },
    { 7, 784026000, "  with arguments:", FALSE },
    { 6, 1208052000, "input: ImExPS/2 Generic Explorer Mouse as /devices/platform/i8042/serio1/input/input2", TRUE },
    { 4, 1352060500, "kwb-marker", TRUE },
    { 6, 1352070500, "模块 kwb_test_mod：你好，内核", TRUE },
    { 4, 1400000000, "WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:123 kwb_poke+0x5/0x20 <&>", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (records); i++)
    {
      g_autoptr(KwbLogRecord) record = kwb_log_record_new (i, records[i].level, 0, records[i].ns, 0,
                                                           records[i].text, -1, records[i].is_new);

      g_list_store_append (store, record);
    }
  return store;
}

static gboolean
table_has_rows (gpointer data)
{
  /* Rows are realized only once the column view has laid them out. */
  return kwb_test_find_by_label (data, "kwb-marker") != NULL;
}

static void
on_link (GtkWidget  *view,
         const char *text,
         GPtrArray  *links)
{
  g_ptr_array_add (links, g_strdup (text));
}

static void
test_view (void)
{
  g_autoptr(GListStore) store = make_records ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *view = kwb_kernel_log_view_new ();
  GtkWidget *marker;
  g_autoptr(KwbLogRecord) late = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func (g_free);
  GtkWidget *warning;
  gboolean handled = FALSE;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 400);
  gtk_window_set_child (GTK_WINDOW (window), view);
  kwb_kernel_log_view_set_model (KWB_KERNEL_LOG_VIEW (view), G_LIST_MODEL (store));
  gtk_window_present (GTK_WINDOW (window));
  kwb_test_wait_until (table_has_rows, view, "the log's rows");

  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (KWB_KERNEL_LOG_VIEW (view)), ==, 12);
  g_assert_nonnull (kwb_test_find_by_label (view, "1.352060"));
  g_assert_nonnull (kwb_test_find_by_label (view, "notice"));
  /* A new record stands out (bold), an old one does not; warnings and
   * errors keep their colours. */
  marker = kwb_test_find_by_label (view, "kwb-marker");
  g_assert_true (gtk_widget_has_css_class (marker, "heading"));
  g_assert_true (gtk_widget_has_css_class (marker, "warning"));
  g_assert_false (gtk_widget_has_css_class (kwb_test_find_by_label (view, "Run /linuxrc as init process"),
                                            "heading"));
  g_assert_true (gtk_widget_has_css_class (kwb_test_find_by_label (view, "i8042: Can't read CTR while initializing i8042"),
                                           "error"));
  /* Code locations are links whose activation the view passes on; the
   * rest of the text is shown as it is (markup characters included). */
  g_signal_connect (view, "link-activated", G_CALLBACK (on_link), links);
  warning = kwb_test_find_by_label (view, "WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:123 kwb_poke+0x5/0x20 <&>");
  g_assert_nonnull (warning);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (warning)), "<a href=\"kernel/sched/core.c:123\">"));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (warning)), "<a href=\"kwb_poke+0x5/0x20\">"));
  g_signal_emit_by_name (warning, "activate-link", "kwb_poke+0x5/0x20", &handled);
  g_assert_true (handled);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (links, 0), ==, "kwb_poke+0x5/0x20");
  g_assert_false (gtk_label_get_use_markup (GTK_LABEL (marker)));
  kwb_test_save_screenshot (window, "kernel-log-view-light.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  kwb_test_save_screenshot (window, "kernel-log-view-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* The search is case-insensitive, matches CJK, and empty shows all. */
  kwb_kernel_log_view_set_search (KWB_KERNEL_LOG_VIEW (view), "I8042");
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (KWB_KERNEL_LOG_VIEW (view)), ==, 2);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (kwb_test_require_widget (view, "kernel_log_search"))),
                   ==, "I8042");
  kwb_kernel_log_view_set_search (KWB_KERNEL_LOG_VIEW (view), "内核");
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (KWB_KERNEL_LOG_VIEW (view)), ==, 1);
  kwb_kernel_log_view_set_search (KWB_KERNEL_LOG_VIEW (view), "");
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (KWB_KERNEL_LOG_VIEW (view)), ==, 12);

  /* The view follows its model: a refresh at the next stop. */
  late = kwb_log_record_new (12, 6, 0, 2000000000, 0, "a record of the next stop", -1, TRUE);
  g_list_store_append (store, late);
  g_assert_cmpuint (kwb_kernel_log_view_get_n_shown (KWB_KERNEL_LOG_VIEW (view)), ==, 13);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  if (kwb_test_init (&argc, &argv))
    g_test_add_func ("/gui/kernel-log/view", test_view);
  return g_test_run ();
}
