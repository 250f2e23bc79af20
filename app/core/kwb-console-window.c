/* kwb-console-window.c — the last bytes of a guest's console output, bounded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The guest writes as much as it likes to its serial console, for as long
 * as a session lasts. Whoever reads it for a purpose (the prompt before
 * `kwb debug --console-send` types, the last lines an error message
 * quotes) keeps only a window of the newest bytes, so memory stays bounded
 * whatever the guest does. A prompt split across two reads is still found:
 * the window holds the end of the previous read next to the new one.
 * A plain struct, not a GObject: KwbQemu and the CLI own one each.
 */
#include "config.h"

#include <string.h>

#include "kwb-console-window.h"

struct _KwbConsoleWindow
{
  GByteArray *bytes;
  gsize       max_bytes;
};

KwbConsoleWindow *
kwb_console_window_new (gsize max_bytes)
{
  KwbConsoleWindow *self;

  g_return_val_if_fail (max_bytes > 0, NULL);

  self = g_new0 (KwbConsoleWindow, 1);
  self->max_bytes = max_bytes;
  self->bytes = g_byte_array_new ();
  return self;
}

void
kwb_console_window_free (KwbConsoleWindow *self)
{
  if (self == NULL)
    return;
  g_byte_array_unref (self->bytes);
  g_free (self);
}

void
kwb_console_window_append (KwbConsoleWindow *self,
                           const void       *data,
                           gsize             len)
{
  const guint8 *p = data;
  gsize keep;

  g_return_if_fail (self != NULL);
  g_return_if_fail (data != NULL || len == 0);

  /* A read larger than the window: only its end can stay. */
  if (len >= self->max_bytes)
    {
      g_byte_array_set_size (self->bytes, 0);
      g_byte_array_append (self->bytes, p + (len - self->max_bytes), (guint) self->max_bytes);
      return;
    }
  keep = self->max_bytes - len;
  if (self->bytes->len > keep)
    g_byte_array_remove_range (self->bytes, 0, (guint) (self->bytes->len - keep));
  g_byte_array_append (self->bytes, p, (guint) len);
}

void
kwb_console_window_clear (KwbConsoleWindow *self)
{
  g_return_if_fail (self != NULL);
  g_byte_array_set_size (self->bytes, 0);
}

gsize
kwb_console_window_get_length (KwbConsoleWindow *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes->len;
}

gsize
kwb_console_window_get_max_bytes (KwbConsoleWindow *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->max_bytes;
}

const guint8 *
kwb_console_window_peek (KwbConsoleWindow *self,
                         gsize            *len)
{
  g_return_val_if_fail (self != NULL, NULL);
  if (len != NULL)
    *len = self->bytes->len;
  return self->bytes->data;
}

gboolean
kwb_console_window_contains (KwbConsoleWindow *self,
                             const char       *needle)
{
  gsize needle_len;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (needle != NULL, FALSE);

  needle_len = strlen (needle);
  g_return_val_if_fail (needle_len < self->max_bytes, FALSE);
  if (needle_len == 0)
    return TRUE;
  return memmem (self->bytes->data, self->bytes->len, needle, needle_len) != NULL;
}

char *
kwb_console_window_dup_last_lines (KwbConsoleWindow *self,
                                   guint             max_lines)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint n, first;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->bytes->len == 0)
    return g_strdup ("");
  text = g_utf8_make_valid ((const char *) self->bytes->data, self->bytes->len);
  lines = g_strsplit (text, "\n", -1);
  n = g_strv_length (lines);
  while (n > 0 && g_strstrip (lines[n - 1])[0] == '\0')
    n--;
  first = n > max_lines ? n - max_lines : 0;
  for (guint i = first; i < n; i++)
    {
      g_strchomp (lines[i]);
      g_string_append (out, lines[i]);
      if (i + 1 < n)
        g_string_append_c (out, '\n');
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}
