/* test-breakpoints.c — KwbBreakpoints follows GDB's bkpt records
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lines below are GDB 13's own output (tests/data/mi transcripts and
 * a pending/hardware breakpoint recorded the same way).
 */
#include "config.h"

#include "kwb-core.h"

static KwbBreakpoint *
feed (KwbBreakpoints *model,
      const char     *line)
{
  g_autoptr(KwbMiRecord) record = kwb_mi_parse_line (line, -1);
  const KwbMiValue *bkpt = kwb_mi_record_get (record, "bkpt");

  g_assert_nonnull (bkpt);
  return kwb_breakpoints_update (model, bkpt);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
test_created_modified_deleted (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(KwbBreakpoint) first = NULL;
  KwbBreakpoint *bp;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), log);

  bp = feed (model, "3^done,bkpt={number=\"1\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"0x00000000000011a2\",func=\"main\",file=\"prog-a.c\",fullname=\"/tmp/kwb-mi-04cXOB/d\\303\\257r \\303\\274/prog-a.c\",line=\"23\",thread-groups=[\"i1\"],times=\"0\",original-location=\"main\"}");
  g_assert_nonnull (bp);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (first == bp);
  g_assert_cmpstr (kwb_breakpoint_get_number (bp), ==, "1");
  g_assert_cmpstr (kwb_breakpoint_get_function (bp), ==, "main");
  g_assert_cmpstr (kwb_breakpoint_get_file (bp), ==, "prog-a.c");
  g_assert_cmpstr (kwb_breakpoint_get_fullname (bp), ==, "/tmp/kwb-mi-04cXOB/dïr ü/prog-a.c");
  g_assert_cmpuint (kwb_breakpoint_get_line (bp), ==, 23);
  g_assert_cmpuint (kwb_breakpoint_get_address (bp), ==, 0x11a2);
  g_assert_true (kwb_breakpoint_get_enabled (bp));
  g_assert_false (kwb_breakpoint_get_pending (bp));
  g_assert_false (kwb_breakpoint_get_hardware (bp));

  /* Hit: times and the relocated address change, the row stays. */
  feed (model, "=breakpoint-modified,bkpt={number=\"1\",type=\"breakpoint\",disp=\"keep\",enabled=\"n\",addr=\"0x00005555555551a2\",func=\"main\",file=\"prog-a.c\",fullname=\"/tmp/kwb-mi-04cXOB/d\\303\\257r \\303\\274/prog-a.c\",line=\"23\",thread-groups=[\"i1\"],times=\"2\",original-location=\"main\"}");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (first), ==, 2);
  g_assert_false (kwb_breakpoint_get_enabled (first));
  g_assert_cmpuint (kwb_breakpoint_get_address (first), ==, 0x5555555551a2);

  /* Numbers sort numerically. */
  feed (model, "7^done,bkpt={number=\"10\",type=\"hw breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"0xffffffff82b9ce1e\",func=\"start_kernel\",file=\"init/main.c\",fullname=\"/src/init/main.c\",line=\"941\",thread-groups=[\"i1\"],times=\"0\",original-location=\"start_kernel\"}");
  bp = feed (model, "8^done,bkpt={number=\"3\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"<PENDING>\",pending=\"hello_init\",times=\"0\",original-location=\"hello_init\"}");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  {
    g_autoptr(KwbBreakpoint) second = g_list_model_get_item (G_LIST_MODEL (model), 1);
    g_autoptr(KwbBreakpoint) third = g_list_model_get_item (G_LIST_MODEL (model), 2);
    g_autofree char *display = kwb_breakpoint_dup_display (second);

    g_assert_true (second == bp);
    g_assert_true (kwb_breakpoint_get_pending (second));
    g_assert_cmpstr (kwb_breakpoint_get_location (second), ==, "hello_init");
    g_assert_cmpstr (display, ==, "hello_init (pending)");
    g_assert_true (kwb_breakpoint_get_hardware (third));
    g_assert_true (kwb_breakpoints_find_line (model, "/src/init/main.c", 941) == third);
    g_assert_null (kwb_breakpoints_find_line (model, "/src/init/main.c", 940));
  }

  g_assert_true (kwb_breakpoints_remove (model, "3"));
  g_assert_false (kwb_breakpoints_remove (model, "3"));
  g_assert_cmpstr (log->str, ==, "0-0+1;1-0+1;1-0+1;1-1+0;");
}

static void
test_multiple_locations (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();
  KwbBreakpoint *bp;

  bp = feed (model, "4^done,bkpt={number=\"2\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"<MULTIPLE>\",times=\"0\",original-location=\"helper\",locations=[{number=\"2.1\",enabled=\"y\",addr=\"0x0000000000001160\",func=\"helper\",file=\"/tmp/x/helper.h\",fullname=\"/tmp/x/helper.h\",line=\"5\",thread-groups=[\"i1\"]},{number=\"2.2\",enabled=\"y\",addr=\"0x0000000000001281\",func=\"helper\",file=\"/tmp/x/helper.h\",fullname=\"/tmp/x/helper.h\",line=\"5\",thread-groups=[\"i1\"]}]}");
  g_assert_cmpuint (kwb_breakpoint_get_n_locations (bp), ==, 2);
  g_assert_cmpstr (kwb_breakpoint_get_fullname (bp), ==, "/tmp/x/helper.h");
  g_assert_cmpuint (kwb_breakpoint_get_line (bp), ==, 5);
  g_assert_cmpuint (kwb_breakpoint_get_address (bp), ==, 0x1160);
}

static void
test_internal_hidden (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();

  kwb_breakpoints_add_internal (model, "5");
  g_assert_null (feed (model, "=breakpoint-created,bkpt={number=\"5\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"0xffffffff81100000\",func=\"do_init_module\",file=\"kernel/module/main.c\",fullname=\"/src/kernel/module/main.c\",line=\"2500\",times=\"0\",original-location=\"do_init_module\"}"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (kwb_breakpoints_is_internal (model, "5"));
}

/* A hit GDB counted while the CPU never left the breakpoint (a step QEMU
 * lost) stays out of the count, also after GDB's next updates. */
static void
test_discounted_hit (void)
{
  g_autoptr(KwbBreakpoints) model = kwb_breakpoints_new ();
#define HIT(times) "=breakpoint-modified,bkpt={number=\"5\",type=\"breakpoint\",disp=\"keep\",enabled=\"y\",addr=\"0xffffffffa0005000\",func=\"kwb_test_mod_init\",file=\"kwb_test_mod.c\",fullname=\"/tmp/kwb_test_mod.c\",line=\"43\",thread-groups=[\"i1\"],times=\"" times "\",original-location=\"kwb_test_mod_init\"}"
  const char *one = HIT ("1"), *two = HIT ("2"), *three = HIT ("3");
#undef HIT
  KwbBreakpoint *bp;

  bp = feed (model, one);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 1);
  feed (model, two);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 2);
  kwb_breakpoint_discount_hit (bp);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 1);
  feed (model, two);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 1);
  feed (model, three);
  g_assert_cmpuint (kwb_breakpoint_get_hit_count (bp), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/breakpoints/created-modified-deleted", test_created_modified_deleted);
  g_test_add_func ("/breakpoints/multiple-locations", test_multiple_locations);
  g_test_add_func ("/breakpoints/internal-hidden", test_internal_hidden);
  g_test_add_func ("/breakpoints/discounted-hit", test_discounted_hit);
  return g_test_run ();
}
