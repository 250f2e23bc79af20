/* kwb-json-output.c — JSON lines through json-glib, with every byte of the input kept
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `kwb mi parse` and `kwb debug --json` print what GDB and the guest wrote,
 * and that is bytes, not always UTF-8: a c-string with octal escapes, a
 * console that printed binary. JSON strings are Unicode, so a byte that is
 * not UTF-8 is written as a lone surrogate \udc80–\udcff, as Python's
 * "surrogateescape" does, and a reader can get the original bytes back.
 *
 * json-glib builds and writes the JSON; it only takes UTF-8 C strings and
 * writes non-ASCII text as it is. So kwb_json_builder_add_bytes() stores
 * such a byte as the three-byte form of its surrogate (and NUL as C0 80),
 * two sequences that valid UTF-8 never contains, and kwb_json_to_line()
 * turns them into \u escapes in json-glib's output. It also escapes U+001F,
 * which json-glib 1.6 leaves raw although JSON forbids it.
 *
 * Every string of a tree given to kwb_json_to_line() is either valid UTF-8
 * or was added with kwb_json_builder_add_bytes().
 */
#include "config.h"

#include <string.h>

#include "kwb-json-output.h"

/* Adds a string value holding DATA (LENGTH bytes, or up to its NUL if -1). */
void
kwb_json_builder_add_bytes (JsonBuilder *builder,
                            const char  *data,
                            gssize       length)
{
  g_autoptr(GString) s = NULL;
  const char *end;

  g_return_if_fail (JSON_IS_BUILDER (builder));
  g_return_if_fail (data != NULL || length == 0);

  if (length < 0)
    length = (gssize) strlen (data);
  end = data + length;
  s = g_string_sized_new ((gsize) length + 1);
  while (data < end)
    {
      const char *valid_end;
      guchar c;

      g_utf8_validate_len (data, (gsize) (end - data), &valid_end);
      g_string_append_len (s, data, valid_end - data);
      if (valid_end == end)
        break;
      c = (guchar) *valid_end;
      if (c == 0)
        g_string_append (s, "\xc0\x80");
      else
        {
          /* U+DC00 + c; only bytes from 0x80 up are ever invalid here. */
          g_string_append_c (s, (char) 0xed);
          g_string_append_c (s, (char) (0xb0 | (c >> 6)));
          g_string_append_c (s, (char) (0x80 | (c & 0x3f)));
        }
      data = valid_end + 1;
    }
  json_builder_add_string_value (builder, s->str);
}

/* NODE as one line of compact JSON, without the newline. */
char *
kwb_json_to_line (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  GString *out;
  gsize len;

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    {
      guchar c = (guchar) text[i];

      if (c == 0xed && i + 2 < len && ((guchar) text[i + 1] & 0xfe) == 0xb2)
        {
          g_string_append_printf (out, "\\udc%02x",
                                  (((guchar) text[i + 1] & 0x03) << 6) | ((guchar) text[i + 2] & 0x3f));
          i += 2;
        }
      else if (c == 0xc0 && i + 1 < len && (guchar) text[i + 1] == 0x80)
        {
          g_string_append (out, "\\u0000");
          i += 1;
        }
      else if (c == 0x1f)
        g_string_append (out, "\\u001f");
      else
        g_string_append_c (out, (char) c);
    }
  return g_string_free (out, FALSE);
}
