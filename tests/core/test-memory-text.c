/* test-memory-text.c — the memory view's text: the hex dump, ADDR[,LEN], `current`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No guest here: tests/integration/test-memory.c reads real memory.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"
#include "kwb-memory-private.h"

static const guint8 startup[] = {
  0x48, 0x8d, 0x25, 0x51, 0x3f, 0x60, 0x01, 0x48, 0x8d, 0x3d, 0xf2, 0xff, 0xff, 0xff, 0xb9, 0x01,
  0x4c, 0x69, 0x6e, 0x75, 0x78, 0x20, 0x00,
};

/* As `hexdump -C` prints the same bytes, but with the 64-bit address. */
static void
test_format_hex (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (startup, sizeof startup);
  g_autofree char *text = kwb_memory_format_hex (G_GUINT64_CONSTANT (0xffffffff81000000), bytes, NULL, 16);

  g_assert_cmpstr (text, ==,
                   "ffffffff81000000  48 8d 25 51 3f 60 01 48  8d 3d f2 ff ff ff b9 01  |H.%Q?`.H.=......|\n"
                   "ffffffff81000010  4c 69 6e 75 78 20 00                              |Linux .|\n");
}

static void
test_format_hex_empty (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("", 0);
  g_autofree char *text = kwb_memory_format_hex (0, bytes, NULL, 16);
  g_autofree char *none = kwb_memory_format_hex (0, NULL, NULL, 16);

  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (none, ==, "");
}

/* Unreadable bytes are "??" and blank, not the zeros they were read as. */
static void
test_format_hex_unreadable (void)
{
  guint8 data[8] = { 0x41, 0x42, 0, 0, 0x43, 0x44, 0x45, 0x46 };
  guint8 flags[8] = { 0, KWB_MEMORY_BYTE_CHANGED, KWB_MEMORY_BYTE_UNREADABLE, KWB_MEMORY_BYTE_UNREADABLE };
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, sizeof data);
  g_autofree char *text = kwb_memory_format_hex (0x10, bytes, flags, 16);

  g_assert_cmpstr (text, ==,
                   "0000000000000010  41 42 ?? ?? 43 44 45 46                           |AB  CDEF|\n");
}

/* The columns the GUI highlights are where the dump puts each byte. */
static void
test_columns (void)
{
  guint8 data[40];
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;
  const guint widths[] = { 16, 8, 4, 12 };

  for (guint i = 0; i < sizeof data; i++)
    data[i] = 0x40 + i;
  bytes = g_bytes_new_static (data, sizeof data);
  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      guint width = widths[w];
      g_auto(GStrv) lines = NULL;

      g_free (text);
      text = kwb_memory_format_hex (0, bytes, NULL, width);
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; i < width; i++)
        {
          g_autofree char *hex = g_strdup_printf ("%02x", data[i]);

          g_assert_cmpmem (lines[0] + kwb_memory_hex_column (i), 2, hex, 2);
          g_assert_cmpint (lines[0][kwb_memory_ascii_column (i, width)], ==, (char) data[i]);
        }
      g_assert_cmpint (lines[0][kwb_memory_ascii_column (0, width) - 1], ==, '|');
      g_assert_cmpint (lines[0][kwb_memory_ascii_column (width, width)], ==, '|');
    }
}

static void
test_parse_spec (void)
{
  const struct {
    const char *spec;
    const char *expression;
    gsize       length;
  } good[] = {
    { "0xffffffff81000000", "0xffffffff81000000", KWB_MEMORY_LENGTH_DEFAULT },
    { "&linux_banner,32", "&linux_banner", 32 },
    { "$rsp, 0x40", "$rsp", 64 },
    { "&init_task,65536", "&init_task", 65536 },
    /* Commas inside brackets and quotes belong to the expression. */
    { "container_of(p, struct task_struct, tasks)", "container_of(p, struct task_struct, tasks)",
      KWB_MEMORY_LENGTH_DEFAULT },
    { "container_of(p, struct task_struct, tasks),16", "container_of(p, struct task_struct, tasks)", 16 },
    { "arr[f(1,2)],8", "arr[f(1,2)]", 8 },
    { "(char *)\",\",4", "(char *)\",\"", 4 },
    { "'\\'',1", "'\\''", 1 },
    /* The last top-level comma splits. */
    { "a,b,12", "a,b", 12 },
  };
  const char *bad[] = {
    "&linux_banner,",        /* a comma and no length */
    "&linux_banner,0",
    "&linux_banner,-1",
    "&linux_banner,65537",
    "&linux_banner,0x10001",
    "&linux_banner,12x",
    "&linux_banner,lots",
    "&linux_banner,99999999999999999999999",
    "f(1, 2),tasks",          /* the C comma operator is not supported */
    ",16",
    "  ,16",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *expression = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 0;

      g_assert_true (kwb_memory_parse_spec (good[i].spec, &expression, &length, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (expression, ==, good[i].expression);
      g_assert_cmpuint (length, ==, good[i].length);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *expression = NULL;
      g_autoptr(GError) error = NULL;
      gsize length = 7;

      g_test_message ("%s", bad[i]);
      g_assert_false (kwb_memory_parse_spec (bad[i], &expression, &length, &error));
      g_assert_error (error, KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_INVALID);
      g_assert_null (expression);
      g_assert_cmpuint (length, ==, 7);
    }
}

static void
test_parse_address (void)
{
  guint64 address = 0;

  g_assert_true (kwb_memory_parse_address ("0xffffffff81000000", &address));
  g_assert_cmphex (address, ==, G_GUINT64_CONSTANT (0xffffffff81000000));
  g_assert_true (kwb_memory_parse_address (" 4096 ", &address));
  g_assert_cmpuint (address, ==, 4096);
  g_assert_true (kwb_memory_parse_address ("0XFFFFFFFFFFFFFFFF", &address));
  g_assert_cmphex (address, ==, G_MAXUINT64);
  /* GDB evaluates all of these. */
  g_assert_false (kwb_memory_parse_address ("0x10000000000000000", &address));
  g_assert_false (kwb_memory_parse_address ("$rsp", &address));
  g_assert_false (kwb_memory_parse_address ("0x1000 + 16", &address));
  g_assert_false (kwb_memory_parse_address ("-16", &address));
  g_assert_false (kwb_memory_parse_address ("0x", &address));
  g_assert_false (kwb_memory_parse_address ("ff", &address));
  g_assert_false (kwb_memory_parse_address ("", &address));
}

static void
test_expand_current (void)
{
  const char *cases[][2] = {
    { "current", "$lx_current()" },
    { "&current->mm", "&$lx_current()->mm" },
    { "*current", "*$lx_current()" },
    { "current->thread.sp", "$lx_current()->thread.sp" },
    { "(char *)current + 8", "(char *)$lx_current() + 8" },
    /* Not the identifier: other names, members, quoted text. */
    { "current_task", NULL },
    { "pcpu_hot.current_task", NULL },
    { "rq->current", NULL },
    { "s . current", NULL },
    { "$current", NULL },
    { "my_current", NULL },
    { "\"current\"", NULL },
    { "p->current + current", "p->current + $lx_current()" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *expanded = kwb_memory_expand_current (cases[i][0]);

      g_assert_cmpstr (expanded, ==, cases[i][1]);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/memory/format-hex", test_format_hex);
  g_test_add_func ("/memory/format-hex-empty", test_format_hex_empty);
  g_test_add_func ("/memory/format-hex-unreadable", test_format_hex_unreadable);
  g_test_add_func ("/memory/columns", test_columns);
  g_test_add_func ("/memory/parse-spec", test_parse_spec);
  g_test_add_func ("/memory/parse-address", test_parse_address);
  g_test_add_func ("/memory/expand-current", test_expand_current);
  return g_test_run ();
}
