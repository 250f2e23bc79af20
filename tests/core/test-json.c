/* test-json.c — the JSON kwb prints: MI records and raw bytes through json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

static char *
bytes_line (const char *data,
            gssize      length)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *line = NULL;
  gsize len;

  /* A builder holds values in an array or object; the string alone is wanted. */
  json_builder_begin_array (b);
  kwb_json_builder_add_bytes (b, data, length);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  line = kwb_json_to_line (root);
  len = strlen (line);
  g_assert_true (len >= 2 && line[0] == '[' && line[len - 1] == ']');
  return g_strndup (line + 1, len - 2);
}

static char *
record_line (const char *mi)
{
  g_autoptr(KwbMiRecord) record = kwb_mi_parse_line (mi, -1);
  g_autoptr(GString) out = g_string_new (NULL);

  g_assert_nonnull (record);
  kwb_mi_record_append_json (record, out);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every byte comes back: UTF-8 as is, the rest as Python's surrogateescape. */
static void
test_bytes (void)
{
  static const struct {
    const char *data;
    gssize      len;
    const char *json;
  } cases[] = {
    { "plain", -1, "\"plain\"" },
    { "h\xc3\xa9 \xf0\x9f\x98\x80", -1, "\"h\xc3\xa9 \xf0\x9f\x98\x80\"" },
    { "q\"b\\n\nt\tr\r", -1, "\"q\\\"b\\\\n\\nt\\tr\\r\"" },
    { "\x01\x1b\x1f", -1, "\"\\u0001\\u001b\\u001f\"" },
    { "a\0b", 3, "\"a\\u0000b\"" },
    { "\xff" "ok\x80", -1, "\"\\udcffok\\udc80\"" },
    /* Byte sequences that look like the internal forms stay bytes. */
    { "\xed\xb2\x80", -1, "\"\\udced\\udcb2\\udc80\"" },
    { "\xc0\x80", -1, "\"\\udcc0\\udc80\"" },
    /* A sequence cut short, then valid text. */
    { "\xe2\x82" "x", -1, "\"\\udce2\\udc82x\"" },
    { "", 0, "\"\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = bytes_line (cases[i].data, cases[i].len);

      g_assert_cmpstr (line, ==, cases[i].json);
    }
}

/* What is valid UTF-8 reads back through a JSON parser unchanged. */
static void
test_bytes_parse_back (void)
{
  static const char text[] = "tab\t \"q\" \\ \x1f\x7f h\xc3\xa9 \xe4\xb8\xad\n";
  g_autofree char *line = bytes_line (text, -1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_node_get_string (json_parser_get_root (parser)), ==, text);
}

/* Results are [name, value] pairs in GDB's order, so repeated names stay. */
static void
test_record_duplicate_keys (void)
{
  g_autofree char *line = record_line ("7^done,frame={level=\"0\"},frame={level=\"1\"},x=[a=\"1\",a=\"2\"]");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *results;
  JsonArray *list;

  g_assert_cmpstr (line, ==,
                   "{\"type\":\"result\",\"token\":7,\"class\":\"done\",\"results\":["
                   "[\"frame\",{\"tuple\":[[\"level\",\"0\"]]}],"
                   "[\"frame\",{\"tuple\":[[\"level\",\"1\"]]}],"
                   "[\"x\",{\"list\":[[\"a\",\"1\"],[\"a\",\"2\"]]}]]}");

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  results = json_object_get_array_member (root, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (results, 0), 0), ==, "frame");
  g_assert_cmpstr (json_array_get_string_element (json_array_get_array_element (results, 1), 0), ==, "frame");
  list = json_object_get_array_member (json_array_get_object_element (json_array_get_array_element (results, 2), 1),
                                       "list");
  g_assert_cmpuint (json_array_get_length (list), ==, 2);
}

/* Each kind of record, and the nulls: no token, a name MI2 left out. */
static void
test_record_kinds (void)
{
  static const struct {
    const char *mi;
    const char *json;
  } cases[] = {
    { "*stopped,reason=\"breakpoint-hit\"",
      "{\"type\":\"exec\",\"token\":null,\"class\":\"stopped\",\"results\":[[\"reason\",\"breakpoint-hit\"]]}" },
    { "=thread-group-added,id=\"i1\"",
      "{\"type\":\"notify\",\"token\":null,\"class\":\"thread-group-added\",\"results\":[[\"id\",\"i1\"]]}" },
    { "+download,section=\".text\"",
      "{\"type\":\"status\",\"token\":null,\"class\":\"download\",\"results\":[[\"section\",\".text\"]]}" },
    { "^done,bkpt={number=\"1\"},{number=\"1.1\"}",
      "{\"type\":\"result\",\"token\":null,\"class\":\"done\",\"results\":[[\"bkpt\",{\"tuple\":[[\"number\",\"1\"]]}],"
      "[null,{\"tuple\":[[\"number\",\"1.1\"]]}]]}" },
    { "^done,l=[\"a\",{b=\"c\"}]",
      "{\"type\":\"result\",\"token\":null,\"class\":\"done\",\"results\":[[\"l\",{\"list\":[\"a\",{\"tuple\":[[\"b\",\"c\"]]}]}]]}" },
    { "~\"\\377ok\\303\\251\\001\\000\"", "{\"type\":\"console\",\"text\":\"\\udcffok\xc3\xa9\\u0001\\u0000\"}" },
    { "@\"target\\r\\n\"", "{\"type\":\"target\",\"text\":\"target\\r\\n\"}" },
    { "&\"log\"", "{\"type\":\"log\",\"text\":\"log\"}" },
    { "(gdb) ", "{\"type\":\"prompt\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = record_line (cases[i].mi);

      g_assert_cmpstr (line, ==, cases[i].json);
    }
}

/* A line that is not MI: what was wrong, where, and the text. */
static void
test_record_error (void)
{
  g_autofree char *line = record_line ("not MI at all");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "type"), ==, "error");
  g_assert_nonnull (json_object_get_string_member (root, "error"));
  g_assert_true (json_object_has_member (root, "column"));
  g_assert_cmpstr (json_object_get_string_member (root, "text"), ==, "not MI at all");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/json/bytes", test_bytes);
  g_test_add_func ("/json/bytes-parse-back", test_bytes_parse_back);
  g_test_add_func ("/json/mi-record/duplicate-keys", test_record_duplicate_keys);
  g_test_add_func ("/json/mi-record/kinds", test_record_kinds);
  g_test_add_func ("/json/mi-record/error", test_record_error);
  return g_test_run ();
}
