/* test-memory.c — the memory view read from a stopped fixture kernel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Argument --kernel=6.1 (KWB_FIXTURE_PROJECT) or --kernel=6.12
 * (KWB_FIXTURE_612_PROJECT), with KWB_FIXTURE_INITRAMFS. The guest's shell
 * calls sync, where a breakpoint stops it. There KwbMemory must read what
 * GDB's own `x/32xb` reads, for every way of naming an address (a number,
 * a pointer, an array, a register, `current`); an unmapped address must
 * give KWB_MEMORY_ERROR_UNREADABLE and a range across the end of a mapping
 * its readable half. "$rsp" must follow a `finish` to another stack
 * address, and after `hostname` the bytes of the node name that differ
 * from the previous stop, and only those, must be flagged changed.
 * Every wait has a deadline that fails the test; no duration is asserted.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-test-guest.h"

static const char *kernel_name = "6.1";

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  KwbTestGuest *guest = user_data;

  g_clear_error (&guest->error);
  kwb_memory_refresh_finish (KWB_MEMORY (object), result, &guest->error);
  guest->done = TRUE;
}

/* Refreshes MEMORY for EXPRESSION and LENGTH; the error, if any, stays in
 * guest->error. */
static gboolean
refresh (KwbTestGuest *guest,
         KwbMemory    *memory,
         const char   *expression,
         gsize         length)
{
  kwb_memory_set_expression (memory, expression);
  kwb_memory_set_length (memory, length);
  guest->done = FALSE;
  kwb_memory_refresh_async (memory, NULL, refresh_cb, guest);
  while (!guest->done)
    g_main_context_iteration (NULL, TRUE);
  return guest->error == NULL;
}

static void
refresh_ok (KwbTestGuest *guest,
            KwbMemory    *memory,
            const char   *expression,
            gsize         length)
{
  g_test_message ("memory at %s, %" G_GSIZE_FORMAT " bytes", expression, length);
  if (!refresh (guest, memory, expression, length))
    g_error ("%s: %s", expression, guest->error->message);
  g_assert_null (kwb_memory_get_error (memory));
  g_assert_cmpuint (g_bytes_get_size (kwb_memory_get_bytes (memory)), ==, length);
}

static char *
gdb_says (KwbTestGuest *guest,
          const char   *command)
{
  KWB_TEST_GUEST_CALL (guest, kwb_session_console_async (guest->session, command, NULL,
                                                         kwb_test_guest_done_cb, guest));
  return g_steal_pointer (&guest->text);
}

static guint64
gdb_value (KwbTestGuest *guest,
           const char   *expression)
{
  g_autofree char *cast = g_strdup_printf ("(unsigned long) (%s)", expression);

  KWB_TEST_GUEST_CALL (guest, kwb_session_evaluate_async (guest->session, cast, NULL,
                                                          kwb_test_guest_done_cb, guest));
  return g_ascii_strtoull (guest->text, NULL, 10);
}

/* The bytes GDB's `x/Nxb ADDRESS` prints ("0xffff… <sym>:\t0x4c\t0x69…"). */
static GByteArray *
gdb_x (KwbTestGuest *guest,
       guint64       address,
       guint         n)
{
  g_autofree char *command = g_strdup_printf ("x/%uxb 0x%" G_GINT64_MODIFIER "x", n, address);
  g_autofree char *out = gdb_says (guest, command);
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GByteArray *bytes = g_byte_array_new ();

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');
      g_auto(GStrv) words = NULL;

      if (colon == NULL)
        continue;
      words = g_strsplit_set (colon + 1, " \t", -1);
      for (guint j = 0; words[j] != NULL; j++)
        if (g_str_has_prefix (words[j], "0x"))
          {
            guint8 b = (guint8) g_ascii_strtoull (words[j] + 2, NULL, 16);

            g_byte_array_append (bytes, &b, 1);
          }
    }
  g_assert_cmpuint (bytes->len, ==, n);
  return bytes;
}

/* MEMORY's bytes are what GDB reads at its address. */
static void
assert_same_as_gdb (KwbTestGuest *guest,
                    KwbMemory    *memory)
{
  GBytes *bytes = kwb_memory_get_bytes (memory);
  gsize n = MIN (g_bytes_get_size (bytes), 32);
  g_autoptr(GByteArray) theirs = gdb_x (guest, kwb_memory_get_address (memory), n);

  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), n, theirs->data, theirs->len);
  g_assert_cmpuint (kwb_memory_count_flag (memory, KWB_MEMORY_BYTE_UNREADABLE), ==, 0);
}

static void
check_addresses (KwbTestGuest *guest,
                 KwbMemory    *memory)
{
  guint64 banner = gdb_value (guest, "&linux_banner");
  guint64 task = gdb_value (guest, "&$lx_current()");
  g_autofree char *literal = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", banner);
  g_autofree char *decimal = g_strdup_printf ("%" G_GUINT64_FORMAT, banner);
  g_autofree char *text = NULL;
  g_autofree char *release = NULL;
  g_autoptr(KwbMemory) other = kwb_memory_new (guest->session);
  const char *banners[] = { "&linux_banner", "linux_banner", literal, decimal, "(char *) &linux_banner" };
  const char *data;

  /* A pointer, the array itself, a number in hex and in decimal: one address. */
  for (guint i = 0; i < G_N_ELEMENTS (banners); i++)
    {
      refresh_ok (guest, memory, banners[i], 32);
      g_assert_cmphex (kwb_memory_get_address (memory), ==, banner);
      g_assert_cmpmem (g_bytes_get_data (kwb_memory_get_bytes (memory), NULL), 14, "Linux version ", 14);
      assert_same_as_gdb (guest, memory);
    }
  /* The dump shows the banner's text. */
  text = kwb_memory_format_hex (kwb_memory_get_address (memory), kwb_memory_get_bytes (memory), NULL, 16);
  g_assert_nonnull (strstr (text, "|Linux version "));

  /* A char array inside a struct: where it lives, holding the release
   * GDB prints for it. */
  refresh_ok (guest, memory, "init_uts_ns.name.release", 65);
  g_assert_cmphex (kwb_memory_get_address (memory), ==, gdb_value (guest, "&init_uts_ns.name.release"));
  release = gdb_says (guest, "printf \"%s\", init_uts_ns.name.release");
  g_assert_true (g_str_has_prefix (release, kernel_name));
  data = g_bytes_get_data (kwb_memory_get_bytes (memory), NULL);
  g_assert_cmpstr (data, ==, release);
  assert_same_as_gdb (guest, memory);

  /* `current` (a macro GDB does not know) is the kernel's current task. */
  refresh_ok (guest, memory, "current", 64);
  g_assert_cmphex (kwb_memory_get_address (memory), ==, task);
  assert_same_as_gdb (guest, memory);
  refresh_ok (guest, memory, "current->comm", 16);
  g_assert_cmphex (kwb_memory_get_address (memory), ==, gdb_value (guest, "&$lx_current()->comm"));
  refresh_ok (guest, other, "$lx_current()->comm", 16);
  g_assert_cmpmem (g_bytes_get_data (kwb_memory_get_bytes (memory), NULL), 16,
                   g_bytes_get_data (kwb_memory_get_bytes (other), NULL), 16);
  /* The fixture's shell forks and execs its applets. */
  g_assert_cmpstr (g_bytes_get_data (kwb_memory_get_bytes (memory), NULL), ==, "sync");

  /* A register that holds a pointer: its value. */
  refresh_ok (guest, memory, "$rsp", 32);
  g_assert_cmphex (kwb_memory_get_address (memory), ==, gdb_value (guest, "$rsp"));
  assert_same_as_gdb (guest, memory);
}

static void
check_errors (KwbTestGuest *guest,
              KwbMemory    *memory)
{
  guint64 text = gdb_value (guest, "&_text");
  g_autofree char *below = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x - 32", text);
  g_autoptr(GByteArray) theirs = NULL;
  const guint8 *flags;
  gsize n;

  /* The NULL page: an error that says so, and nothing shown. */
  g_assert_false (refresh (guest, memory, "0x10", 256));
  g_assert_error (guest->error, KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (guest->error->message, "0x10"));
  g_assert_null (kwb_memory_get_bytes (memory));
  g_assert_nonnull (kwb_memory_get_error (memory));

  /* An unknown name: GDB's reason. */
  g_assert_false (refresh (guest, memory, "kwb_no_such_symbol", 16));
  g_assert_error (guest->error, KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_EXPRESSION);
  g_assert_nonnull (strstr (guest->error->message, "No symbol \"kwb_no_such_symbol\""));

  /* Across the start of the kernel's text (nothing is mapped below it):
   * half unreadable, half the text's first bytes. Also an expression that
   * is a plain value, not a pointer: the value is the address. */
  refresh_ok (guest, memory, below, 64);
  g_assert_cmphex (kwb_memory_get_address (memory), ==, text - 32);
  flags = kwb_memory_get_flags (memory, &n);
  g_assert_cmpuint (n, ==, 64);
  for (guint i = 0; i < 64; i++)
    g_assert_cmpint (flags[i] & KWB_MEMORY_BYTE_UNREADABLE, ==, i < 32 ? KWB_MEMORY_BYTE_UNREADABLE : 0);
  theirs = gdb_x (guest, text, 32);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (kwb_memory_get_bytes (memory), NULL) + 32, 32,
                   theirs->data, theirs->len);
  {
    g_autofree char *dump = kwb_memory_format_hex (text - 32, kwb_memory_get_bytes (memory), flags, 16);

    g_assert_true (g_str_has_prefix (dump + kwb_memory_hex_column (0), "?? ?? ?? ??"));
  }

  /* And after all that the session is fine. */
  refresh_ok (guest, memory, "&linux_banner", 16);
}

static void
continue_to_stop (KwbTestGuest *guest,
                  const char   *command,
                  guint         n_stops)
{
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_CONTINUE, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_type (guest, command);
  kwb_test_guest_wait_stops (guest, n_stops);
}

static void
test_memory (void)
{
  KwbTestGuest *guest = kwb_test_guest_new (kernel_name, NULL, "__do_sys_sync");
  g_autoptr(KwbMemory) memory = NULL;
  g_autoptr(KwbMemory) stack = NULL;
  g_autoptr(KwbMemory) node = NULL;
  g_autoptr(GBytes) node_before = NULL;
  const guint8 *flags, *before, *after;
  guint64 rsp_before;
  gsize n, n_differ = 0;

  g_assert_nonnull (guest);
  memory = kwb_memory_new (guest->session);
  stack = kwb_memory_new (guest->session);
  node = kwb_memory_new (guest->session);
  kwb_test_guest_boot_to_shell (guest);
  kwb_test_guest_type (guest, "sync\r");
  kwb_test_guest_wait_stops (guest, 1);

  check_addresses (guest, memory);
  check_errors (guest, memory);

  /* "$rsp" follows the guest: `finish` returns to the caller, whose stack
   * pointer is above the callee's. */
  refresh_ok (guest, stack, "$rsp", 64);
  rsp_before = kwb_memory_get_address (stack);
  refresh_ok (guest, node, "init_uts_ns.name.nodename", 16);
  node_before = g_bytes_ref (kwb_memory_get_bytes (node));
  g_assert_cmpstr (g_bytes_get_data (node_before, NULL), !=, "kwbtest");
  g_assert_cmpuint (kwb_memory_count_flag (node, KWB_MEMORY_BYTE_CHANGED), ==, 0);
  KWB_TEST_GUEST_CALL (guest, kwb_session_exec_async (guest->session, KWB_GDB_EXEC_FINISH, NULL,
                                                      kwb_test_guest_done_cb, guest));
  kwb_test_guest_wait_stops (guest, 2);
  refresh_ok (guest, stack, "$rsp", 64);
  g_assert_cmphex (kwb_memory_get_address (stack), >, rsp_before);
  g_assert_cmphex (kwb_memory_get_address (stack), ==, gdb_value (guest, "$rsp"));
  assert_same_as_gdb (guest, stack);

  /* The node name changes between two stops: the bytes that differ are
   * flagged, the ones that happen to be equal are not (the NULs after
   * both names, and "(none)"'s 'e' where "kwbtest" has one). */
  continue_to_stop (guest, "hostname kwbtest; sync\r", 3);
  for (guint round = 0; round < 2; round++)
    {
      /* Twice at one stop: changed since the previous stop, not since
       * the previous refresh. */
      refresh_ok (guest, node, "init_uts_ns.name.nodename", 16);
      g_assert_cmpstr (g_bytes_get_data (kwb_memory_get_bytes (node), NULL), ==, "kwbtest");
      flags = kwb_memory_get_flags (node, &n);
      before = g_bytes_get_data (node_before, NULL);
      after = g_bytes_get_data (kwb_memory_get_bytes (node), NULL);
      n_differ = 0;
      for (guint i = 0; i < n; i++)
        {
          gboolean differs = before[i] != after[i];

          n_differ += differs;
          g_assert_cmpint (flags[i] & KWB_MEMORY_BYTE_CHANGED, ==, differs ? KWB_MEMORY_BYTE_CHANGED : 0);
        }
      g_assert_cmpuint (n_differ, >=, 1);
      g_assert_cmpuint (n_differ, <, n);
    }

  kwb_test_guest_free (guest);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  kernel_name = kwb_test_guest_kernel_arg (argc, argv);
  g_test_add_func ("/memory/stops", test_memory);
  return g_test_run ();
}
