/* test-watchpoints.c — watchpoint stops and records, as GDB 13 + QEMU send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every record comes from tests/data/mi/watchpoints.mi (record-watchpoints.sh:
 * the fixture kernel under QEMU's gdbstub), found there by its first bytes,
 * so the parser sees GDB's own lines: old/new values, a read and an access
 * watchpoint triggered by one instruction (reason= and value= twice), a
 * watchpoint going out of scope, the breakpoint table's types.
 */
#include "config.h"

#include "kwb-core.h"
#include "kwb-session-private.h"

static GPtrArray *transcript;

/* The Nth (0-based) line of the transcript that starts with PREFIX. */
static KwbMiRecord *
recorded (const char *prefix,
          guint       nth)
{
  for (guint i = 0; i < transcript->len; i++)
    {
      const char *line = g_ptr_array_index (transcript, i);

      if (g_str_has_prefix (line, prefix) && nth-- == 0)
        return kwb_mi_parse_line (line, -1);
    }
  g_error ("no line %u starting with %s in watchpoints.mi", nth, prefix);
  return NULL;
}

static KwbGdbStop *
recorded_stop (const char *reason_prefix,
               guint       nth)
{
  g_autofree char *prefix = g_strdup_printf ("*stopped,reason=\"%s", reason_prefix);
  g_autoptr(KwbMiRecord) record = recorded (prefix, nth);

  return kwb_gdb_stop_new (record);
}

static void
test_write_trigger (void)
{
  g_autoptr(KwbGdbStop) first = recorded_stop ("watchpoint-trigger", 0);
  g_autoptr(KwbGdbStop) second = recorded_stop ("watchpoint-trigger", 1);
  g_autoptr(KwbGdbStop) copy = NULL;

  g_assert_true (kwb_gdb_stop_is_watchpoint (first));
  g_assert_cmpint (kwb_gdb_stop_get_watch_kind (first), ==, KWB_GDB_WATCH_WRITE);
  g_assert_cmpint (first->watch_number, ==, 3);
  g_assert_cmpstr (first->watch_expression, ==, "jiffies");
  g_assert_cmpstr (first->value_old, ==, "4294892296");
  g_assert_cmpstr (first->value_new, ==, "4294892297");
  g_assert_cmpstr (first->func, ==, "do_timer");
  g_assert_true (g_str_has_suffix (first->fullname, "/kernel/time/timekeeping.c"));
  g_assert_cmpint (first->line, ==, 2298);
  g_assert_cmpint (first->bkptno, ==, -1);

  /* The next tick: the new value became the old one. */
  g_assert_cmpstr (second->value_old, ==, "4294892297");
  g_assert_cmpstr (second->value_new, ==, "4294892298");

  copy = kwb_gdb_stop_copy (second);
  g_assert_cmpstr (copy->value_new, ==, "4294892298");
  g_assert_cmpstr (copy->watch_expression, ==, "jiffies");
}

static void
test_read_and_access_together (void)
{
  g_autoptr(KwbGdbStop) stop = recorded_stop ("read-watchpoint-trigger", 0);

  /* The first watchpoint named is the one reported; the access one that
   * follows (with its own reason= and value=) does not overwrite it. */
  g_assert_true (kwb_gdb_stop_is_watchpoint (stop));
  g_assert_cmpint (kwb_gdb_stop_get_watch_kind (stop), ==, KWB_GDB_WATCH_READ);
  g_assert_cmpint (stop->watch_number, ==, 5);
  g_assert_cmpstr (stop->watch_expression, ==, "jiffies");
  g_assert_null (stop->value_old);
  g_assert_cmpstr (stop->value_new, ==, "4294892298");
  g_assert_cmpstr (stop->func, ==, "calc_global_load");
  g_assert_cmpint (stop->line, ==, 355);
}

static void
test_access_only (void)
{
  /* An access watchpoint alone: value={new=…} (unchanged) — taken from the
   * combined record by dropping the read watchpoint's part. */
  g_autoptr(KwbMiRecord) record =
    kwb_mi_parse_line ("*stopped,reason=\"access-watchpoint-trigger\",hw-awpt={number=\"6\",exp=\"jiffies_64\"},"
                       "value={new=\"4294892298\"},frame={addr=\"0xffffffff810493b5\",func=\"calc_global_load\","
                       "args=[],file=\"kernel/sched/loadavg.c\",fullname=\"/src/kernel/sched/loadavg.c\","
                       "line=\"355\",arch=\"i386:x86-64\"},thread-id=\"1\",stopped-threads=\"all\"", -1);
  g_autoptr(KwbGdbStop) stop = kwb_gdb_stop_new (record);

  g_assert_cmpint (kwb_gdb_stop_get_watch_kind (stop), ==, KWB_GDB_WATCH_ACCESS);
  g_assert_cmpint (stop->watch_number, ==, 6);
  g_assert_cmpstr (stop->watch_expression, ==, "jiffies_64");
  g_assert_null (stop->value_old);
  g_assert_cmpstr (stop->value_new, ==, "4294892298");
}

static void
test_scope (void)
{
  g_autoptr(KwbGdbStop) stop = recorded_stop ("watchpoint-scope", 0);

  g_assert_true (kwb_gdb_stop_is_watchpoint (stop));
  g_assert_cmpint (stop->watch_number, ==, 8);
  g_assert_null (stop->watch_expression);
  g_assert_null (stop->value_new);
  g_assert_cmpstr (stop->func, ==, "error_entry");
}

static void
test_not_a_watchpoint (void)
{
  g_autoptr(KwbGdbStop) hit = recorded_stop ("breakpoint-hit", 0);
  g_autoptr(KwbGdbStop) reset = NULL;
  g_autoptr(KwbMiRecord) record = recorded ("*stopped,frame=", 0);

  g_assert_false (kwb_gdb_stop_is_watchpoint (hit));
  g_assert_cmpint (hit->watch_number, ==, -1);
  g_assert_cmpint (hit->bkptno, ==, 2);
  reset = kwb_gdb_stop_new (record);
  g_assert_false (kwb_gdb_stop_is_watchpoint (reset));
  g_assert_null (reset->value_new);
}

/* The breakpoint table as -break-info and =breakpoint-modified give it. */
static void
test_kinds_and_hits (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();
  g_autoptr(KwbMiRecord) info = recorded ("8^done,BreakpointTable", 0);
  g_autoptr(KwbMiRecord) hw = recorded ("4^done,bkpt=", 0);
  g_autoptr(KwbMiRecord) hit1 = recorded ("=breakpoint-modified,bkpt={number=\"3\"", 0);
  g_autoptr(KwbMiRecord) hit2 = recorded ("=breakpoint-modified,bkpt={number=\"3\"", 1);
  g_autoptr(KwbMiRecord) read = recorded ("=breakpoint-modified,bkpt={number=\"5\"", 0);
  g_autoptr(KwbMiRecord) access = recorded ("=breakpoint-modified,bkpt={number=\"6\"", 0);
  KwbBreakpoint *watch, *hbreak, *rwatch, *awatch;
  g_autofree char *display = NULL;

  hbreak = kwb_breakpoints_update (model, kwb_mi_record_get (hw, "bkpt"));
  g_assert_cmpint (kwb_breakpoint_get_kind (hbreak), ==, KWB_BREAKPOINT_KIND_HARDWARE);
  g_assert_true (kwb_breakpoint_get_hardware (hbreak));
  g_assert_false (kwb_breakpoint_is_watchpoint (hbreak));
  g_assert_null (kwb_breakpoint_get_expression (hbreak));
  g_assert_cmpuint (kwb_breakpoint_get_hardware_slots (hbreak), ==, 1);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 1);

  watch = kwb_breakpoints_update (model, kwb_mi_record_get (info, "BreakpointTable.body.0"));
  g_assert_cmpint (kwb_breakpoint_get_kind (watch), ==, KWB_BREAKPOINT_KIND_WATCH_WRITE);
  g_assert_true (kwb_breakpoint_is_watchpoint (watch));
  g_assert_true (kwb_breakpoint_get_hardware (watch));
  g_assert_cmpstr (kwb_breakpoint_get_expression (watch), ==, "jiffies");
  display = kwb_breakpoint_dup_display (watch);
  g_assert_cmpstr (display, ==, "jiffies");
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (watch), ==, 0);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 2);

  /* Hits come as =breakpoint-modified with times. */
  g_assert_true (kwb_breakpoints_update (model, kwb_mi_record_get (hit1, "bkpt")) == watch);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (watch), ==, 1);
  kwb_breakpoints_update (model, kwb_mi_record_get (hit2, "bkpt"));
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (watch), ==, 2);

  /* The value seen at the last stop, from the session; GDB's records
   * leave it alone. */
  g_assert_null (kwb_breakpoint_get_value (watch));
  kwb_breakpoint_set_value (watch, "4294892298");
  kwb_breakpoints_update (model, kwb_mi_record_get (hit2, "bkpt"));
  g_assert_cmpstr (kwb_breakpoint_get_value (watch), ==, "4294892298");

  /* A watchpoint over 16 unaligned bytes takes three registers. */
  kwb_breakpoint_set_hardware_slots (watch, 3);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 4);
  kwb_breakpoint_set_enabled (watch, FALSE);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 1);
  kwb_breakpoint_set_enabled (watch, TRUE);

  rwatch = kwb_breakpoints_update (model, kwb_mi_record_get (read, "bkpt"));
  awatch = kwb_breakpoints_update (model, kwb_mi_record_get (access, "bkpt"));
  g_assert_cmpint (kwb_breakpoint_get_kind (rwatch), ==, KWB_BREAKPOINT_KIND_WATCH_READ);
  g_assert_cmpint (kwb_breakpoint_get_kind (awatch), ==, KWB_BREAKPOINT_KIND_WATCH_ACCESS);
  g_assert_cmpstr (kwb_breakpoint_get_expression (awatch), ==, "jiffies_64");
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (awatch), ==, 1);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 6);

  g_assert_true (kwb_breakpoints_remove (model, "3"));
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 3);
  kwb_breakpoints_clear (model);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 0);
}

static void
test_software_watchpoint (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();
  /* What -break-info says of `-break-watch $rax` (recorded the same way). */
  g_autoptr(KwbMiRecord) record =
    kwb_mi_parse_line ("=breakpoint-created,bkpt={number=\"4\",type=\"watchpoint\",disp=\"keep\",enabled=\"y\","
                       "what=\"$rax\",thread-groups=[\"i1\"],times=\"0\",original-location=\"$rax\"}", -1);
  KwbBreakpoint *bp = kwb_breakpoints_update (model, kwb_mi_record_get (record, "bkpt"));

  g_assert_cmpint (kwb_breakpoint_get_kind (bp), ==, KWB_BREAKPOINT_KIND_WATCH_SOFTWARE);
  g_assert_false (kwb_breakpoint_get_hardware (bp));
  g_assert_cmpuint (kwb_breakpoint_get_hardware_slots (bp), ==, 0);
  g_assert_cmpuint (kwb_breakpoints_get_hardware_slots_used (model), ==, 0);
  g_assert_cmpstr (kwb_breakpoint_kind_to_string (kwb_breakpoint_get_kind (bp)), ==, "software-watch");
}

static void
test_debug_registers (void)
{
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1000, 8), ==, 1);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1000, 4), ==, 1);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1001, 1), ==, 1);
  /* 4 bytes at an odd address: 1 + 2 + 1. */
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1001, 4), ==, 3);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1000, 16), ==, 2);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1004, 16), ==, 3);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1000, 3), ==, 2);
  g_assert_cmpuint (kwb_breakpoint_count_debug_registers (0x1000, 0), ==, 0);
}

/* GDB's words when it could not write a software breakpoint's int3 (KVM's
 * stub, unmapped memory), as breakpoint.c's insert_bp_location and
 * insert_breakpoint_locations put them together. */
static void
test_uninsertable (void)
{
  g_auto(GStrv) two = kwb_session_dup_uninsertable (
    "Cannot insert breakpoint 2.\nCannot access memory at address 0xffffffffc0001000\n\n"
    "Cannot insert breakpoint 12.\nCannot access memory at address 0xffffffff82e0a1b0\n\nCommand aborted.");
  g_auto(GStrv) hardware = kwb_session_dup_uninsertable (
    "Could not insert hardware breakpoint 3.\nCould not insert hardware breakpoints:\n"
    "You may have requested too many hardware breakpoints/watchpoints.\n");

  g_assert_nonnull (two);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_cmpstr (two[0], ==, "2");
  g_assert_cmpstr (two[1], ==, "12");
  g_assert_null (hardware);
  g_assert_null (kwb_session_dup_uninsertable ("The program is not being run."));
  g_assert_null (kwb_session_dup_uninsertable (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  path = g_test_build_filename (G_TEST_DIST, "data", "mi", "watchpoints.mi", NULL);
  if (!g_file_get_contents (path, &text, NULL, NULL))
    g_error ("cannot read %s", path);
  lines = g_strsplit (text, "\n", -1);
  transcript = g_ptr_array_new ();
  for (guint i = 0; lines[i] != NULL; i++)
    g_ptr_array_add (transcript, lines[i]);

  g_test_add_func ("/watchpoints/write-trigger", test_write_trigger);
  g_test_add_func ("/watchpoints/read-and-access-together", test_read_and_access_together);
  g_test_add_func ("/watchpoints/access-only", test_access_only);
  g_test_add_func ("/watchpoints/scope", test_scope);
  g_test_add_func ("/watchpoints/not-a-watchpoint", test_not_a_watchpoint);
  g_test_add_func ("/watchpoints/kinds-and-hits", test_kinds_and_hits);
  g_test_add_func ("/watchpoints/software-watchpoint", test_software_watchpoint);
  g_test_add_func ("/watchpoints/debug-registers", test_debug_registers);
  g_test_add_func ("/watchpoints/uninsertable", test_uninsertable);
  status = g_test_run ();
  g_ptr_array_unref (transcript);
  return status;
}
