/* fuzz-memory-text.c — libFuzzer target for the memory view's text (kwb-memory-text.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `kwb debug --show mem:ADDR[,LEN]` and the Memory panel's entries hand
 * whatever the user typed to these parsers, and guest memory (any bytes)
 * goes through the hex dump. The input is both: as text, it must parse to
 * an expression and a length in range, or fail with an error, and
 * `current` expansion must keep the text around it; as memory, every dump
 * line must have the dump's columns, whatever the flags. Anything else
 * aborts the target.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "kwb-memory-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
check_text (const char *text)
{
  g_autofree char *expression = NULL;
  g_autofree char *expanded = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  guint64 address;

  if (kwb_memory_parse_spec (text, &expression, &length, &error))
    {
      g_assert (error == NULL);
      g_assert (expression[0] != '\0' && !g_ascii_isspace (expression[0]));
      g_assert (length >= 1 && length <= KWB_MEMORY_LENGTH_MAX);
      g_assert (strstr (text, expression) != NULL);
    }
  else
    g_assert (error != NULL && expression == NULL && error->domain == KWB_MEMORY_ERROR);

  if ((expanded = kwb_memory_expand_current (text)) != NULL)
    g_assert (strstr (expanded, "$lx_current()") != NULL && strlen (expanded) > strlen (text));
  kwb_memory_parse_address (text, &address);
}

static void
check_dump (const uint8_t *data,
            size_t         size)
{
  guint8 *flags = g_malloc (size + 1); /* freed once the dump is made */
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autofree char *dump = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 address = 0;
  guint n_lines;

  /* Each byte's low bits as its flags; the first 8 as the address. */
  for (size_t i = 0; i < size; i++)
    flags[i] = data[i] & (KWB_MEMORY_BYTE_UNREADABLE | KWB_MEMORY_BYTE_CHANGED);
  memcpy (&address, data, MIN (size, sizeof address));
  dump = kwb_memory_format_hex (address, bytes, flags, KWB_MEMORY_ROW_WIDTH);
  g_free (flags);
  if (size == 0)
    {
      g_assert (dump[0] == '\0');
      return;
    }
  lines = g_strsplit (dump, "\n", -1);
  n_lines = g_strv_length (lines);
  g_assert (n_lines == (size + KWB_MEMORY_ROW_WIDTH - 1) / KWB_MEMORY_ROW_WIDTH + 1);
  g_assert (lines[n_lines - 1][0] == '\0');
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      guint n = MIN (KWB_MEMORY_ROW_WIDTH, size - i * KWB_MEMORY_ROW_WIDTH);

      g_assert (strlen (lines[i]) == kwb_memory_ascii_column (n, KWB_MEMORY_ROW_WIDTH) + 1);
      g_assert (lines[i][kwb_memory_ascii_column (0, KWB_MEMORY_ROW_WIDTH) - 1] == '|');
      g_assert (g_str_has_suffix (lines[i], "|"));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);

  check_text (text);
  check_dump (data, size);
  return 0;
}
