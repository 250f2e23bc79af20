/* kwb-cli-show-mem.c — kwb debug --show mem:ADDR[,LEN]: guest memory as a hex dump at each stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ADDR is an address or a C expression, evaluated again at each stop (so
 * mem:$rsp follows the stack); LEN defaults to 256 bytes (see
 * kwb_memory_parse_spec() for where LEN starts when ADDR has commas).
 * Text:
 *   memory: $rsp = 0xffffc90000013e98, 256 bytes
 *   ffffc90000013e98  …hexdump -C lines…
 *   changed: +0x10-0x17 +0x40        (bytes that differ from the previous stop)
 *   unreadable: +0xf68-0xfff          (pages that are not mapped, shown as ??)
 * JSON: {"event":"memory","expression":…,"address":"0x…","length":…,
 * "bytes":"hex…","changed":[offsets],"unreadable":[[from,to],…]} where
 * unreadable bytes are 00 in "bytes" and each range ends before TO.
 * Like the "stopped:" lines these are meant for scripts as much as for
 * people, so they are not translated.
 */
#include "config.h"

#include <stdio.h>

#include "kwb-cli-show.h"

gboolean
kwb_cli_show_mem_check (const char  *arg,
                        GError     **error)
{
  g_autofree char *expression = NULL;
  gsize length;

  return kwb_memory_parse_spec (arg, &expression, &length, error);
}

KwbKernelView *
kwb_cli_show_mem_new (KwbSession *session,
                      const char *arg)
{
  g_autoptr(KwbMemory) memory = kwb_memory_new (session);
  g_autofree char *expression = NULL;
  gsize length = KWB_MEMORY_LENGTH_DEFAULT;

  /* Checked by kwb_cli_show_mem_check() when the options were read. */
  if (!kwb_memory_parse_spec (arg, &expression, &length, NULL))
    g_assert_not_reached ();
  kwb_memory_set_expression (memory, expression);
  kwb_memory_set_length (memory, length);
  return KWB_KERNEL_VIEW (g_steal_pointer (&memory));
}

/* Runs of bytes carrying FLAG, as "+0x10-0x17 +0x40". */
static char *
format_runs (const guint8 *flags,
             gsize         length,
             guint8        flag)
{
  GString *s = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    {
      gsize end = i;

      if (!(flags[i] & flag))
        continue;
      while (end + 1 < length && (flags[end + 1] & flag))
        end++;
      g_string_append_printf (s, s->len ? " +0x%" G_GSIZE_MODIFIER "x" : "+0x%" G_GSIZE_MODIFIER "x", i);
      if (end > i)
        g_string_append_printf (s, "-0x%" G_GSIZE_MODIFIER "x", end);
      i = end;
    }
  return g_string_free (s, FALSE);
}

static void
print_json (KwbMemory *memory)
{
  g_autoptr(JsonBuilder) b = kwb_cli_json_begin ("memory");
  gsize length;
  const guint8 *flags = kwb_memory_get_flags (memory, &length);
  const guint8 *data = g_bytes_get_data (kwb_memory_get_bytes (memory), NULL);
  g_autoptr(GString) hex = g_string_sized_new (2 * length);
  g_autofree char *address = g_strdup_printf ("0x%" G_GINT64_MODIFIER "x", kwb_memory_get_address (memory));

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (hex, "%02x", flags[i] & KWB_MEMORY_BYTE_UNREADABLE ? 0 : data[i]);
  kwb_cli_json_add_text (b, "expression", kwb_memory_get_expression (memory), -1);
  kwb_cli_json_add_text (b, "address", address, -1);
  kwb_cli_json_add_int (b, "length", (gint64) length);
  kwb_cli_json_add_text (b, "bytes", hex->str, -1);
  json_builder_set_member_name (b, "changed");
  json_builder_begin_array (b);
  for (gsize i = 0; i < length; i++)
    if (flags[i] & KWB_MEMORY_BYTE_CHANGED)
      json_builder_add_int_value (b, (gint64) i);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "unreadable");
  json_builder_begin_array (b);
  for (gsize i = 0; i < length; i++)
    {
      gsize end = i;

      if (!(flags[i] & KWB_MEMORY_BYTE_UNREADABLE))
        continue;
      while (end < length && (flags[end] & KWB_MEMORY_BYTE_UNREADABLE))
        end++;
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) i);
      json_builder_add_int_value (b, (gint64) end);
      json_builder_end_array (b);
      i = end;
    }
  json_builder_end_array (b);
  kwb_cli_json_print (b);
}

void
kwb_cli_show_mem_print (KwbKernelView *view,
                        const char    *arg,
                        gboolean       json)
{
  KwbMemory *memory = KWB_MEMORY (view);
  const char *expression = kwb_memory_get_expression (memory);
  guint64 address = kwb_memory_get_address (memory);
  g_autofree char *dump = NULL;
  g_autofree char *changed = NULL;
  g_autofree char *unreadable = NULL;
  const guint8 *flags;
  gsize length;
  guint64 literal;

  if (kwb_memory_get_bytes (memory) == NULL)
    return; /* nothing was asked: the spec always has an expression */
  if (json)
    {
      print_json (memory);
      return;
    }
  flags = kwb_memory_get_flags (memory, &length);
  if (kwb_memory_parse_address (expression, &literal))
    printf ("memory: 0x%" G_GINT64_MODIFIER "x, %" G_GSIZE_FORMAT " bytes\n", address, length);
  else
    printf ("memory: %s = 0x%" G_GINT64_MODIFIER "x, %" G_GSIZE_FORMAT " bytes\n", expression, address, length);
  dump = kwb_memory_format_hex (address, kwb_memory_get_bytes (memory), flags, KWB_MEMORY_ROW_WIDTH);
  fputs (dump, stdout);
  changed = format_runs (flags, length, KWB_MEMORY_BYTE_CHANGED);
  if (changed[0] != '\0')
    printf ("changed: %s\n", changed);
  unreadable = format_runs (flags, length, KWB_MEMORY_BYTE_UNREADABLE);
  if (unreadable[0] != '\0')
    printf ("unreadable: %s\n", unreadable);
}
