/* test-json.c — the small JSON reader QMP replies go through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kwb-core.h"

static void
test_qmp_reply (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GVariant) ret = NULL;
  gboolean running = TRUE;

  /* As QEMU 7.2 answers query-status. */
  v = kwb_json_parse ("{\"return\": {\"status\": \"prelaunch\", \"singlestep\": false, \"running\": false}}\r\n",
                      -1, &error);
  g_assert_no_error (error);
  status = kwb_json_dup_string (v, "return.status");
  g_assert_cmpstr (status, ==, "prelaunch");
  ret = g_variant_lookup_value (v, "return", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (ret, "running", "b", &running));
  g_assert_false (running);
}

static void
test_values (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autofree char *s = NULL;
  gint64 n = 0;
  double d = 0;

  v = kwb_json_parse ("{\"event\": \"STOP\", \"timestamp\": {\"seconds\": 1732540000, \"microseconds\": 12},"
                      " \"l\": [1, -2.5e1, \"\\u00e9\\ud83d\\ude00\\n\", null, true, {}], \"s\": \"a\\\"b\\\\c\"}",
                      -1, &error);
  g_assert_no_error (error);
  s = kwb_json_dup_string (v, "event");
  g_assert_cmpstr (s, ==, "STOP");
  g_clear_pointer (&s, g_free);
  s = kwb_json_dup_string (v, "s");
  g_assert_cmpstr (s, ==, "a\"b\\c");
  g_clear_pointer (&s, g_free);

  list = g_variant_lookup_value (v, "l", G_VARIANT_TYPE ("av"));
  g_assert_nonnull (list);
  g_assert_cmpuint (g_variant_n_children (list), ==, 6);
  {
    g_autoptr(GVariant) a = g_variant_get_child_value (list, 0);
    g_autoptr(GVariant) a0 = g_variant_get_variant (a);
    g_autoptr(GVariant) b = g_variant_get_child_value (list, 1);
    g_autoptr(GVariant) b0 = g_variant_get_variant (b);
    g_autoptr(GVariant) c = g_variant_get_child_value (list, 2);
    g_autoptr(GVariant) c0 = g_variant_get_variant (c);
    g_autoptr(GVariant) e = g_variant_get_child_value (list, 3);
    g_autoptr(GVariant) e0 = g_variant_get_variant (e);

    n = g_variant_get_int64 (a0);
    d = g_variant_get_double (b0);
    g_assert_cmpint (n, ==, 1);
    g_assert_cmpfloat (d, ==, -25.0);
    g_assert_cmpstr (g_variant_get_string (c0, NULL), ==, "é😀\n");
    g_assert_true (g_variant_is_of_type (e0, G_VARIANT_TYPE_MAYBE));
  }
  g_assert_null (kwb_json_dup_string (v, "timestamp.seconds")); /* not a string */
  g_assert_null (kwb_json_dup_string (v, "nope.deeper"));
}

static void
test_invalid (void)
{
  static const char *bad[] = {
    "", "{", "{\"a\" 1}", "[1,]", "\"unterminated", "{\"a\":1} trailing", "tru", "[\"\\x\"]",
    "\"\x01\"", "-", "{1:2}",
  };
  g_autofree char *deep = g_strnfill (200, '[');

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) v = kwb_json_parse (bad[i], -1, &error);

      g_assert_null (v);
      g_assert_error (error, KWB_JSON_ERROR, KWB_JSON_ERROR_INVALID);
    }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GVariant) v = kwb_json_parse (deep, -1, &error);

    g_assert_null (v);
    g_assert_error (error, KWB_JSON_ERROR, KWB_JSON_ERROR_INVALID);
  }
}

static void
test_quote (void)
{
  g_autofree char *q = kwb_json_quote ("a \"b\"\\\n\tc");
  g_autoptr(GVariant) back = NULL;

  g_assert_cmpstr (q, ==, "\"a \\\"b\\\"\\\\\\n\\u0009c\"");
  back = kwb_json_parse (q, -1, NULL);
  g_assert_cmpstr (g_variant_get_string (back, NULL), ==, "a \"b\"\\\n\tc");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/qmp-reply", test_qmp_reply);
  g_test_add_func ("/json/values", test_values);
  g_test_add_func ("/json/invalid", test_invalid);
  g_test_add_func ("/json/quote", test_quote);
  return g_test_run ();
}
