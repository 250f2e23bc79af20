/* fuzz-mi-parser.c — libFuzzer target for KwbMiParser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides "no crash, no leak, no UB", it checks the parser's promise that
 * the records do not depend on how the input is split: the input parsed in
 * one chunk and in chunks whose sizes come from the input itself must give
 * the same JSON, or the target aborts.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kwb-mi-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
append_json (KwbMiRecord *record,
             gpointer     user_data)
{
  GString *out = user_data;
  const KwbMiValue *results = kwb_mi_record_get_results (record);
  guint64 u;

  /* Walk what callers walk. */
  (void) kwb_mi_record_get_string (record, "frame.fullname");
  (void) kwb_mi_record_get_int (record, "bkpt.line", -1);
  (void) kwb_mi_value_get_uint64 (results, "bkpt.locations.0.addr", &u);
  (void) kwb_mi_value_get_nth (kwb_mi_record_get (record, "stack"), 1);
  /* A watchpoint stop is read child by child, keys in order. */
  for (guint i = 0; i < kwb_mi_value_get_n_children (results); i++)
    {
      const KwbMiValue *child = kwb_mi_value_get_nth (results, i);

      (void) kwb_mi_value_get_key (child);
      (void) kwb_mi_value_get_string (child, "old");
    }
  kwb_mi_record_append_json (record, out);
  g_string_append_c (out, '\n');
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  KwbMiParser *whole = kwb_mi_parser_new ();
  KwbMiParser *split = kwb_mi_parser_new ();
  GString *a = g_string_new (NULL);
  GString *b = g_string_new (NULL);
  gsize max_line = 0;
  size_t at = 0;
  guint step = 0;

  /* A small line limit sometimes, to reach the too-long path. */
  if (size > 0 && data[0] == 'L')
    max_line = 300;
  if (max_line > 0)
    {
      kwb_mi_parser_set_max_line_length (whole, max_line);
      kwb_mi_parser_set_max_line_length (split, max_line);
    }

  kwb_mi_parser_feed (whole, (const char *) data, size, append_json, a);
  kwb_mi_parser_finish (whole, append_json, a);

  while (at < size)
    {
      size_t chunk = 1 + (data[(at + step) % size] % 17) * (step % 3 == 0 ? 1 : 7);

      chunk = chunk < size - at ? chunk : size - at;
      kwb_mi_parser_feed (split, (const char *) data + at, chunk, append_json, b);
      at += chunk;
      step++;
    }
  kwb_mi_parser_finish (split, append_json, b);

  if (!g_str_equal (a->str, b->str))
    abort ();

  g_string_free (a, TRUE);
  g_string_free (b, TRUE);
  g_object_unref (whole);
  g_object_unref (split);
  return 0;
}
