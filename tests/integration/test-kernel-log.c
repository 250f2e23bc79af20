/* test-kernel-log.c — the kernel log read from guest memory on the fixture kernels
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. The guest's shell writes more than a thousand
 * lines and a marker to /dev/kmsg (printk.devkmsg=on lifts the rate limit),
 * then calls sync, where a breakpoint stops it. KwbKernelLog must then hold
 * the kernel's banner and the marker, flag the marker new at that stop and
 * not at the next, and agree line for line with the kernel's own lx-dmesg
 * run in the same session. KWB_TEST_RECORD_KERNEL_LOG=DIR saves the raw
 * ring bytes of the first stop (how tests/data/kernel-log was recorded).
 * Every wait has a deadline that fails the test; no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-kernel-log-private.h"
#include "kwb-test-guest.h"

#define N_FILL 1100

static const char *kernel_name = "6.1";

static KwbLogRecord *
find_record (KwbKernelLog *log, const char *text)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (strstr (kwb_log_record_get_text (record), text) != NULL)
        return record;
    }
  return NULL;
}

/* Our records split into lines as lx-dmesg prints them: "TIME\tTEXT". */
static GPtrArray *
our_lines (KwbKernelLog *log)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_auto(GStrv) parts = g_strsplit (kwb_log_record_get_text (record), "\n", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (parts[j][0] != '\0' || parts[j + 1] != NULL)
          g_ptr_array_add (lines, g_strdup_printf ("%" G_GUINT64_FORMAT "\t%s",
                                                   kwb_log_record_get_time_ns (record), parts[j]));
    }
  return lines;
}

/* Same lines, same order; lx-dmesg prints the seconds as a rounded float,
 * so times agree to the microsecond. */
static void
compare_with_lx_dmesg (KwbTestGuest *guest,
                       KwbKernelLog *log)
{
  g_autoptr(GPtrArray) ours = our_lines (log);
  g_auto(GStrv) theirs = NULL;
  guint n_theirs;

  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, "lx-dmesg", NULL,
                                                         kwb_test_guest_done_cb, guest));
  theirs = g_strsplit (guest->text, "\n", -1);
  n_theirs = g_strv_length (theirs);
  if (n_theirs > 0 && theirs[n_theirs - 1][0] == '\0')
    n_theirs--;
  g_assert_cmpuint (ours->len, ==, n_theirs);
  for (guint i = 0; i < n_theirs; i++)
    {
      const char *mine = g_ptr_array_index (ours, i);
      const char *tab = strchr (mine, '\t');
      const char *close = strstr (theirs[i], "] ");
      double their_s, my_s;

      g_assert_nonnull (close);
      g_assert_true (theirs[i][0] == '[');
      g_assert_cmpstr (tab + 1, ==, close + 2);
      their_s = g_ascii_strtod (theirs[i] + 1, NULL);
      my_s = g_ascii_strtoull (mine, NULL, 10) / 1e9;
      g_assert_cmpfloat_with_epsilon (my_s, their_s, 1.5e-6);
    }
}

typedef struct {
  gboolean  done;
  GBytes   *bytes;
  GError   *error;
} Read;

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Read *read = user_data;

  read->bytes = kwb_session_read_memory_finish (KWB_SESSION (object), result, &read->error);
  read->done = TRUE;
}

/* The session's memory read: all of it, or an error, never a part. */
static void
check_read_memory (KwbTestGuest *guest)
{
  const guint64 bad[][2] = {
    { 0, 64 },                                       /* the NULL page: not mapped */
    { 0xffffffff81000000 - 32, 64 },                 /* half below the kernel's text */
  };
  Read read = { 0 };
  g_autofree char *value = NULL;
  guint64 address;

  /* linux_banner, read directly, says what the log's first record says. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_evaluate_async (guest->session, "(unsigned long) linux_banner", NULL,
                                                          kwb_test_guest_done_cb, guest));
  address = g_ascii_strtoull (guest->text, NULL, 10);
  kwb_session_read_memory_async (guest->session, address, 14, NULL, read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (read.error);
  g_assert_cmpmem (g_bytes_get_data (read.bytes, NULL), g_bytes_get_size (read.bytes), "Linux version ", 14);
  g_bytes_unref (read.bytes);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      memset (&read, 0, sizeof read);
      kwb_session_read_memory_async (guest->session, bad[i][0], bad[i][1], NULL, read_cb, &read);
      while (!read.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_null (read.bytes);
      g_assert_nonnull (read.error);
      g_clear_error (&read.error);
    }

  memset (&read, 0, sizeof read);
  kwb_session_read_memory_async (guest->session, address, 0, NULL, read_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (read.error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&read.error);
}

static void
test_log (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, "printk.devkmsg=on", "__do_sys_sync");
  g_autoptr(KwbKernelLog) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fill = NULL;
  const char *record_dir = g_getenv ("KWB_TEST_RECORD_KERNEL_LOG");
  KwbLogRecord *marker, *banner;
  guint n;
  guint64 last_seq = 0;

  g_assert_nonnull (guest);
  log = kwb_kernel_log_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  fill = g_strdup_printf ("i=0; while [ $i -lt %d ]; do echo kwb-fill-$i > /dev/kmsg; i=$((i+1)); done; "
                          "echo kwb-marker > /dev/kmsg; sync\r", N_FILL);
  kwb_test_guest_type (guest, fill);
  kwb_test_guest_wait_stops (guest, 1);

  /* First stop: the whole log, everything new. */
  KWB_TEST_GUEST_CALL (guest, kwb_kernel_log_refresh_async (log, NULL, kwb_test_guest_done_cb, guest));
  if (record_dir != NULL)
    {
      kwb_kernel_log_save_snapshot (log, record_dir, &error);
      g_assert_no_error (error);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n, >=, 1000);
  banner = find_record (log, "Linux version ");
  g_assert_nonnull (banner);
  g_assert_cmpuint (kwb_log_record_get_level (banner), ==, 5); /* KERN_NOTICE */
  g_assert_nonnull (find_record (log, "kwb-fill-0"));
  g_assert_nonnull (find_record (log, "kwb-fill-1099"));
  marker = find_record (log, "kwb-marker");
  g_assert_nonnull (marker);
  g_assert_cmpstr (kwb_log_record_get_text (marker), ==, "kwb-marker");
  g_assert_true (kwb_log_record_get_is_new (marker));
  g_assert_cmpuint (kwb_log_record_get_level (marker), ==, 4);    /* /dev/kmsg's default */
  g_assert_cmpuint (kwb_log_record_get_facility (marker), ==, 1); /* LOG_USER */
  g_assert_cmpuint (kwb_kernel_log_get_n_new (log), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KwbLogRecord) record = g_list_model_get_item (G_LIST_MODEL (log), i);

      /* Records come in sequence order. Not in time order: each CPU stamps
       * its records with its own clock, and a CPU being brought up logs
       * with one still near zero (compare_with_lx_dmesg checks the times). */
      if (i > 0)
        g_assert_cmpuint (kwb_log_record_get_seq (record), >, last_seq);
      g_assert_cmpuint (kwb_log_record_get_level (record), <=, 7);
      g_assert_true (g_utf8_validate (kwb_log_record_get_text (record), -1, NULL));
      last_seq = kwb_log_record_get_seq (record);
    }
  /* The marker came last: sync itself logs nothing. */
  g_assert_cmpuint (kwb_log_record_get_seq (marker), ==, last_seq);
  compare_with_lx_dmesg (guest, log);
  check_read_memory (guest);

  /* Next stop: the marker is still there but no longer new. */
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_type (guest, "echo kwb-second > /dev/kmsg; sync\r");
  kwb_test_guest_wait_stops (guest, 2);
  /* Refreshed twice at that stop (a view shown again): the same records
   * are new both times. */
  for (guint round = 0; round < 2; round++)
    {
      KWB_TEST_GUEST_CALL (guest, kwb_kernel_log_refresh_async (log, NULL, kwb_test_guest_done_cb, guest));
      marker = find_record (log, "kwb-marker");
      g_assert_nonnull (marker);
      g_assert_false (kwb_log_record_get_is_new (marker));
      g_assert_true (kwb_log_record_get_is_new (find_record (log, "kwb-second")));
      g_assert_cmpuint (kwb_kernel_log_get_n_new (log), >=, 1);
      g_assert_cmpuint (kwb_kernel_log_get_n_new (log), <, n);
    }
  compare_with_lx_dmesg (guest, log);

  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (int i = 1; i < argc; i++)
    if (g_str_has_prefix (argv[i], "--kernel="))
      kernel_name = argv[i] + strlen ("--kernel=");
  g_test_add_func ("/kernel-log/stops", test_log);
  return g_test_run ();
}
