/* test-code-link.c — code locations in kernel messages: which text is a link, and where it points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lines are the kernel's own formats (an oops's RIP, call-trace lines
 * of old and new kernels, a WARNING's FILE:LINE), with the neighbours that
 * must not be taken for links.
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

static void
test_parse_symbol (void)
{
  static const struct {
    const char *text;
    const char *function;
    guint64     offset, size, address;
    gboolean    faulting;
    const char *gdb;
  } cases[] = {
    { "RIP: 0010:__do_sys_newuname+0x1a/0xd0", "__do_sys_newuname", 0x1a, 0xd0, 0, TRUE,
      "*('__do_sys_newuname'+0x1a)" },
    { "[    1.234567] RIP: 0010:__do_sys_newuname+0x1a/0xd0", "__do_sys_newuname", 0x1a, 0xd0, 0, TRUE,
      "*('__do_sys_newuname'+0x1a)" },
    { " ? start_kernel+0x1a/0x30", "start_kernel", 0x1a, 0x30, 0, FALSE, "*('start_kernel'+0x1a-1)" },
    { "  kwb_poke.constprop.0+0x5/0x20", "kwb_poke.constprop.0", 0x5, 0x20, 0, FALSE,
      "*('kwb_poke.constprop.0'+0x5-1)" },
    { "[<ffffffff81000000>] do_one_initcall+0x3", "do_one_initcall", 0x3, 0, G_GUINT64_CONSTANT (0xffffffff81000000),
      FALSE, "*('do_one_initcall'+0x3-1)" },
    { "start_kernel+0x1a", "start_kernel", 0x1a, 0, 0, FALSE, "*('start_kernel'+0x1a-1)" },
    /* The symbol comes first on the line: it is the one taken. */
    { "kwb_poke+0x5/0x20 at kernel/sched/core.c:123", "kwb_poke", 0x5, 0x20, 0, FALSE, "*('kwb_poke'+0x5-1)" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KwbCodeLink) link = kwb_code_link_parse (cases[i].text);
      g_autofree char *gdb = NULL;

      g_test_message ("%s", cases[i].text);
      g_assert_nonnull (link);
      g_assert_cmpint (link->kind, ==, KWB_CODE_LINK_SYMBOL);
      g_assert_cmpstr (link->function, ==, cases[i].function);
      g_assert_cmphex (link->offset, ==, cases[i].offset);
      g_assert_cmphex (link->size, ==, cases[i].size);
      g_assert_cmphex (link->address, ==, cases[i].address);
      g_assert_cmpint (link->faulting, ==, cases[i].faulting);
      g_assert_null (link->file);
      gdb = kwb_code_link_dup_gdb_location (link);
      g_assert_cmpstr (gdb, ==, cases[i].gdb);
    }
}

static void
test_parse_source (void)
{
  static const struct {
    const char *text;
    const char *file;
    guint       line;
  } cases[] = {
    { "kernel/sched/core.c:123", "kernel/sched/core.c", 123 },
    { "WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:123 kwb_poke+0x5/0x20", "kernel/sched/core.c", 123 },
    { "kernel BUG at mm/slub.c:4380!", "mm/slub.c", 4380 },
    { "arch/x86/entry/entry_64.S:50", "arch/x86/entry/entry_64.S", 50 },
    { "include/linux/list.h:7", "include/linux/list.h", 7 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KwbCodeLink) link = kwb_code_link_parse (cases[i].text);
      g_autofree char *gdb = NULL;
      g_autofree char *expected = g_strdup_printf ("%s:%u", cases[i].file, cases[i].line);

      g_test_message ("%s", cases[i].text);
      g_assert_nonnull (link);
      g_assert_cmpint (link->kind, ==, KWB_CODE_LINK_SOURCE);
      g_assert_cmpstr (link->file, ==, cases[i].file);
      g_assert_cmpuint (link->line, ==, cases[i].line);
      g_assert_null (link->function);
      gdb = kwb_code_link_dup_gdb_location (link);
      g_assert_cmpstr (gdb, ==, expected);
    }
}

static void
test_not_links (void)
{
  static const char * const texts[] = {
    "",
    "Linux version 6.1.0 (root@vm) (gcc (Debian 12.2.0-14) 12.2.0) #1",
    "Run /linuxrc as init process",
    "x+1",
    "func+0xZZ",
    "Memory: 200000K/261624K available",
    "main.py:12",
    "foo.c:",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(KwbCodeLink) link = kwb_code_link_parse (texts[i]);

      g_test_message ("%s", texts[i]);
      g_assert_null (link);
      g_assert_false (kwb_code_link_find (texts[i], 0, NULL, NULL));
    }
}

/* Every link of a line, in order, as the log view marks them up. */
static void
test_find (void)
{
  const char *line = "WARNING: CPU: 0 PID: 1 at kernel/sched/core.c:123 kwb_poke+0x5/0x20 <&>";
  const char *trace = "[<ffffffff81000000>] do_one_initcall+0x3 and RIP: 0010:f+0x1/0x2 ? g+0x3/0x4";
  const char *expected_line[] = { "kernel/sched/core.c:123", "kwb_poke+0x5/0x20" };
  const char *expected_trace[] = { "[<ffffffff81000000>] do_one_initcall+0x3", "RIP: 0010:f+0x1/0x2", "? g+0x3/0x4" };
  gsize start, end, from = 0;
  guint n = 0;

  while (kwb_code_link_find (line, from, &start, &end))
    {
      g_autofree char *link = g_strndup (line + start, end - start);

      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected_line));
      g_assert_cmpstr (link, ==, expected_line[n++]);
      from = end;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected_line));

  for (from = 0, n = 0; kwb_code_link_find (trace, from, &start, &end); from = end)
    {
      g_autofree char *link = g_strndup (trace + start, end - start);
      g_autoptr(KwbCodeLink) parsed = kwb_code_link_parse (link);

      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected_trace));
      g_assert_cmpstr (link, ==, expected_trace[n++]);
      /* What is found is what parses: a found link always points somewhere. */
      g_assert_nonnull (parsed);
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected_trace));
  g_assert_false (kwb_code_link_find (line, strlen (line) + 1, NULL, NULL));
}

/* The patterns as the terminal takes them: each alone, and all together. */
static void
test_patterns_compile (void)
{
  const char *patterns[] = {
    KWB_CODE_LINK_PATTERN_SIZED, KWB_CODE_LINK_PATTERN_ADDR, KWB_CODE_LINK_PATTERN_SOURCE, KWB_CODE_LINK_PATTERN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (patterns); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GRegex) regex = g_regex_new (patterns[i], 0, 0, &error);

      g_assert_no_error (error);
      /* No captures: a caller may combine them with its own. */
      g_assert_cmpint (g_regex_get_capture_count (regex), ==, 0);
    }
  g_assert_true (g_regex_match_simple ("^(?:" KWB_CODE_LINK_PATTERN_SIZED ")$", "RIP: 0010:f+0x1/0x2", 0, 0));
  g_assert_true (g_regex_match_simple ("^(?:" KWB_CODE_LINK_PATTERN_ADDR ")$", "[<ffffffff81000000>] f+0x3", 0, 0));
  g_assert_true (g_regex_match_simple ("^(?:" KWB_CODE_LINK_PATTERN_SOURCE ")$", "init/main.c:914", 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/code-link/parse-symbol", test_parse_symbol);
  g_test_add_func ("/code-link/parse-source", test_parse_source);
  g_test_add_func ("/code-link/not-links", test_not_links);
  g_test_add_func ("/code-link/find", test_find);
  g_test_add_func ("/code-link/patterns-compile", test_patterns_compile);
  return g_test_run ();
}
