/* test-mi-parser.c — KwbMiParser on GDB 13 transcripts, splits, escapes, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "kwb-core.h"

static const char * const transcripts[] = {
  "userspace",      /* GDB 13.1 MI3, a threaded program, see record-userspace.sh */
  "userspace-mi2",  /* the same under MI2: nameless multi-location tuples */
  "malformed",      /* hand-written: bad lines between good ones */
  "kernel",         /* GDB 13.1 + QEMU + the test kernel, see record-kernel.sh */
};

static void
append_json (KwbMiRecord *record,
             gpointer     user_data)
{
  GString *out = user_data;

  kwb_mi_record_append_json (record, out);
  g_string_append_c (out, '\n');
}

static char *
parse_chunks (const char *data,
              gsize       len,
              const gsize *cuts,
              guint        n_cuts)
{
  g_autoptr(KwbMiParser) parser = kwb_mi_parser_new ();
  GString *out = g_string_new (NULL);
  gsize at = 0;

  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize next = i < n_cuts ? cuts[i] : len;

      kwb_mi_parser_feed (parser, data + at, next - at, append_json, out);
      at = next;
    }
  kwb_mi_parser_finish (parser, append_json, out);
  return g_string_free (out, FALSE);
}

static char *
parse_whole (const char *data,
             gsize       len)
{
  return parse_chunks (data, len, NULL, 0);
}

static void
load_transcript (const char  *name,
                 char       **mi,
                 gsize       *mi_len,
                 char       **golden)
{
  g_autofree char *mi_name = g_strconcat (name, ".mi", NULL);
  g_autofree char *json_name = g_strconcat (name, ".json", NULL);
  g_autofree char *mi_path = g_test_build_filename (G_TEST_DIST, "data", "mi", mi_name, NULL);
  g_autofree char *json_path = g_test_build_filename (G_TEST_DIST, "data", "mi", json_name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_get_contents (mi_path, mi, mi_len, &error);
  g_assert_no_error (error);
  g_file_get_contents (json_path, golden, NULL, &error);
  g_assert_no_error (error);
}

/* The whole transcript in one chunk gives the golden JSON lines, which were
 * produced by `kwb mi parse`, read by a person and cross-checked by
 * tests/data/mi/check-golden.py. */
static void
test_golden (gconstpointer data)
{
  const char *name = data;
  g_autofree char *mi = NULL;
  g_autofree char *golden = NULL;
  g_autofree char *json = NULL;
  gsize len;

  load_transcript (name, &mi, &len, &golden);
  json = parse_whole (mi, len);
  g_assert_cmpstr (json, ==, golden);
}

/* Every split point gives the same records. The parser keeps no state from
 * one line to the next but a trailing CR, so splitting a window of two lines
 * at every byte of the first covers every split of the whole transcript
 * without the quadratic cost; one byte at a time covers the rest. */
static void
test_splits (gconstpointer data)
{
  const char *name = data;
  g_autofree char *mi = NULL;
  g_autofree char *golden = NULL;
  g_autofree char *bytewise = NULL;
  g_autofree gsize *cuts = NULL;
  gsize len;
  gsize line_start = 0;
  guint n_windows = 0;

  load_transcript (name, &mi, &len, &golden);

  cuts = g_new (gsize, len);
  for (gsize i = 0; i < len; i++)
    cuts[i] = i + 1;
  bytewise = parse_chunks (mi, len, cuts, len > 0 ? (guint) len - 1 : 0);
  g_assert_cmpstr (bytewise, ==, golden);

  while (line_start < len)
    {
      const char *nl = memchr (mi + line_start, '\n', len - line_start);
      gsize line_end = nl ? (gsize) (nl - mi) + 1 : len;
      const char *nl2 = line_end < len ? memchr (mi + line_end, '\n', len - line_end) : NULL;
      gsize window_end = nl2 ? (gsize) (nl2 - mi) + 1 : len;
      g_autofree char *expected = parse_whole (mi + line_start, window_end - line_start);

      for (gsize k = line_start; k <= line_end; k++)
        {
          gsize cut = k - line_start;
          g_autofree char *got = parse_chunks (mi + line_start, window_end - line_start, &cut, 1);

          if (g_strcmp0 (got, expected) != 0)
            g_error ("%s: split at byte %" G_GSIZE_FORMAT " differs:\n%s\nvs\n%s", name, k, got, expected);
        }
      n_windows++;
      line_start = line_end;
    }
  g_test_message ("%s: %u lines split at every byte", name, n_windows);
}

typedef struct {
  GPtrArray *records;
} Collect;

static void
collect (KwbMiRecord *record,
         gpointer     user_data)
{
  g_ptr_array_add (user_data, kwb_mi_record_ref (record));
}

static GPtrArray *
parse_transcript (const char *name)
{
  g_autofree char *mi = NULL;
  g_autofree char *golden = NULL;
  g_autoptr(KwbMiParser) parser = kwb_mi_parser_new ();
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_mi_record_unref);
  gsize len;

  load_transcript (name, &mi, &len, &golden);
  kwb_mi_parser_feed (parser, mi, len, collect, records);
  kwb_mi_parser_finish (parser, collect, records);
  return records;
}

static KwbMiRecord *
find_record (GPtrArray       *records,
             KwbMiRecordType  type,
             const char      *klass,
             guint            nth)
{
  for (guint i = 0; i < records->len; i++)
    {
      KwbMiRecord *r = records->pdata[i];

      if (kwb_mi_record_get_record_type (r) == type &&
          (klass == NULL || kwb_mi_record_is_class (r, klass)) &&
          nth-- == 0)
        return r;
    }
  g_error ("no record %s %s #%u", kwb_mi_record_type_to_string (type), klass, nth);
  return NULL;
}

/* What the app reads from real GDB output, checked field by field. */
static void
test_transcript_facts (void)
{
  g_autoptr(GPtrArray) user = parse_transcript ("userspace");
  g_autoptr(GPtrArray) mi2 = parse_transcript ("userspace-mi2");
  g_autoptr(GPtrArray) kernel = parse_transcript ("kernel");
  KwbMiRecord *r;
  const char *fullname;
  gsize len;

  /* Octal escapes of "dïr ü" come back as UTF-8. */
  r = find_record (user, KWB_MI_RECORD_EXEC, "stopped", 0);
  fullname = kwb_mi_record_get_string (r, "frame.fullname");
  g_assert_true (g_str_has_suffix (fullname, "/d\xc3\xafr \xc3\xbc/prog-a.c"));
  g_assert_true (g_utf8_validate (fullname, -1, NULL));
  g_assert_cmpint (kwb_mi_record_get_int (r, "frame.line", -1), ==, 23);
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkptno", -1), ==, 1);

  /* MI3 multi-location breakpoint: locations=[…] */
  r = find_record (user, KWB_MI_RECORD_RESULT, "done", 3);
  g_assert_cmpuint (kwb_mi_record_get_token (r), ==, 4);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "bkpt.addr"), ==, "<MULTIPLE>");
  g_assert_cmpuint (kwb_mi_value_get_n_children (kwb_mi_record_get (r, "bkpt.locations")), ==, 2);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "bkpt.locations.1.number"), ==, "2.2");

  /* Errors carry GDB's text, quotes unescaped. */
  r = find_record (user, KWB_MI_RECORD_RESULT, "error", 0);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "msg"), ==, "Function \"no_such_function\" not defined.");

  /* Thread groups */
  r = find_record (user, KWB_MI_RECORD_NOTIFY, "thread-group-exited", 0);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "exit-code"), ==, "0");

  /* MI2: bkpt={…},{…},{…}: nameless tuples after the named one. */
  r = find_record (mi2, KWB_MI_RECORD_RESULT, "done", 1);
  g_assert_cmpuint (kwb_mi_value_get_n_children (kwb_mi_record_get_results (r)), ==, 3);
  g_assert_null (kwb_mi_value_get_key (kwb_mi_value_get_nth (kwb_mi_record_get_results (r), 2)));
  g_assert_cmpstr (kwb_mi_record_get_string (r, "2.number"), ==, "1.2");

  /* Kernel: connected, start_kernel, a @ record, \000 inside a value. */
  find_record (kernel, KWB_MI_RECORD_RESULT, "connected", 0);
  r = find_record (kernel, KWB_MI_RECORD_EXEC, "stopped", 1);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "frame.func"), ==, "start_kernel");
  g_assert_true (g_str_has_suffix (kwb_mi_record_get_string (r, "frame.fullname"), "/init/main.c"));
  r = find_record (kernel, KWB_MI_RECORD_TARGET, NULL, 0);
  g_assert_cmpstr (kwb_mi_record_get_text (r, &len), ==, "VM status: paused (debug)\r\n");
  r = NULL;
  for (guint i = 0; i < kernel->len && r == NULL; i++)
    if (kwb_mi_record_has_token (kernel->pdata[i]) && kwb_mi_record_get_token (kernel->pdata[i]) == 8)
      r = kernel->pdata[i];
  g_assert_nonnull (r);
  g_assert_cmpstr (kwb_mi_record_get_string (r, "value"), ==, "\"swapper\\000\\000\\000\\000\\000\\000\\000\\000\"");
}

static KwbMiRecord *
parse1 (const char *line)
{
  KwbMiRecord *record = kwb_mi_parse_line (line, -1);

  g_assert_nonnull (record);
  return record;
}

static void
test_escapes (void)
{
  /* What GDB 13 prints for "/tmp/dïr ü" and for control characters. */
  g_autoptr(KwbMiRecord) r = parse1 ("~\"/tmp/d\\303\\257r \\303\\274\\n\\t\\\"\\\\\\e\\a\\b\\f\\r\\v\\000x\\1\\12\\177\"");
  static const char expected[] = "/tmp/d\xc3\xafr \xc3\xbc\n\t\"\\\033\a\b\f\r\v\0x\001\012\177";
  gsize len;
  const char *text = kwb_mi_record_get_text (r, &len);

  g_assert_cmpint (kwb_mi_record_get_record_type (r), ==, KWB_MI_RECORD_CONSOLE);
  g_assert_cmpmem (text, len, expected, sizeof expected - 1);
  g_assert_cmpint (text[len], ==, '\0');
  g_assert_true (g_utf8_validate (text, 13, NULL));
  g_assert_cmpstr (text, ==, "/tmp/d\xc3\xafr \xc3\xbc\n\t\"\\\033\a\b\f\r\v");

  /* Escapes inside result values too; the value keeps embedded NULs. */
  {
    g_autoptr(KwbMiRecord) v = parse1 ("^done,value=\"0x5555 \\\"h\\303\\251llo\\\"\",nul=\"a\\000b\"");
    gsize vlen;

    g_assert_cmpstr (kwb_mi_record_get_string (v, "value"), ==, "0x5555 \"h\xc3\xa9llo\"");
    g_assert_cmpmem (kwb_mi_value_get_string_len (kwb_mi_record_get_results (v), "nul", &vlen), vlen, "a\0b", 3);
  }

  /* \400 does not fit a byte. */
  {
    g_autoptr(KwbMiRecord) e = parse1 ("~\"\\400\"");

    g_assert_cmpint (kwb_mi_record_get_record_type (e), ==, KWB_MI_RECORD_ERROR);
  }
}

static void
test_malformed_recovery (void)
{
  g_autoptr(KwbMiParser) parser = kwb_mi_parser_new ();
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_mi_record_unref);
  g_autoptr(GString) long_line = g_string_new ("^done,a={");
  static const char input[] =
    "1^done,a={b=\"1\"\n"          /* unterminated tuple */
    "2^done,a=\"x\"\n"
    "garbage \"with\" {stuff}\n"
    "*stopped,reason=\"signal-received\",signal-name=\"SIGINT\"\n"
    "3^done,a=[\"1\",b=\"2\"]]\n"  /* one ] too many */
    "(gdb) \n";
  const char *error;
  guint column;
  gsize len;

  kwb_mi_parser_feed (parser, input, sizeof input - 1, collect, records);
  kwb_mi_parser_finish (parser, collect, records);
  g_assert_cmpuint (records->len, ==, 6);

  g_assert_cmpint (kwb_mi_record_get_record_type (records->pdata[0]), ==, KWB_MI_RECORD_ERROR);
  error = kwb_mi_record_get_error (records->pdata[0], &column);
  g_assert_nonnull (strstr (error, "tuple"));
  g_assert_cmpuint (column, ==, 15);
  g_assert_cmpstr (kwb_mi_record_get_text (records->pdata[0], NULL), ==, "1^done,a={b=\"1\"");

  g_assert_true (kwb_mi_record_is_class (records->pdata[1], "done"));
  g_assert_cmpuint (kwb_mi_record_get_token (records->pdata[1]), ==, 2);
  g_assert_cmpint (kwb_mi_record_get_record_type (records->pdata[2]), ==, KWB_MI_RECORD_ERROR);
  g_assert_cmpstr (kwb_mi_record_get_string (records->pdata[3], "signal-name"), ==, "SIGINT");
  g_assert_cmpint (kwb_mi_record_get_record_type (records->pdata[4]), ==, KWB_MI_RECORD_ERROR);
  g_assert_cmpint (kwb_mi_record_get_record_type (records->pdata[5]), ==, KWB_MI_RECORD_PROMPT);

  /* The offending text is cut to KWB_MI_ERROR_TEXT_MAX bytes. */
  g_ptr_array_set_size (records, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (long_line, "k=\"v\",");
  g_string_append (long_line, "\n2^done\n");
  kwb_mi_parser_feed (parser, long_line->str, long_line->len, collect, records);
  g_assert_cmpuint (records->len, ==, 2);
  kwb_mi_record_get_text (records->pdata[0], &len);
  g_assert_cmpuint (len, ==, KWB_MI_ERROR_TEXT_MAX);
  g_assert_true (kwb_mi_record_is_class (records->pdata[1], "done"));

  /* A line over the limit is one error record, whether it arrives in one
   * chunk or in many, and the next line parses. */
  for (guint chunk = 1; chunk <= 4096; chunk *= 8)
    {
      g_autoptr(KwbMiParser) small = kwb_mi_parser_new ();

      kwb_mi_parser_set_max_line_length (small, 1000);
      g_ptr_array_set_size (records, 0);
      for (gsize at = 0; at < long_line->len; at += chunk)
        kwb_mi_parser_feed (small, long_line->str + at, MIN (chunk, long_line->len - at), collect, records);
      g_assert_cmpuint (records->len, ==, 2);
      g_assert_cmpstr (kwb_mi_record_get_error (records->pdata[0], NULL), ==, "line too long");
      kwb_mi_record_get_text (records->pdata[0], &len);
      g_assert_cmpuint (len, ==, KWB_MI_ERROR_TEXT_MAX);
      g_assert_true (kwb_mi_record_is_class (records->pdata[1], "done"));
    }
}

static void
test_paths (void)
{
  g_autoptr(KwbMiRecord) r = parse1 (
    "7^done,bkpt={number=\"2\",type=\"breakpoint\",addr=\"<MULTIPLE>\",line=\"12\","
    "locations=[{number=\"2.1\",addr=\"0x0000555555555160\",line=\"5\"},{number=\"2.2\",addr=\"0x0000555555555281\",line=\"6\"}]},"
    "stack=[frame={level=\"0\",func=\"helper\"},frame={level=\"1\",func=\"main\"}],"
    "dup=\"first\",dup=\"second\",empty={},nothing=[]");
  const KwbMiValue *results = kwb_mi_record_get_results (r);
  const KwbMiValue *locations = kwb_mi_record_get (r, "bkpt.locations");
  const KwbMiValue *stack = kwb_mi_record_get (r, "stack");
  guint64 addr = 0;

  g_assert_cmpint (kwb_mi_record_get_record_type (r), ==, KWB_MI_RECORD_RESULT);
  g_assert_true (kwb_mi_record_has_token (r));
  g_assert_cmpuint (kwb_mi_record_get_token (r), ==, 7);
  g_assert_cmpstr (kwb_mi_record_get_class (r), ==, "done");
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkpt.line", -1), ==, 12);
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkpt.number", -1), ==, 2);
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkpt.addr", -1), ==, -1); /* not a number */
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkpt.nope", -1), ==, -1);
  g_assert_null (kwb_mi_record_get_string (r, "bkpt")); /* a tuple, not a string */

  g_assert_cmpint (kwb_mi_value_get_kind (locations), ==, KWB_MI_VALUE_LIST);
  g_assert_cmpuint (kwb_mi_value_get_n_children (locations), ==, 2);
  g_assert_null (kwb_mi_value_get_key (kwb_mi_value_get_nth (locations, 0)));
  g_assert_cmpstr (kwb_mi_value_get_string (kwb_mi_value_get_nth (locations, 1), "number"), ==, "2.2");
  g_assert_cmpstr (kwb_mi_record_get_string (r, "bkpt.locations.0.number"), ==, "2.1");
  g_assert_true (kwb_mi_value_get_uint64 (results, "bkpt.locations.1.addr", &addr));
  g_assert_cmphex (addr, ==, 0x555555555281);
  g_assert_cmpint (kwb_mi_record_get_int (r, "bkpt.locations.1.addr", 0), ==, 0x555555555281);
  g_assert_null (kwb_mi_value_get_nth (locations, 2));

  /* A list of results: keys kept, repeated. */
  g_assert_cmpuint (kwb_mi_value_get_n_children (stack), ==, 2);
  g_assert_cmpstr (kwb_mi_value_get_key (kwb_mi_value_get_nth (stack, 1)), ==, "frame");
  g_assert_cmpstr (kwb_mi_record_get_string (r, "stack.1.func"), ==, "main");
  g_assert_cmpstr (kwb_mi_record_get_string (r, "stack.frame.func"), ==, "helper");

  /* Duplicate keys: the path finds the first, both are there in order. */
  g_assert_cmpstr (kwb_mi_record_get_string (r, "dup"), ==, "first");
  g_assert_cmpstr (kwb_mi_value_get_key (kwb_mi_value_get_nth (results, 3)), ==, "dup");
  g_assert_cmpstr (kwb_mi_value_get_string (kwb_mi_value_get_nth (results, 3), NULL), ==, "second");

  g_assert_cmpint (kwb_mi_value_get_kind (kwb_mi_record_get (r, "empty")), ==, KWB_MI_VALUE_TUPLE);
  g_assert_cmpuint (kwb_mi_value_get_n_children (kwb_mi_record_get (r, "empty")), ==, 0);
  g_assert_cmpint (kwb_mi_value_get_kind (kwb_mi_record_get (r, "nothing")), ==, KWB_MI_VALUE_LIST);
  g_assert_true (kwb_mi_record_get (r, NULL) == results);
  g_assert_true (kwb_mi_record_get (r, "") == results);
}

static void
test_record_kinds (void)
{
  static const struct {
    const char      *line;
    KwbMiRecordType  type;
    const char      *klass;
    gint64           token; /* -1: none */
  } cases[] = {
    { "^done", KWB_MI_RECORD_RESULT, "done", -1 },
    { "0^running", KWB_MI_RECORD_RESULT, "running", 0 },
    { "42^connected", KWB_MI_RECORD_RESULT, "connected", 42 },
    { "5^error,msg=\"No symbol table is loaded.\"", KWB_MI_RECORD_RESULT, "error", 5 },
    { "^exit", KWB_MI_RECORD_RESULT, "exit", -1 },
    { "*running,thread-id=\"all\"", KWB_MI_RECORD_EXEC, "running", -1 },
    { "9*stopped", KWB_MI_RECORD_EXEC, "stopped", 9 },
    { "+download,section=\".text\"", KWB_MI_RECORD_STATUS, "download", -1 },
    { "=thread-group-added,id=\"i1\"", KWB_MI_RECORD_NOTIFY, "thread-group-added", -1 },
    { "~\"hello\\n\"", KWB_MI_RECORD_CONSOLE, NULL, -1 },
    { "@\"target\"", KWB_MI_RECORD_TARGET, NULL, -1 },
    { "&\"log\"", KWB_MI_RECORD_LOG, NULL, -1 },
    { "(gdb)", KWB_MI_RECORD_PROMPT, NULL, -1 },
    { "(gdb) ", KWB_MI_RECORD_PROMPT, NULL, -1 },
    { "(gdb", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "7(gdb)", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "12", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "^done,", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "^done,a=", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "^done,a", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "^done x", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "~", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "~\"\\", KWB_MI_RECORD_ERROR, NULL, -1 },
    { "18446744073709551615^done", KWB_MI_RECORD_RESULT, "done", -2 },
    { "18446744073709551616^done", KWB_MI_RECORD_ERROR, NULL, -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(KwbMiRecord) r = parse1 (cases[i].line);

      g_test_message ("%s", cases[i].line);
      g_assert_cmpint (kwb_mi_record_get_record_type (r), ==, cases[i].type);
      g_assert_cmpstr (kwb_mi_record_get_class (r), ==, cases[i].klass);
      if (cases[i].token == -1)
        g_assert_false (kwb_mi_record_has_token (r));
      else if (cases[i].token == -2)
        g_assert_cmpuint (kwb_mi_record_get_token (r), ==, G_MAXUINT64);
      else
        g_assert_cmpuint (kwb_mi_record_get_token (r), ==, (guint64) cases[i].token);
      if (cases[i].type == KWB_MI_RECORD_ERROR)
        g_assert_nonnull (kwb_mi_record_get_error (r, NULL));
    }

  g_assert_null (kwb_mi_parse_line ("", 0));
}

static void
test_line_ends (void)
{
  static const char input[] = "^done\r\n\r\n~\"a\"\r&\"b\"\n\n\r(gdb) \r\n";
  g_autofree char *whole = parse_whole (input, sizeof input - 1);

  g_assert_cmpstr (whole, ==,
                   "{\"type\":\"result\",\"token\":null,\"class\":\"done\",\"results\":[]}\n"
                   "{\"type\":\"console\",\"text\":\"a\"}\n"
                   "{\"type\":\"log\",\"text\":\"b\"}\n"
                   "{\"type\":\"prompt\"}\n");

  /* Split between CR and LF: still one line end, not two. */
  for (gsize k = 0; k <= sizeof input - 1; k++)
    {
      g_autofree char *split = parse_chunks (input, sizeof input - 1, &k, 1);

      g_assert_cmpstr (split, ==, whole);
    }
}

static void
test_nesting (void)
{
  g_autoptr(GString) ok = g_string_new ("^done,a=");
  g_autoptr(GString) deep = NULL;
  g_autoptr(KwbMiRecord) r = NULL;
  g_autoptr(KwbMiRecord) e = NULL;
  const KwbMiValue *v;
  guint depth = 0;

  for (guint i = 0; i < KWB_MI_MAX_DEPTH; i++)
    g_string_append (ok, "[");
  for (guint i = 0; i < KWB_MI_MAX_DEPTH; i++)
    g_string_append (ok, "]");
  r = parse1 (ok->str);
  g_assert_cmpint (kwb_mi_record_get_record_type (r), ==, KWB_MI_RECORD_RESULT);
  for (v = kwb_mi_record_get (r, "a"); v != NULL; v = kwb_mi_value_get_nth (v, 0))
    depth++;
  g_assert_cmpuint (depth, ==, KWB_MI_MAX_DEPTH);

  /* Deeper than that is refused rather than recursed into. */
  deep = g_string_new ("^done,a=");
  for (guint i = 0; i < 100000; i++)
    g_string_append (deep, "{b=");
  e = parse1 (deep->str);
  g_assert_cmpint (kwb_mi_record_get_record_type (e), ==, KWB_MI_RECORD_ERROR);
  g_assert_cmpstr (kwb_mi_record_get_error (e, NULL), ==, "values nested too deeply");
}

/* A line bigger than the scratch space kept between lines (a kernel's
 * -symbol-info-functions), in one chunk and split, then small lines. */
static void
test_huge_line (void)
{
  g_autoptr(GString) input = g_string_new ("5^done,symbols={debug=[");
  guint n = 200000;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (input, "%s{line=\"%u\",name=\"fn_%u\",type=\"int (void)\"}", i ? "," : "", i, i);
  g_string_append (input, "]}\n6^done,value=\"1\"\n");
  g_assert_cmpuint (input->len, >, 8 * 1024 * 1024);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(KwbMiParser) parser = kwb_mi_parser_new ();
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) kwb_mi_record_unref);
      gsize chunk = round == 0 ? input->len : 4093;

      for (guint again = 0; again < 2; again++)
        for (gsize at = 0; at < input->len; at += chunk)
          kwb_mi_parser_feed (parser, input->str + at, MIN (chunk, input->len - at), collect, records);
      g_assert_cmpuint (records->len, ==, 4);
      for (guint r = 0; r < 4; r += 2)
        {
          const KwbMiValue *debug = kwb_mi_record_get (records->pdata[r], "symbols.debug");

          g_assert_cmpuint (kwb_mi_value_get_n_children (debug), ==, n);
          g_assert_cmpstr (kwb_mi_value_get_string (kwb_mi_value_get_nth (debug, n - 1), "name"), ==, "fn_199999");
          g_assert_cmpstr (kwb_mi_record_get_string (records->pdata[r + 1], "value"), ==, "1");
        }
    }
}

/* Surrogate escapes in JSON for bytes that are not UTF-8. */
static void
test_json_bytes (void)
{
  g_autoptr(KwbMiRecord) r = parse1 ("~\"\\377ok\\303\\251\\001\"");
  g_autoptr(GString) out = g_string_new (NULL);

  kwb_mi_record_append_json (r, out);
  g_assert_cmpstr (out->str, ==, "{\"type\":\"console\",\"text\":\"\\udcffok\xc3\xa9\\u0001\"}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (transcripts); i++)
    {
      g_autofree char *golden = g_strdup_printf ("/mi/transcript/%s/golden", transcripts[i]);
      g_autofree char *splits = g_strdup_printf ("/mi/transcript/%s/every-split", transcripts[i]);

      g_test_add_data_func (golden, transcripts[i], test_golden);
      g_test_add_data_func (splits, transcripts[i], test_splits);
    }
  g_test_add_func ("/mi/escapes", test_escapes);
  g_test_add_func ("/mi/malformed-recovery", test_malformed_recovery);
  g_test_add_func ("/mi/paths", test_paths);
  g_test_add_func ("/mi/record-kinds", test_record_kinds);
  g_test_add_func ("/mi/line-ends", test_line_ends);
  g_test_add_func ("/mi/nesting", test_nesting);
  g_test_add_func ("/mi/json-bytes", test_json_bytes);
  g_test_add_func ("/mi/huge-line", test_huge_line);
  g_test_add_func ("/mi/transcript-facts", test_transcript_facts);

  return g_test_run ();
}
