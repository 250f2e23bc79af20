/* kwb-memory-text.c — the memory view's text: ADDR[,LEN], numbers, `current`, the hex dump
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pure half of KwbMemory (see kwb-memory.h): no session, no GDB, so
 * the unit tests and a fuzzer take it alone. What the user types reaches
 * GDB only through these parsers.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "kwb-memory-private.h"

G_DEFINE_QUARK (kwb-memory-error-quark, kwb_memory_error)

/* ---- text: numbers, specs, `current` ---- */

gboolean
kwb_memory_parse_address (const char *text,
                          guint64    *address)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  const char *digits = copy;
  guint base = 10;
  char *end = NULL;
  guint64 value;

  if (g_str_has_prefix (copy, "0x") || g_str_has_prefix (copy, "0X"))
    {
      digits = copy + 2;
      base = 16;
    }
  if (!g_ascii_isxdigit (digits[0]) || (base == 10 && !g_ascii_isdigit (digits[0])))
    return FALSE;
  errno = 0;
  value = g_ascii_strtoull (digits, &end, base);
  if (errno != 0 || *end != '\0')
    return FALSE;
  *address = value;
  return TRUE;
}

gboolean
kwb_memory_parse_length (const char  *text,
                         gsize       *length,
                         GError     **error)
{
  guint64 value = 0;

  if (!kwb_memory_parse_address (text, &value) || value == 0 || value > KWB_MEMORY_LENGTH_MAX)
    {
      g_set_error (error, KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_INVALID,
                   _("“%s” is not a length: give a number of bytes from 1 to %u (decimal or 0x hex)"),
                   text, (guint) KWB_MEMORY_LENGTH_MAX);
      return FALSE;
    }
  *length = value;
  return TRUE;
}

/* Where the last comma outside brackets and quotes is, or -1. */
static gssize
find_top_level_comma (const char *text)
{
  gssize comma = -1;
  int depth = 0;
  char quote = 0;

  for (gssize i = 0; text[i] != '\0'; i++)
    {
      char c = text[i];

      if (quote != 0)
        {
          if (c == '\\' && text[i + 1] != '\0')
            i++;
          else if (c == quote)
            quote = 0;
          continue;
        }
      if (c == '"' || c == '\'')
        quote = c;
      else if (c == '(' || c == '[' || c == '{')
        depth++;
      else if ((c == ')' || c == ']' || c == '}') && depth > 0)
        depth--;
      else if (c == ',' && depth == 0)
        comma = i;
    }
  return comma;
}

gboolean
kwb_memory_parse_spec (const char  *spec,
                       char       **expression,
                       gsize       *length,
                       GError     **error)
{
  g_autofree char *copy = g_strdup (spec);
  gssize comma = find_top_level_comma (copy);
  gsize len = KWB_MEMORY_LENGTH_DEFAULT;

  if (comma >= 0)
    {
      copy[comma] = '\0';
      if (!kwb_memory_parse_length (copy + comma + 1, &len, error))
        return FALSE;
    }
  g_strstrip (copy);
  if (copy[0] == '\0')
    {
      g_set_error (error, KWB_MEMORY_ERROR, KWB_MEMORY_ERROR_INVALID,
                   _("No address or expression before the length in “%s”"), spec);
      return FALSE;
    }
  *expression = g_steal_pointer (&copy);
  *length = len;
  return TRUE;
}

static gboolean
is_identifier_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '$';
}

char *
kwb_memory_expand_current (const char *expression)
{
  static const char word[] = "current";
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean replaced = FALSE;
  char quote = 0;

  for (gsize i = 0; expression[i] != '\0'; i++)
    {
      char c = expression[i];

      if (quote != 0)
        {
          g_string_append_c (out, c);
          if (c == '\\' && expression[i + 1] != '\0')
            g_string_append_c (out, expression[++i]);
          else if (c == quote)
            quote = 0;
          continue;
        }
      if (c == '"' || c == '\'')
        quote = c;
      if (strncmp (expression + i, word, strlen (word)) == 0 &&
          !is_identifier_char (expression[i + strlen (word)]) &&
          (i == 0 || !is_identifier_char (expression[i - 1])))
        {
          /* A member named current (rq->curr is not, but others are). */
          gssize j = (gssize) i - 1;

          while (j >= 0 && g_ascii_isspace (expression[j]))
            j--;
          if (!(j >= 0 && (expression[j] == '.' || (expression[j] == '>' && j > 0 && expression[j - 1] == '-'))))
            {
              g_string_append (out, "$lx_current()");
              i += strlen (word) - 1;
              replaced = TRUE;
              continue;
            }
        }
      g_string_append_c (out, c);
    }
  return replaced ? g_string_free (g_steal_pointer (&out), FALSE) : NULL;
}

/* ---- the hex dump ---- */

guint
kwb_memory_hex_column (guint index)
{
  return 16 + 2 + 3 * index + index / 8;
}

guint
kwb_memory_ascii_column (guint index,
                         guint width)
{
  /* The address, a blank, WIDTH "xx " with a blank before each group
   * of eight, then " |". */
  return 16 + 1 + 3 * width + (width + 7) / 8 + 2 + index;
}

char *
kwb_memory_format_hex (guint64       address,
                       GBytes       *bytes,
                       const guint8 *flags,
                       guint         width)
{
  gsize length = 0;
  const guint8 *data = bytes ? g_bytes_get_data (bytes, &length) : NULL;
  GString *out = g_string_new (NULL);

  if (width == 0)
    width = KWB_MEMORY_ROW_WIDTH;
  for (gsize row = 0; row < length; row += width)
    {
      gsize n = MIN (width, length - row);

      g_string_append_printf (out, "%016" G_GINT64_MODIFIER "x ", address + row);
      for (guint i = 0; i < width; i++)
        {
          if (i % 8 == 0)
            g_string_append_c (out, ' ');
          if (i >= n)
            g_string_append (out, "   ");
          else if (flags != NULL && (flags[row + i] & KWB_MEMORY_BYTE_UNREADABLE))
            g_string_append (out, "?? ");
          else
            g_string_append_printf (out, "%02x ", data[row + i]);
        }
      g_string_append (out, " |");
      for (guint i = 0; i < n; i++)
        {
          guint8 c = data[row + i];

          if (flags != NULL && (flags[row + i] & KWB_MEMORY_BYTE_UNREADABLE))
            g_string_append_c (out, ' ');
          else
            g_string_append_c (out, c >= 0x20 && c < 0x7f ? (char) c : '.');
        }
      g_string_append (out, "|\n");
    }
  return g_string_free (out, FALSE);
}
