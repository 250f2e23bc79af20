/* test-crash.c — finding an oops report in the kernel log, formatting a panic's message
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/data/crash/oops-null-6.1.log is the end of a real kernel log (the
 * 6.1 fixture kernel, kwb_crash_mod writing through NULL), as `kwb debug
 * --show log` read it at the crash stop. The other reports are the
 * kernel's own formats (arch/x86/kernel/dumpstack.c, lib/bug.c).
 */
#include "config.h"

#include "kwb-crash.h"
#include "kwb-session-private.h"

static char **
read_log (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "crash", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  char **lines;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  g_strchomp (text);
  lines = g_strsplit (text, "\n", -1);
  return lines;
}

static void
test_null_oops (void)
{
  g_auto(GStrv) lines = read_log ("oops-null-6.1.log");
  g_autofree char *title = NULL;
  KwbCrashKind kind;
  gint start = kwb_crash_find_report ((const char * const *) lines, &kind, &title);

  g_assert_cmpint (start, >=, 0);
  g_assert_cmpstr (lines[start], ==, "BUG: kernel NULL pointer dereference, address: 0000000000000000");
  g_assert_cmpstr (title, ==, lines[start]);
  g_assert_cmpint (kind, ==, KWB_CRASH_OOPS);
  /* The line before the report is the module's own message. */
  g_assert_cmpstr (lines[start - 1], ==, "kwb_crash_mod: asked for null");
}

static void
test_bug (void)
{
  const char *lines[] = {
    "kwb_crash_mod: asked for bug",
    "------------[ cut here ]------------",
    "kernel BUG at /tmp/p/build/modules/kwb_crash_mod/kwb_crash_mod.c:48!",
    "invalid opcode: 0000 [#1] SMP",
    "CPU: 1 PID: 38 Comm: sh Tainted: G           O       6.1.192 #1",
    NULL,
  };
  g_autofree char *title = NULL;
  KwbCrashKind kind;

  g_assert_cmpint (kwb_crash_find_report (lines, &kind, &title), ==, 1);
  g_assert_cmpint (kind, ==, KWB_CRASH_BUG);
  g_assert_cmpstr (title, ==, "kernel BUG at /tmp/p/build/modules/kwb_crash_mod/kwb_crash_mod.c:48!");
}

static void
test_general_protection (void)
{
  const char *lines[] = {
    "first oops long ago",
    "Oops: 0000 [#1] SMP",
    "something else entirely",
    "general protection fault, probably for non-canonical address 0xdead000000000000: 0000 [#2] SMP",
    "CPU: 0 PID: 1 Comm: init",
    NULL,
  };
  g_autofree char *title = NULL;
  KwbCrashKind kind;

  /* The newest report, and its die() line is its headline. */
  g_assert_cmpint (kwb_crash_find_report (lines, &kind, &title), ==, 3);
  g_assert_cmpint (kind, ==, KWB_CRASH_OOPS);
  g_assert_true (g_str_has_prefix (title, "general protection fault"));
}

/* arm64: at die(), the fault's lines without the die() line yet; later,
 * the die() line with its 16-digit error code. An older complete oops
 * before them is not the report. */
static void
test_arm64 (void)
{
  const char *at_die[] = {
    "Internal error: Oops: 0000000096000045 [#1] PREEMPT SMP",
    "an older oops's last line",
    "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
    "Mem abort info:",
    "  ESR = 0x0000000096000045",
    NULL,
  };
  const char *bug[] = { "kernel BUG at /tmp/m/kwb_crash_mod.c:48!", NULL };
  const char *later[] = {
    "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000000",
    "Internal error: Oops: 0000000096000045 [#1] PREEMPT SMP",
    "Modules linked in: kwb_crash_mod",
    NULL,
  };
  g_autofree char *title = NULL;
  KwbCrashKind kind;

  g_assert_cmpint (kwb_crash_find_report (at_die, &kind, &title), ==, 2);
  g_assert_cmpint (kind, ==, KWB_CRASH_OOPS);
  g_assert_cmpstr (title, ==, at_die[2]);
  g_clear_pointer (&title, g_free);
  g_assert_cmpint (kwb_crash_find_report (bug, &kind, &title), ==, 0);
  g_assert_cmpint (kind, ==, KWB_CRASH_BUG);
  g_clear_pointer (&title, g_free);
  /* Its die() line, with a 16-digit error code, is recognised as one. */
  g_assert_cmpint (kwb_crash_find_report (later, &kind, &title), ==, 1);
  g_assert_true (g_str_has_prefix (title, "Internal error: Oops"));
}

static void
test_no_report (void)
{
  const char *lines[] = { "Linux version 6.1.0", "BUG: not an oops by itself", "Run /linuxrc as init process", NULL };
  const char *none[] = { NULL };
  g_autofree char *title = NULL;
  KwbCrashKind kind;

  g_assert_cmpint (kwb_crash_find_report (lines, &kind, &title), ==, -1);
  g_assert_null (title);
  g_assert_cmpint (kwb_crash_find_report (none, &kind, &title), ==, -1);
}

static void
test_printf_command (void)
{
  const char *args[] = { "$rsi", "$rdx", "$rcx", "$r8", "$r9", NULL };
  const char *two[] = { "$rsi", "$rdx", NULL };
  struct {
    const char *format;
    const char *command;
  } cases[] = {
    { "No working init found.  Try passing init= option to kernel.",
      "printf \"No working init found.  Try passing init= option to kernel.\\n\"" },
    { "Attempted to kill init! exitcode=0x%08x\n",
      "printf \"Attempted to kill init! exitcode=0x%08x\\n\", (unsigned int)$rsi" },
    { "VFS: Unable to mount root fs on %s", "printf \"VFS: Unable to mount root fs on %s\\n\", (char *)$rsi" },
    /* Six conversions, two registers: GDB cannot print it. */
    { "%d %ld %zu %llx %c %p 100%%", NULL },
    { "a \"quoted\" \\ path\tand tab", "printf \"a \\\"quoted\\\" \\\\ path\\tand tab\\n\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *command = kwb_crash_dup_printf_command (cases[i].format, i == 3 ? two : args);

      g_assert_cmpstr (command, ==, cases[i].command);
    }
  /* The kernel's own extensions and widths from arguments are not GDB's. */
  g_assert_null (kwb_crash_dup_printf_command ("Fatal exception in %pS", args));
  g_assert_null (kwb_crash_dup_printf_command ("%*d", args));
  g_assert_null (kwb_crash_dup_printf_command ("%n", args));
  {
    g_autofree char *command = kwb_crash_dup_printf_command ("%d %ld %zu %llx %c", args);

    g_assert_cmpstr (command, ==, "printf \"%d %ld %lu %lx %c\\n\", (int)$rsi, (long)$rdx, (unsigned long)$rcx, "
                                  "(unsigned long)$r8, (int)$r9");
  }
}

static void
test_resume_commands (void)
{
  const char *resumes[] = { "c", "continue", "  next", "step 3", "finish", "until 123", "si", NULL };
  const char *others[] = { "p $rip", "bt", "info registers", "x/4gx $rsp", "contin", "", NULL };

  for (guint i = 0; resumes[i] != NULL; i++)
    g_assert_true (kwb_session_crash_is_resume_command (resumes[i]));
  for (guint i = 0; others[i] != NULL; i++)
    g_assert_false (kwb_session_crash_is_resume_command (others[i]));
}

static void
test_crash_object (void)
{
  g_autoptr(KwbCrash) crash = kwb_crash_new (KWB_CRASH_PANIC, "Kernel panic - not syncing: x", "text", NULL);

  g_assert_cmpint (kwb_crash_get_kind (crash), ==, KWB_CRASH_PANIC);
  g_assert_cmpstr (kwb_crash_get_title (crash), ==, "Kernel panic - not syncing: x");
  g_assert_cmpuint (g_list_model_get_n_items (kwb_crash_get_frames (crash)), ==, 0);
  g_assert_cmpstr (kwb_crash_kind_to_string (KWB_CRASH_OOPS), ==, "oops");
  g_assert_cmpstr (kwb_crash_kind_to_string (KWB_CRASH_BUG), ==, "BUG");
  g_assert_cmpstr (kwb_crash_kind_to_string (KWB_CRASH_WARNING), ==, "warning");
  g_assert_cmpstr (kwb_crash_kind_to_string (KWB_CRASH_PANIC), ==, "panic");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/crash/report/null", test_null_oops);
  g_test_add_func ("/crash/report/bug", test_bug);
  g_test_add_func ("/crash/report/general-protection", test_general_protection);
  g_test_add_func ("/crash/report/arm64", test_arm64);
  g_test_add_func ("/crash/report/none", test_no_report);
  g_test_add_func ("/crash/panic-printf", test_printf_command);
  g_test_add_func ("/crash/resume-commands", test_resume_commands);
  g_test_add_func ("/crash/object", test_crash_object);
  return g_test_run ();
}
